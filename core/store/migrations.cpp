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

// v2: records and administration. Call history (a row per attempt, written when the call
// starts), peers that were removed (so their calls are refused and history keeps them), the
// role passphrases with their failure counters, and the hash-chained audit log with its
// signed head (the head is what shows that entries were cut off the end).
void schema_v2(Database& db) {
  db.exec(R"sql(
    CREATE TABLE calls (
      id                   INTEGER PRIMARY KEY,
      peer_name            TEXT NOT NULL,
      peer_fingerprint     TEXT NOT NULL,
      peer_verified        INTEGER NOT NULL,
      direction            TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      started_at           INTEGER NOT NULL,
      answered_at          INTEGER NULL,
      ended_at             INTEGER NULL,
      last_seen_at         INTEGER NOT NULL,
      duration_s           REAL NOT NULL DEFAULT 0,
      outcome              TEXT NULL CHECK (outcome IS NULL OR outcome IN (
                             'answered', 'missed', 'declined', 'busy', 'no_answer', 'unreachable',
                             'connection_lost', 'refused', 'failed', 'interrupted')),
      end_reason           TEXT NOT NULL DEFAULT '',
      sas                  TEXT NOT NULL DEFAULT '',
      sas_confirmed_local  INTEGER NOT NULL DEFAULT 0,
      sas_confirmed_remote INTEGER NOT NULL DEFAULT 0,
      mean_rtt_ms          REAL NULL,
      loss_percent         REAL NULL,
      jitter_ms            REAL NULL,
      concealed_percent    REAL NULL,
      fec_recovered        INTEGER NULL,
      interruptions        INTEGER NULL,
      note                 TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX calls_by_start ON calls (started_at, id);
    CREATE INDEX calls_by_peer ON calls (peer_name, started_at);
    CREATE INDEX calls_by_outcome ON calls (outcome, started_at);
    CREATE INDEX calls_open ON calls (id) WHERE ended_at IS NULL;

    CREATE TABLE removed_peers (
      public_key  BLOB PRIMARY KEY CHECK (length(public_key) = 32),
      name        TEXT NOT NULL,
      removed_at  INTEGER NOT NULL
    );

    CREATE TABLE role_passphrases (
      role     TEXT PRIMARY KEY CHECK (role IN ('operator', 'admin')),
      verifier TEXT NOT NULL,
      set_at   INTEGER NOT NULL
    );
    CREATE TABLE role_attempts (
      role                 TEXT PRIMARY KEY CHECK (role IN ('operator', 'admin')),
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      total_failures       INTEGER NOT NULL DEFAULT 0,
      last_failure_at      INTEGER NULL
    );

    CREATE TABLE audit_log (
      seq       INTEGER PRIMARY KEY,
      at        INTEGER NOT NULL,
      role      TEXT NOT NULL,
      actor     TEXT NOT NULL,
      action    TEXT NOT NULL,
      details   TEXT NOT NULL,
      prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
      signature BLOB NULL CHECK (signature IS NULL OR length(signature) = 64)
    );
    CREATE TABLE audit_head (
      id        INTEGER PRIMARY KEY CHECK (id = 1),
      seq       INTEGER NOT NULL,
      hash      BLOB NOT NULL CHECK (length(hash) = 32),
      signature BLOB NULL CHECK (signature IS NULL OR length(signature) = 64)
    );
  )sql");
}

// v3: a caller's own cancelled call is "cancelled" (v2 recorded it as "no_answer", the
// outcome of a ring that timed out), and the end reason of a call closed at the next start is
// a code like all others ("console_stopped", was "console stopped"). SQLite cannot change a
// CHECK constraint in place, so the table is rebuilt.
void schema_v3(Database& db) {
  db.exec(R"sql(
    CREATE TABLE calls_v3 (
      id                   INTEGER PRIMARY KEY,
      peer_name            TEXT NOT NULL,
      peer_fingerprint     TEXT NOT NULL,
      peer_verified        INTEGER NOT NULL,
      direction            TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      started_at           INTEGER NOT NULL,
      answered_at          INTEGER NULL,
      ended_at             INTEGER NULL,
      last_seen_at         INTEGER NOT NULL,
      duration_s           REAL NOT NULL DEFAULT 0,
      outcome              TEXT NULL CHECK (outcome IS NULL OR outcome IN (
                             'answered', 'missed', 'declined', 'busy', 'no_answer', 'cancelled',
                             'unreachable', 'connection_lost', 'refused', 'failed',
                             'interrupted')),
      end_reason           TEXT NOT NULL DEFAULT '',
      sas                  TEXT NOT NULL DEFAULT '',
      sas_confirmed_local  INTEGER NOT NULL DEFAULT 0,
      sas_confirmed_remote INTEGER NOT NULL DEFAULT 0,
      mean_rtt_ms          REAL NULL,
      loss_percent         REAL NULL,
      jitter_ms            REAL NULL,
      concealed_percent    REAL NULL,
      fec_recovered        INTEGER NULL,
      interruptions        INTEGER NULL,
      note                 TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO calls_v3 SELECT * FROM calls;
    UPDATE calls_v3 SET outcome = 'cancelled'
      WHERE direction = 'out' AND outcome = 'no_answer' AND end_reason = 'cancelled';
    UPDATE calls_v3 SET end_reason = 'console_stopped' WHERE end_reason = 'console stopped';
    DROP TABLE calls;
    ALTER TABLE calls_v3 RENAME TO calls;
    CREATE INDEX calls_by_start ON calls (started_at, id);
    CREATE INDEX calls_by_peer ON calls (peer_name, started_at);
    CREATE INDEX calls_by_outcome ON calls (outcome, started_at);
    CREATE INDEX calls_open ON calls (id) WHERE ended_at IS NULL;
  )sql");
}

// v4: records that hold against someone with the files (docs/records.md, "Protection").
// The records key sealed to the console; each role passphrase's wrap of it; a MAC on audit
// entries and the head written without the signing key; pre-shared keys encrypted (the
// clear `psk` column is emptied by the first process that holds the key); and the seals of
// the peer directory: one per peer, over each of its fields, and one over the set of keys.
void schema_v4(Database& db) {
  db.exec(R"sql(
    CREATE TABLE records_key (
      id     INTEGER PRIMARY KEY CHECK (id = 1),
      sealed BLOB NOT NULL
    );
    ALTER TABLE role_passphrases ADD COLUMN key_wrap BLOB NULL;
    ALTER TABLE audit_log ADD COLUMN mac BLOB NULL CHECK (mac IS NULL OR length(mac) = 32);
    ALTER TABLE audit_head ADD COLUMN mac BLOB NULL CHECK (mac IS NULL OR length(mac) = 32);
    ALTER TABLE peers ADD COLUMN psk_sealed BLOB NULL;
    ALTER TABLE peers ADD COLUMN seal BLOB NULL;
    CREATE TABLE directory_seal (
      id   INTEGER PRIMARY KEY CHECK (id = 1),
      keys BLOB NOT NULL,
      mac  BLOB NOT NULL CHECK (length(mac) = 32)
    );
  )sql");
}

// v5: a disabled or removed peer's refused line-status probes, counted per key (they were
// recorded as refused calls, about 2 900 history rows a day from one probing console).
void schema_v5(Database& db) {
  db.exec(R"sql(
    CREATE TABLE refused_probes (
      public_key BLOB PRIMARY KEY CHECK (length(public_key) = 32),
      count      INTEGER NOT NULL CHECK (count >= 0),
      last_at    INTEGER NOT NULL
    );
  )sql");
}

// v6: the call history sealed to the roles that read it (docs/records.md, "Sealed history").
// Each process that records calls has an epoch: a random data key, stored only sealed to
// each reading role's public key (or, while no role has one, under the records key). A row
// is its id, its epoch, whether it is still open and the sealed record. Ids continue after
// the clear table's, whose rows move here (sealed) once a process holds the keys to do so.
void schema_v6(Database& db) {
  db.exec(R"sql(
    ALTER TABLE role_passphrases ADD COLUMN reader_public BLOB NULL
      CHECK (reader_public IS NULL OR length(reader_public) = 32);
    ALTER TABLE role_passphrases ADD COLUMN reader_mac BLOB NULL
      CHECK (reader_mac IS NULL OR length(reader_mac) = 32);
    CREATE TABLE history_epochs (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE history_epoch_keys (
      epoch  INTEGER NOT NULL REFERENCES history_epochs (id),
      holder TEXT NOT NULL CHECK (holder IN ('operator', 'admin', 'console')),
      sealed BLOB NOT NULL,
      PRIMARY KEY (epoch, holder)
    );
    CREATE TABLE sealed_calls (
      id     INTEGER PRIMARY KEY AUTOINCREMENT,
      epoch  INTEGER NOT NULL REFERENCES history_epochs (id),
      state  INTEGER NOT NULL CHECK (state IN (0, 1, 2)),
      sealed BLOB NOT NULL
    );
    CREATE INDEX sealed_calls_by_epoch ON sealed_calls (epoch, id);
    CREATE INDEX sealed_calls_open ON sealed_calls (id) WHERE state = 1;
    INSERT INTO sqlite_sequence (name, seq)
      VALUES ('sealed_calls', (SELECT coalesce(max(id), 0) FROM calls));
  )sql");
}

// v7: the audit entries' text sealed to the roles that read records (docs/records.md,
// "Sealed audit text"): an entry's role, actor and details move into `box`, sealed under the
// writing process's history epoch (`epoch`) or, from a process holding no key, to the roles'
// keys (`epoch` 0). Entries of earlier versions stay as they are until the console-key
// holder seals them (AuditLog::seal_clear).
void schema_v7(Database& db) {
  db.exec(R"sql(
    ALTER TABLE audit_log ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE audit_log ADD COLUMN box BLOB NULL;
  )sql");
}

// v8: a count of the changes to `sealed_calls`, kept by triggers, so an operator's open view
// tells whether the history changed without reading it, and an unlock can read the table while
// the passphrase is checked (docs/records.md, "Queries").
void schema_v8(Database& db) {
  db.exec(R"sql(
    CREATE TABLE sealed_calls_version (n INTEGER NOT NULL);
    INSERT INTO sealed_calls_version (n) VALUES (0);
    CREATE TRIGGER sealed_calls_inserted AFTER INSERT ON sealed_calls
      BEGIN UPDATE sealed_calls_version SET n = n + 1; END;
    CREATE TRIGGER sealed_calls_updated AFTER UPDATE ON sealed_calls
      BEGIN UPDATE sealed_calls_version SET n = n + 1; END;
    CREATE TRIGGER sealed_calls_deleted AFTER DELETE ON sealed_calls
      BEGIN UPDATE sealed_calls_version SET n = n + 1; END;
  )sql");
}

constexpr std::array<Migration, 8> kMigrations = {
    &schema_v1, &schema_v2, &schema_v3, &schema_v4, &schema_v5, &schema_v6, &schema_v7, &schema_v8,
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
