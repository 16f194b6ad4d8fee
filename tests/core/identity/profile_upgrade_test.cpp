// A profile written by every earlier version (plaintext pre-shared keys, an unsealed peer
// directory, no records key) is backed up once, upgraded atomically and, at its first unlock,
// brought into the protected state; the backup, which holds the clear keys, goes then.

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators_range.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/identity/profile.hpp"
#include "core/store/audit_log.hpp"
#include "core/store/database.hpp"
#include "core/store/migrations.hpp"
#include "core/store/upgrade_backup.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::identity;
namespace fs = std::filesystem;
using Catch::Matchers::ContainsSubstring;

namespace {

bool holds(const fs::path& path, const crypto::SecretKey& secret) {
  if (!fs::exists(path)) return false;
  const std::string bytes = test::file_bytes(path);
  const std::string needle(reinterpret_cast<const char*>(secret.data()), secret.size());
  return bytes.find(needle) != std::string::npos;
}

int user_version_of(const fs::path& path) {
  store::Database db = store::Database::open_without_migrating(path);
  return db.user_version();
}

struct OwnSettings {
  std::string name, listen, public_key;
  crypto::PublicKey key{};
};

constexpr std::string_view kClearNote = "met the minister's aide at the ferry terminal";
constexpr std::string_view kClearAudit = "Singapore verified by Col. Tan at the embassy";

// Replaces the profile's database with one of schema `version`, as that version left it: the
// console's settings, a verified peer with a pre-shared key in the clear, and (from version 2)
// a call with an operator's note and an audit entry (without a signature, as a process whose
// key was locked wrote them then) in the clear.
void write_old_database(const fs::path& dir, int version, const OwnSettings& own,
                        const crypto::SecretKey& psk) {
  for (const char* name : {"hotline.db", "hotline.db-wal", "hotline.db-shm", "audit.anchor"}) {
    fs::remove(dir / name);
  }
  store::Database old = store::Database::open_without_migrating(dir / "hotline.db");
  store::migrate(old, store::schema_migrations().first(static_cast<std::size_t>(version)));
  old.prepare(
         "INSERT INTO settings (key, value) VALUES ('own_name', ?1), ('listen_endpoint', ?2), "
         "('public_key', ?3)")
      .bind(1, own.name)
      .bind(2, own.listen)
      .bind(3, own.public_key)
      .run();
  crypto::PublicKey peer{};
  peer.fill(7);
  old.prepare(
         "INSERT INTO peers (name, public_key, endpoints, card_text, psk, enabled, verified_by, "
         "verified_at, imported_at) VALUES ('Singapore', ?1, '127.0.0.1:4501', 'card', ?2, 1, "
         "'Col. Tan', 1700000000, 1690000000)")
      .bind(1, ByteSpan(peer))
      .bind(2, ByteSpan(psk.data(), psk.size()))
      .run();
  if (version >= 2) {
    old.prepare(
           "INSERT INTO calls (peer_name, peer_fingerprint, peer_verified, direction, "
           "started_at, last_seen_at, ended_at, outcome, note) VALUES ('Singapore', '1', 1, "
           "'in', 1000, 5000, 5000, 'answered', ?1)")
        .bind(1, kClearNote)
        .run();
    store::AuditEntry entry;
    entry.seq = 1;
    entry.at = 1000;
    entry.role = "admin";
    entry.actor = "tan";
    entry.action = "peer.verify";
    entry.details = std::string(kClearAudit);
    // The genesis hash: BLAKE2b-256 of the label, then the console's public key.
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, 32);
    crypto_generichash_update(
        &state, reinterpret_cast<const unsigned char*>("hotline-audit-genesis/1"), 23);
    crypto_generichash_update(&state, own.key.data(), own.key.size());
    crypto_generichash_final(&state, entry.prev_hash.data(), entry.prev_hash.size());
    old.prepare(
           "INSERT INTO audit_log (seq, at, role, actor, action, details, prev_hash) VALUES "
           "(1, 1000, 'admin', 'tan', 'peer.verify', ?1, ?2)")
        .bind(1, kClearAudit)
        .bind(2, ByteSpan(entry.prev_hash))
        .run();
    const store::AuditHash hash = store::AuditLog::entry_hash(entry);
    old.prepare("INSERT INTO audit_head (id, seq, hash) VALUES (1, 1, ?1)")
        .bind(1, ByteSpan(hash))
        .run();
  }
}

