#include "core/store/migrations.hpp"

#include <array>
#include <string>

#include "core/store/database.hpp"

namespace hotline::store {
namespace {

// v1: own settings, imported peers, and the newest handshake timestamp seen from each key.
void schema_v1(Database& db) {
  db.exec(R"sql(
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE peers (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE,
      public_key  BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
      endpoints   TEXT NOT NULL,
      card_text   TEXT NOT NULL,
      psk         BLOB NULL CHECK (psk IS NULL OR length(psk) = 32),
      enabled     INTEGER NOT NULL DEFAULT 1,
      verified_by TEXT NULL,
      verified_at INTEGER NULL,
      imported_at INTEGER NOT NULL
    );
    CREATE TABLE handshake_replay (
      public_key     BLOB PRIMARY KEY,
      last_timestamp BLOB NOT NULL CHECK (length(last_timestamp) = 12)
    );
  )sql");
}

constexpr std::array<Migration, 1> kMigrations = {
    &schema_v1,
};

}  // namespace

std::span<const Migration> schema_migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return static_cast<int>(kMigrations.size());
}

void migrate(Database& db, std::span<const Migration> steps) {
  const int latest = static_cast<int>(steps.size());
  if (db.user_version() == latest) return;  // the common case: no write lock needed
  for (;;) {
    Transaction transaction(db);
    // Read again under the write lock: another connection may have migrated meanwhile.
    const int version = db.user_version();
    if (version == latest) return;
    if (version > latest || version < 0) {
      throw Error("database " + db.path().string() + " has schema version " +
                  std::to_string(version) + ", newer than this program supports (" +
                  std::to_string(latest) + "); update Hotline Console");
    }
    steps[static_cast<std::size_t>(version)](db);
    db.set_user_version(version + 1);
    transaction.commit();
  }
}

}  // namespace hotline::store
