#include "core/store/peer_store.hpp"

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <filesystem>
#include <fstream>

#include "core/store/database.hpp"
#include "core/store/records_key.hpp"
#include "core/store/settings_store.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Catch::Matchers::Equals;

namespace {

crypto::PublicKey random_key() {
  crypto::ensure_sodium();
  crypto::PublicKey key{};
  randombytes_buf(key.data(), key.size());
  return key;
}

PeerRecord make_peer(std::string name, const crypto::PublicKey& key) {
  PeerRecord peer;
  peer.name = std::move(name);
  peer.public_key = key;
  peer.endpoints = {"192.0.2.1:5000", "[2001:db8::1]:5000"};
  peer.card_text = "hotline-card 1\nname: " + peer.name + "\n";
  peer.imported_at = 1700000000;
  return peer;
}

// The records key a console would hold (pre-shared keys are stored only under it).
const RecordsKeys& test_keys() {
  static const RecordsKeys keys = [] {
    crypto::SecretKey root;
    randombytes_buf(root.data(), root.size());
    return RecordsKeys(root);
  }();
  return keys;
}

HandshakeTimestamp timestamp(std::uint64_t seconds, std::uint32_t nanos) {
  HandshakeTimestamp ts{};
  for (int i = 0; i < 8; ++i) ts[7 - i] = static_cast<std::uint8_t>(seconds >> (8 * i));
  for (int i = 0; i < 4; ++i) ts[11 - i] = static_cast<std::uint8_t>(nanos >> (8 * i));
  return ts;
}

}  // namespace

TEST_CASE("peers round-trip through the store with every field") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  const crypto::PublicKey key = random_key();
  crypto::SecretKey psk;
  randombytes_buf(psk.data(), psk.size());
  {
    Database db = Database::open(path);
    PeerStore peers(db);
    peers.use_keys(&test_keys());
    PeerRecord peer = make_peer("北京国防部", key);
    peer.psk = psk.clone();
    peer.enabled = false;
    peer.verified_by = "operator 7";
    peer.verified_at = 1700000100;
    CHECK(peers.add(peer) > 0);
  }
  Database db = Database::open(path);
  PeerStore peers(db);
  peers.use_keys(&test_keys());
  const auto found = peers.find_by_name("北京国防部");
  REQUIRE(found);
  CHECK(found->public_key == key);
  CHECK(found->endpoints == std::vector<std::string>{"192.0.2.1:5000", "[2001:db8::1]:5000"});
  CHECK(found->card_text == "hotline-card 1\nname: 北京国防部\n");
  REQUIRE(found->psk);
  CHECK(sodium_memcmp(found->psk->data(), psk.data(), psk.size()) == 0);
  CHECK_FALSE(found->enabled);
  CHECK(found->verified_by == "operator 7");
  CHECK(found->verified_at == 1700000100);
  CHECK(found->imported_at == 1700000000);

  const auto by_key = peers.find_by_key(key);
  REQUIRE(by_key);
  CHECK(by_key->id == found->id);
  CHECK_FALSE(peers.find_by_key(random_key()));
  CHECK_FALSE(peers.find_by_name("nobody"));
}

TEST_CASE("duplicate names and keys are refused without changing anything") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  PeerStore peers(db);
  peers.use_keys(&test_keys());
  const crypto::PublicKey key = random_key();
  peers.add(make_peer("Alpha", key));

  CHECK_THROWS_WITH(peers.add(make_peer("Alpha", random_key())),
                    Equals("a peer named 'Alpha' already exists"));
  CHECK_THROWS_WITH(peers.add(make_peer("Bravo", key)),
                    Equals("this key is already imported as peer 'Alpha'"));
  const auto all = peers.list();
  REQUIRE(all.size() == 1);
  CHECK(all[0].name == "Alpha");
  CHECK_FALSE(db.in_transaction());
}

