// The attacks of a local user holding only the files (sqlite3 on hotline.db, no passphrase):
// every change to the peer directory made outside the console is found, naming the peer and
// the field, and a change made through the store keeps the directory sealed.

#include "core/store/directory_seal.hpp"

#include <sodium.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/crypto/fingerprint.hpp"
#include "core/store/database.hpp"
#include "core/store/peer_store.hpp"
#include "core/store/records_key.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Catch::Matchers::ContainsSubstring;

namespace {

crypto::SecretKey random_secret() {
  crypto::ensure_sodium();
  crypto::SecretKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

crypto::PublicKey key_of(std::uint8_t b) {
  crypto::PublicKey k{};
  k.fill(b);
  return k;
}

PeerRecord peer(std::string name, std::uint8_t key_byte) {
  PeerRecord p;
  p.name = std::move(name);
  p.public_key = key_of(key_byte);
  p.endpoints = {"192.0.2.1:47000"};
  p.card_text = "card of " + p.name;
  p.imported_at = 1700000000;
  return p;
}

// A console's directory: Singapore verified with a pre-shared key, Tokyo disabled and unverified.
struct SealedDirectory {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  RecordsKeys keys{random_secret()};
  PeerStore peers{db};

  SealedDirectory() {
    peers.use_keys(&keys);
    PeerRecord singapore = peer("Singapore", 7);
    singapore.psk = random_secret();
    singapore.verified_by = "Col. Tan";
    singapore.verified_at = 1700000100;
    peers.add(singapore);
    PeerRecord tokyo = peer("Tokyo", 9);
    tokyo.enabled = false;
    peers.add(tokyo);
  }
  std::vector<DirectoryFinding> check() { return check_directory(db, keys.directory_mac); }
};

}  // namespace

TEST_CASE("a directory changed only through the store stays sealed") {
  SealedDirectory d;
  CHECK(d.check().empty());
  d.peers.set_enabled("Tokyo", true);
  d.peers.set_verified("Tokyo", std::string("Adm. Sato"), 1700000200);
  d.peers.set_endpoints("Singapore", {"198.51.100.4:47000", "[2001:db8::4]:47000"});
  const crypto::SecretKey psk = random_secret();
  d.peers.set_psk("Tokyo", &psk);
  d.peers.set_psk("Singapore", nullptr);
  d.peers.replace_key("Singapore", key_of(8), "new card", {"198.51.100.4:47000"}, 1700000300);
  d.peers.add(peer("Seoul", 11));
  CHECK(d.check().empty());
  d.peers.remove("Seoul", 1700000400);
  CHECK(d.check().empty());
}

TEST_CASE("the reviewer's attack: a disabled peer enabled and 'verified' in the file") {
  SealedDirectory d;
  d.db.exec("UPDATE peers SET enabled = 1, verified_by = 'nobody' WHERE name = 'Tokyo'");
  const auto findings = d.check();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].public_key == key_of(9));
  CHECK(findings[0].peer == "Tokyo");
  CHECK(findings[0].field == "enabled");
  CHECK_THAT(findings[0].problem,
             ContainsSubstring("Tokyo") && ContainsSubstring("(enabled and verified by)"));
}

TEST_CASE("each field changed in the file is named") {
  const auto [sql, field] = GENERATE(table<std::string, std::string>({
      {"UPDATE peers SET name = 'Singapura' WHERE name = 'Singapore'", "name"},
      {"UPDATE peers SET endpoints = '203.0.113.66:47000' WHERE name = 'Singapore'", "endpoints"},
      {"UPDATE peers SET card_text = 'forged' WHERE name = 'Singapore'", "card"},
      {"UPDATE peers SET psk_sealed = randomblob(72) WHERE name = 'Singapore'", "pre-shared key"},
      {"UPDATE peers SET psk_sealed = NULL WHERE name = 'Singapore'", "pre-shared key"},
      {"UPDATE peers SET psk = zeroblob(32) WHERE name = 'Singapore'", "pre-shared key"},
      {"UPDATE peers SET enabled = 0 WHERE name = 'Singapore'", "enabled"},
      {"UPDATE peers SET verified_by = 'Adm. X' WHERE name = 'Singapore'", "verified by"},
      {"UPDATE peers SET verified_at = NULL WHERE name = 'Singapore'", "verified at"},
      {"UPDATE peers SET imported_at = 1 WHERE name = 'Singapore'", "imported at"},
  }));
  CAPTURE(sql);
  SealedDirectory d;
  d.db.exec(sql);
  const auto findings = d.check();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].public_key == key_of(7));
  CHECK(findings[0].field == field);
  CHECK_THAT(findings[0].problem, ContainsSubstring("changed in the file"));
}