bool holds_text(const fs::path& path, std::string_view text) {
  return fs::exists(path) && test::file_bytes(path).find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a profile of every earlier version is backed up, upgraded once and then protected") {
  const int from = GENERATE(range(1, store::kFirstProtectedVersion));
  CAPTURE(from);
  test::TempDir dir;
  OwnSettings own;
  {
    Profile created =
        Profile::create(dir.path(), "Beijing", net::parse_endpoint_or_throw("127.0.0.1:4500"),
                        std::nullopt, KeyFileCost::kInteractive);
    own = {*created.settings().get("own_name"), *created.settings().get("listen_endpoint"),
           *created.settings().get("public_key"), created.public_key()};
  }
  crypto::SecretKey psk;
  randombytes_buf(psk.data(), psk.size());
  write_old_database(dir.path(), from, own, psk);
  const fs::path db_path = dir.path() / "hotline.db";
  const fs::path backup = store::upgrade_backup_path(db_path, from);
  REQUIRE(holds(db_path, psk));  // the attack's starting point: the key in the clear
  if (from >= 2) REQUIRE(holds_text(db_path, kClearNote));   // and the history
  if (from >= 2) REQUIRE(holds_text(db_path, kClearAudit));  // and the audit log

  {
    // Opening upgrades the schema (a command that holds no key, e.g. `peer list`).
    Profile opened = Profile::open(dir.path());
    CHECK(opened.database().user_version() == store::latest_schema_version());
    REQUIRE(fs::exists(backup));
    CHECK(test::file_mode(backup) == 0600);
    CHECK(user_version_of(backup) == from);
    CHECK_FALSE(fs::exists(fs::path(backup.string() + ".partial")));
  }
  {
    Profile again = Profile::open(dir.path());  // upgraded once: no second backup
    CHECK(again.database().user_version() == store::latest_schema_version());
  }
  CHECK(user_version_of(backup) == from);

  Profile console = Profile::open(dir.path());
  console.unlock(std::nullopt);
  REQUIRE(console.records_keys() != nullptr);
  const auto peer = console.peers().find_by_name("Singapore");
  REQUIRE(peer);
  REQUIRE(peer->psk);
  CHECK(sodium_memcmp(peer->psk->data(), psk.data(), psk.size()) == 0);
  CHECK(peer->verified_by == "Col. Tan");
  const auto findings = console.directory_findings();
  REQUIRE(findings);
  CHECK(findings->empty());
  store::AuditLog audit(console.database(), console.public_key());
  const store::AuditVerdict verdict = audit.verify(&console.records_keys()->audit_mac);
  CHECK(verdict.intact);
  CHECK(verdict.unsigned_entries == 0);  // the old entry adopted: signed by the console
  CHECK_FALSE(audit.has_clear_entries());
  if (from >= 2) {
    REQUIRE(audit.list().size() == 1);
    CHECK(audit.list()[0].sealed());
  }
  // No clear copy left: not in the database, its write-ahead log, nor a backup.
  CHECK_FALSE(holds(db_path, psk));
  CHECK_FALSE(holds(dir.path() / "hotline.db-wal", psk));
  CHECK_FALSE(holds_text(db_path, kClearNote));
  CHECK_FALSE(holds_text(dir.path() / "hotline.db-wal", kClearNote));
  CHECK_FALSE(holds_text(db_path, kClearAudit));
  CHECK_FALSE(holds_text(dir.path() / "hotline.db-wal", kClearAudit));
  CHECK_FALSE(fs::exists(backup));
  // The call is sealed, not lost: held for the first role that gets a passphrase.
  if (from >= 2) {
    store::Statement sealed = console.database().prepare("SELECT count(*) FROM sealed_calls");
    sealed.step();
    CHECK(sealed.column_int64(0) == 1);
  }
}

TEST_CASE("an upgrade that cannot make its backup changes nothing and says why") {
  test::TempDir dir;
  const fs::path path = dir.path() / "hotline.db";
  {
    store::Database old = store::Database::open_without_migrating(path);
    store::migrate(old, store::schema_migrations().first(3));
  }
  // Something in the way of the copy that cannot be cleared (a folder with a file in it).
  const fs::path in_the_way = store::upgrade_backup_path(path, 3).string() + ".partial";
  fs::create_directories(in_the_way / "x");
  CHECK_THROWS_WITH(store::Database::open(path),
                    ContainsSubstring("cannot back up") &&
                        ContainsSubstring("before upgrading it from schema version 3") &&
                        ContainsSubstring("nothing was changed"));
  CHECK(user_version_of(path) == 3);
  CHECK_FALSE(fs::exists(store::upgrade_backup_path(path, 3)));
}