TEST_CASE("list is ordered by name; remove and set_endpoints work by name") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  PeerStore peers(db);
  peers.use_keys(&test_keys());
  peers.add(make_peer("Charlie", random_key()));
  peers.add(make_peer("Alpha", random_key()));
  peers.add(make_peer("Bravo", random_key()));
  auto names = [&] {
    std::vector<std::string> out;
    for (const PeerRecord& p : peers.list()) out.push_back(p.name);
    return out;
  };
  CHECK(names() == std::vector<std::string>{"Alpha", "Bravo", "Charlie"});

  const crypto::PublicKey bravo_key = peers.find_by_name("Bravo")->public_key;
  CHECK(peers.remove("Bravo", 1700000000));
  CHECK_FALSE(peers.remove("Bravo", 1700000001));
  CHECK(names() == std::vector<std::string>{"Alpha", "Charlie"});
  // The removed key is kept, so its calls can be refused and recorded.
  const auto removed = peers.removed();
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].name == "Bravo");
  CHECK(removed[0].public_key == bravo_key);
  CHECK(removed[0].removed_at == 1700000000);
  // Importing the key again takes it off that list.
  peers.add(make_peer("Bravo", bravo_key));
  CHECK(peers.removed().empty());

  peers.set_endpoints("Alpha", {"198.51.100.9:6000"});
  CHECK(peers.find_by_name("Alpha")->endpoints == std::vector<std::string>{"198.51.100.9:6000"});
  CHECK_THROWS_WITH(peers.set_endpoints("Zulu", {"198.51.100.9:6000"}),
                    Equals("no peer named 'Zulu'"));
  CHECK_THROWS(peers.set_endpoints("Alpha", {}));
  CHECK_THROWS(peers.set_endpoints("Alpha", {"1.2.3.4:5\n5.6.7.8:9"}));
  CHECK(peers.find_by_name("Alpha")->endpoints == std::vector<std::string>{"198.51.100.9:6000"});
}

TEST_CASE("handshake timestamps must strictly increase and persist across reopen") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  const crypto::PublicKey alice = random_key();
  const crypto::PublicKey bob = random_key();
  {
    Database db = Database::open(path);
    PeerStore peers(db);
    peers.use_keys(&test_keys());
    CHECK_FALSE(peers.last_handshake_timestamp(alice));
    CHECK(peers.accept_handshake_timestamp(alice, timestamp(1000, 5)));
    CHECK_FALSE(peers.accept_handshake_timestamp(alice, timestamp(1000, 5)));  // replay
    CHECK_FALSE(peers.accept_handshake_timestamp(alice, timestamp(1000, 4)));  // older
    CHECK(peers.accept_handshake_timestamp(alice, timestamp(1000, 6)));
    // Big-endian order: a larger seconds value wins even with smaller nanoseconds.
    CHECK(peers.accept_handshake_timestamp(alice, timestamp(1001, 0)));
    CHECK_FALSE(peers.accept_handshake_timestamp(alice, timestamp(999, 0xFFFFFFFF)));
    // Keys are independent.
    CHECK(peers.accept_handshake_timestamp(bob, timestamp(5, 0)));
  }
  Database db = Database::open(path);
  PeerStore peers(db);
  peers.use_keys(&test_keys());
  CHECK(peers.last_handshake_timestamp(alice) == timestamp(1001, 0));
  CHECK_FALSE(peers.accept_handshake_timestamp(alice, timestamp(1001, 0)));
  CHECK_FALSE(peers.accept_handshake_timestamp(alice, timestamp(1000, 999)));
  CHECK(peers.accept_handshake_timestamp(alice, timestamp(1001, 1)));
  CHECK(peers.last_handshake_timestamp(bob) == timestamp(5, 0));
}

TEST_CASE("refused line-status probes add up per peer, persist, and go with the peer") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  const crypto::PublicKey alpha_key = random_key();
  {
    Database db = Database::open(path);
    PeerStore peers(db);
    peers.use_keys(&test_keys());
    peers.add(make_peer("Alpha", alpha_key));
    CHECK(peers.refused_probes().empty());
    peers.add_refused_probes(alpha_key, 3, 1000);
    peers.add_refused_probes(alpha_key, 2, 900);  // an older batch retried late
  }
  Database db = Database::open(path);
  PeerStore peers(db);
  peers.use_keys(&test_keys());
  const auto probes = peers.refused_probes();
  REQUIRE(probes.contains(alpha_key));
  CHECK(probes.at(alpha_key).count == 5);
  CHECK(probes.at(alpha_key).last_at == 1000);
  CHECK(peers.remove("Alpha", 2000));
  CHECK(peers.refused_probes().empty());
}

TEST_CASE("settings get, replace and remove values") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  SettingsStore settings(db);
  CHECK_FALSE(settings.get("listen_endpoint"));
  CHECK(settings.get_or("listen_endpoint", "0.0.0.0:4500") == "0.0.0.0:4500");
  settings.set("listen_endpoint", "192.0.2.1:4500");
  settings.set("listen_endpoint", "192.0.2.1:4501");
  CHECK(settings.get("listen_endpoint") == "192.0.2.1:4501");
  settings.set("empty", "");
  CHECK(settings.get("empty") == "");
  CHECK(settings.remove("listen_endpoint"));
  CHECK_FALSE(settings.remove("listen_endpoint"));
  CHECK_FALSE(settings.get("listen_endpoint"));
}