TEST_CASE(
    "a key swapped in the file is named as the key, with the fingerprint it was sealed with") {
  SealedDirectory d;
  d.db.prepare("UPDATE peers SET public_key = ?1 WHERE name = 'Singapore'")
      .bind(1, ByteSpan(key_of(66)))
      .run();
  const auto findings = d.check();
  REQUIRE(findings.size() == 1);                // not also "deleted": it is the same row
  CHECK(findings[0].public_key == key_of(66));  // the key refused
  CHECK(findings[0].peer == "Singapore");
  CHECK(findings[0].field == "key");
  CHECK_THAT(findings[0].problem, ContainsSubstring(crypto::fingerprint(key_of(7))));
}

TEST_CASE("rows added or deleted in the file, and seals moved between rows, are found") {
  SealedDirectory d;
  SECTION("added") {
    d.db.prepare(
            "INSERT INTO peers (name, public_key, endpoints, card_text, enabled, imported_at) "
            "VALUES ('Intruder', ?1, '203.0.113.9:47000', 'x', 1, 1)")
        .bind(1, ByteSpan(key_of(99)))
        .run();
    const auto findings = d.check();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].public_key == key_of(99));
    CHECK_THAT(findings[0].problem, ContainsSubstring("'Intruder' was added"));
  }
  SECTION("added with a seal copied from another row") {
    d.db.prepare(
            "INSERT INTO peers (name, public_key, endpoints, card_text, enabled, imported_at, "
            "seal) SELECT 'Intruder', ?1, endpoints, card_text, enabled, imported_at, seal "
            "FROM peers WHERE name = 'Tokyo'")
        .bind(1, ByteSpan(key_of(99)))
        .run();
    const auto findings = d.check();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].public_key == key_of(99));
  }
  SECTION("deleted") {
    d.db.exec("DELETE FROM peers WHERE name = 'Tokyo'");
    const auto findings = d.check();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].public_key == key_of(9));
    CHECK_THAT(findings[0].problem,
               ContainsSubstring(crypto::fingerprint(key_of(9))) && ContainsSubstring("deleted"));
  }
  SECTION("seals swapped between two rows") {
    d.db.exec(
        "CREATE TEMP TABLE s AS SELECT name, seal FROM peers; "
        "UPDATE peers SET seal = (SELECT seal FROM s WHERE s.name != peers.name)");
    const auto findings = d.check();
    REQUIRE(findings.size() == 2);
    for (const auto& f : findings) CHECK_THAT(f.problem, ContainsSubstring("its seal was changed"));
  }
  SECTION("the seal of the list removed") {
    d.db.exec("DELETE FROM directory_seal");
    CHECK_THAT(d.check().at(0).problem, ContainsSubstring("list of peers was edited"));
  }
  SECTION("a row's seal removed") {
    d.db.exec("UPDATE peers SET seal = NULL WHERE name = 'Tokyo'");
    const auto findings = d.check();
    REQUIRE(findings.size() == 1);
    CHECK_THAT(findings[0].problem, ContainsSubstring("carries no seal"));
  }
}

TEST_CASE("a directory resealed with a key the console does not hold is refused whole") {
  SealedDirectory d;
  const RecordsKeys attackers{random_secret()};
  seal_whole_directory(d.db, attackers.directory_mac);
  const auto findings = d.check();
  CHECK(findings.size() == 3);  // the list, and both rows
}

TEST_CASE("a change without the records key is refused and leaves the sealed directory as it was") {
  SealedDirectory d;
  PeerStore keyless(d.db);
  CHECK_THROWS_WITH(keyless.set_enabled("Tokyo", true), ContainsSubstring("records key"));
  CHECK_THROWS_WITH(keyless.remove("Tokyo", 1), ContainsSubstring("records key"));
  CHECK_THROWS_WITH(keyless.add(peer("Seoul", 11)), ContainsSubstring("records key"));
  CHECK(d.check().empty());
  CHECK_FALSE(d.peers.find_by_name("Tokyo")->enabled);
  CHECK_FALSE(d.peers.find_by_name("Seoul"));
}

TEST_CASE(
    "an administrator's change never seals an edit made in the file; removing the peer does") {
  SealedDirectory d;
  d.db.exec("UPDATE peers SET enabled = 1 WHERE name = 'Tokyo'");
  CHECK_THROWS_WITH(d.peers.set_verified("Tokyo", std::string("Adm. Sato"), 1700000200),
                    ContainsSubstring("Tokyo") && ContainsSubstring("import its card again"));
  CHECK(d.check().size() == 1);
  d.peers.set_enabled("Singapore", false);  // other peers stay manageable
  CHECK(d.peers.remove("Tokyo", 1700000300));
  CHECK(d.check().empty());
}
