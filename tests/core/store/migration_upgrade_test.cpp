// Every earlier schema version upgrades to the current one with its data intact, and ends up
// with exactly the schema a new database gets.

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators_range.hpp>

#include "core/store/database.hpp"
#include "core/store/migrations.hpp"
#include "core/store/peer_store.hpp"
#include "core/store/settings_store.hpp"
#include "tests/support/sealed_history.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;

namespace {

std::vector<std::string> schema(Database& db) {
  Statement stmt = db.prepare(
      "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema "
      "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.column_text(0));
  return out;
}

crypto::PublicKey key(std::uint8_t b) {
  crypto::PublicKey k{};
  k.fill(b);
  return k;
}

// What a console of schema `version` could have stored, written with that version's tables.
void seed(Database& db, int version) {
  if (version >= 1) {
    db.exec(
        "INSERT INTO settings (key, value) VALUES ('own_name', '北京'), ('audio.input', 'pulse')");
    db.prepare(
          "INSERT INTO peers (name, public_key, endpoints, card_text, enabled, verified_by, "
          "verified_at, imported_at) VALUES ('Singapore', ?1, '192.0.2.7:47000', 'card', 1, "
          "'Col. Tan', 1700000000, 1690000000)")
        .bind(1, ByteSpan(key(7)))
        .run();
    db.prepare("INSERT INTO handshake_replay (public_key, last_timestamp) VALUES (?1, ?2)")
        .bind(1, ByteSpan(key(7)))
        .bind(2, ByteSpan(std::array<std::uint8_t, 12>{1, 2, 3}))
        .run();
  }
  if (version >= 2) {
    db.exec(
        "INSERT INTO calls (peer_name, peer_fingerprint, peer_verified, direction, started_at, "
        "last_seen_at, outcome) VALUES ('Singapore', '12345', 1, 'out', 1, 2, 'answered')");
    if (version == 2) {  // v2 wrote this one end reason as words
      db.exec(
          "INSERT INTO calls (peer_name, peer_fingerprint, peer_verified, direction, started_at, "
          "last_seen_at, outcome, end_reason) VALUES ('Singapore', '12345', 1, 'in', 3, 4, "
          "'interrupted', 'console stopped')");
    }
  }
}

void check_seeded(Database& db, int version) {
  if (version >= 1) {
    CHECK(SettingsStore(db).get("own_name") == "北京");
    CHECK(SettingsStore(db).get("audio.input") == "pulse");
    PeerStore peers(db);
    const auto peer = peers.find_by_name("Singapore");
    REQUIRE(peer);
    CHECK(peer->public_key == key(7));
    CHECK(peer->verified_by == "Col. Tan");
    CHECK(peers.last_handshake_timestamp(key(7)).has_value());
  }
  if (version >= 2) {
    Statement stmt = db.prepare("SELECT count(*) FROM calls WHERE outcome = 'answered'");
    stmt.step();
    CHECK(stmt.column_int64(0) == 1);
  }
  if (version == 2) {
    Statement stmt = db.prepare("SELECT end_reason FROM calls WHERE outcome = 'interrupted'");
    REQUIRE(stmt.step());
    CHECK(stmt.column_text(0) == "console_stopped");
  }
  // v3: a caller's own cancelled call has an outcome of its own.
  CHECK_NOTHROW(db.exec(
      "INSERT INTO calls (peer_name, peer_fingerprint, peer_verified, direction, started_at, "
      "last_seen_at, outcome) VALUES ('Tokyo', '6789', 0, 'out', 5, 6, 'cancelled')"));
}

}  // namespace

TEST_CASE("a database of every earlier schema version upgrades with its data") {
  const int from = GENERATE(range(0, latest_schema_version()));
  CAPTURE(from);
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  {
    Database old = Database::open_without_migrating(path);
    migrate(old, schema_migrations().first(static_cast<std::size_t>(from)));
    REQUIRE(old.user_version() == from);
    seed(old, from);
  }
  Database upgraded = Database::open(path);
  CHECK(upgraded.user_version() == latest_schema_version());
  check_seeded(upgraded, from);

  Database fresh = Database::open(dir.path() / "fresh.db");
  CHECK(schema(upgraded) == schema(fresh));

  // The clear call history of v2–v5 is sealed by the first process that holds the keys, with
  // its values intact, and the clear table is left empty.
  test::SealedHistory sealed(upgraded);
  const std::int64_t before = [&] {
    Statement count = upgraded.prepare("SELECT count(*) FROM calls");
    count.step();
    return count.column_int64(0);
  }();
  CHECK(seal_clear_history(upgraded, sealed.keys, 100) == before);
  CHECK_FALSE(upgraded.prepare("SELECT 1 FROM calls").step());
  HistoryRecords records = sealed.reader();
  CHECK(records.count({}) == before);
  CHECK(records.unreadable() == 0);
  HistoryFilter answered;
  answered.outcome = CallOutcome::kAnswered;
  CHECK(records.count(answered) == (from >= 2 ? 1 : 0));
  if (from == 2) {
    HistoryFilter interrupted;
    interrupted.outcome = CallOutcome::kInterrupted;
    const auto rows = records.query(interrupted);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].end_reason == "console_stopped");
  }
}