TEST_CASE("peer changes: key replacement, pre-shared key, enable and verification") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  PeerStore peers(db);
  peers.use_keys(&test_keys());
  const crypto::PublicKey old_key = random_key();
  const crypto::PublicKey new_key = random_key();
  const crypto::PublicKey other_key = random_key();
  peers.add(make_peer("Alpha", old_key));
  peers.add(make_peer("Bravo", other_key));
  peers.set_verified("Alpha", "Col. Chen", 1700000000);
  CHECK(peers.find_by_name("Alpha")->verified_by == "Col. Chen");

  peers.replace_key("Alpha", new_key, "card text", {"192.0.2.1:47000"}, 1700000100);
  const auto alpha = peers.find_by_name("Alpha");
  CHECK(alpha->public_key == new_key);
  CHECK(alpha->card_text == "card text");
  CHECK_FALSE(alpha->verified_at);  // a new key is unverified until compared again
  CHECK_FALSE(alpha->verified_by);
  REQUIRE(peers.removed().size() == 1);
  CHECK(peers.removed()[0].public_key == old_key);  // the old key's calls are refused
  CHECK_THROWS_WITH(peers.replace_key("Alpha", other_key, "x", {"192.0.2.1:47000"}, 0),
                    Equals("this key is already imported as peer 'Bravo'"));
  CHECK_THROWS_WITH(peers.replace_key("Zulu", random_key(), "x", {"192.0.2.1:47000"}, 0),
                    Equals("no peer named 'Zulu'"));

  crypto::SecretKey psk;
  psk.mutable_span()[0] = 7;
  peers.set_psk("Alpha", &psk);
  REQUIRE(peers.find_by_name("Alpha")->psk);
  CHECK(peers.find_by_name("Alpha")->psk->data()[0] == 7);
  peers.set_psk("Alpha", nullptr);
  CHECK_FALSE(peers.find_by_name("Alpha")->psk);

  peers.set_enabled("Bravo", false);
  CHECK_FALSE(peers.find_by_name("Bravo")->enabled);
  peers.set_enabled("Bravo", true);
  CHECK(peers.find_by_name("Bravo")->enabled);
  CHECK_THROWS_WITH(peers.set_enabled("Zulu", true), Equals("no peer named 'Zulu'"));
}

namespace {

bool file_contains(const std::filesystem::path& path, const crypto::SecretKey& secret) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string needle(reinterpret_cast<const char*>(secret.data()), secret.size());
  return bytes.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a pre-shared key is never in the database's bytes, its journal, or a clear column") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  crypto::SecretKey psk;
  randombytes_buf(psk.data(), psk.size());
  {
    Database db = Database::open(path);
    PeerStore peers(db);
    peers.use_keys(&test_keys());
    PeerRecord peer = make_peer("Singapore", random_key());
    peer.psk = psk.clone();
    peers.add(peer);
    peers.set_psk("Singapore", &psk);  // written twice: the log holds both versions of the row
    // While open, the write-ahead log holds the pages.
    REQUIRE(std::filesystem::exists(dir.path() / "hotline.db-wal"));
    CHECK_FALSE(file_contains(dir.path() / "hotline.db-wal", psk));
    CHECK_FALSE(file_contains(path, psk));
    Statement clear = db.prepare("SELECT count(*) FROM peers WHERE psk IS NOT NULL");
    clear.step();
    CHECK(clear.column_int64(0) == 0);
  }
  CHECK_FALSE(file_contains(path, psk));
  // Without the records key the store knows a key is set, and cannot read it.
  Database db = Database::open(path);
  PeerStore keyless(db);
  const auto found = keyless.find_by_name("Singapore");
  REQUIRE(found);
  CHECK(found->has_psk);
  CHECK_FALSE(found->psk);
}

TEST_CASE("clear pre-shared keys of an older profile are encrypted in place, leaving no copy") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  crypto::SecretKey psk;
  randombytes_buf(psk.data(), psk.size());
  Database db = Database::open(path);
  PeerStore peers(db);
  peers.add(make_peer("Singapore", random_key()));
  // As an earlier schema stored it.
  db.prepare("UPDATE peers SET psk = ?1 WHERE name = 'Singapore'").bind(1, psk.span()).run();
  peers.use_keys(&test_keys());
  peers.encrypt_clear_psks();
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK_FALSE(file_contains(path, psk));
  CHECK_FALSE(file_contains(dir.path() / "hotline.db-wal", psk));
  const auto found = peers.find_by_name("Singapore");
  REQUIRE(found->psk);
  CHECK(sodium_memcmp(found->psk->data(), psk.data(), psk.size()) == 0);
}
