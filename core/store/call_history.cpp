#include "core/store/call_history.hpp"

#include <algorithm>
#include <array>

#include "core/store/database.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/sealed_call.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr std::array<std::string_view, kCallOutcomeCount> kOutcomeNames = {
    "answered",        "missed",  "declined", "busy",        "no_answer", "unreachable",
    "connection_lost", "refused", "failed",   "interrupted", "cancelled"};

// The clear table of schema v5 and earlier, read once to be sealed.
constexpr std::string_view kColumns =
    "id, peer_name, peer_fingerprint, peer_verified, direction, started_at, answered_at, "
    "ended_at, last_seen_at, duration_s, outcome, end_reason, sas, sas_confirmed_local, "
    "sas_confirmed_remote, mean_rtt_ms, loss_percent, jitter_ms, concealed_percent, "
    "fec_recovered, interruptions, note";

CallRecord read_row(const Statement& row) {
  CallRecord r;
  r.id = row.column_int64(0);
  r.peer_name = row.column_text(1);
  r.peer_fingerprint = row.column_text(2);
  r.peer_verified = row.column_int64(3) != 0;
  r.direction = row.column_text(4) == "in" ? CallDirection::kIn : CallDirection::kOut;
  r.started_at = row.column_int64(5);
  r.answered_at = row.column_optional_int64(6);
  r.ended_at = row.column_optional_int64(7);
  r.last_seen_at = row.column_int64(8);
  r.duration_s = row.column_double(9);
  if (auto outcome = row.column_optional_text(10)) r.outcome = parse_call_outcome(*outcome);
  r.end_reason = row.column_text(11);
  r.sas = row.column_text(12);
  r.sas_confirmed_local = row.column_int64(13) != 0;
  r.sas_confirmed_remote = row.column_int64(14) != 0;
  if (!row.is_null(15)) {
    r.quality = CallQuality{row.column_double(15), row.column_double(16), row.column_double(17),
                            row.column_double(18), row.column_int64(19),  row.column_int64(20)};
  }
  r.note = row.column_text(21);
  return r;
}

}  // namespace

std::string_view to_string(CallOutcome outcome) {
  return kOutcomeNames[static_cast<std::size_t>(outcome)];
}

std::optional<CallOutcome> parse_call_outcome(std::string_view text) {
  for (std::size_t i = 0; i < kOutcomeNames.size(); ++i) {
    if (kOutcomeNames[i] == text) return static_cast<CallOutcome>(i);
  }
  return std::nullopt;
}

std::string_view to_string(CallDirection direction) {
  return direction == CallDirection::kIn ? "in" : "out";
}

std::optional<CallDirection> parse_call_direction(std::string_view text) {
  if (text == "in") return CallDirection::kIn;
  if (text == "out") return CallDirection::kOut;
  return std::nullopt;
}

CallHistory::CallHistory(Database& db, std::shared_ptr<const HistoryEpoch> epoch)
    : db_(&db), epoch_(std::move(epoch)) {
  if (!epoch_) throw Error("call history needs its epoch");
}

std::int64_t CallHistory::begin(const CallRecord& record) {
  if (record.peer_name.empty()) throw Error("a call record needs the peer's name");
  Transaction transaction(*db_);
  // The box binds the row's id, so the row is made first and sealed once the id is known.
  db_->prepare("INSERT INTO sealed_calls (epoch, state, sealed) VALUES (?1, ?2, x'')")
      .bind(1, epoch_->id)
      .bind(2, std::int64_t{record.ended_at ? 0 : 1})
      .run();
  const std::int64_t id = db_->last_insert_rowid();
  db_->prepare("UPDATE sealed_calls SET sealed = ?2 WHERE id = ?1")
      .bind(1, id)
      .bind(2, ByteSpan(seal_call(epoch_->key, id, epoch_->id, record)))
      .run();
  transaction.commit();
  return id;
}

std::optional<CallRecord> CallHistory::read_own(std::int64_t id) {
  Statement stmt = db_->prepare("SELECT sealed FROM sealed_calls WHERE id = ?1 AND epoch = ?2");
  if (!stmt.bind(1, id).bind(2, epoch_->id).step()) return std::nullopt;
  return open_call(epoch_->key, id, epoch_->id, stmt.column_blob(0));
}

void CallHistory::update(const CallRecord& record) {
  Transaction transaction(*db_);
  const std::optional<CallRecord> stored = read_own(record.id);
  if (!stored) throw Error("no call with id " + std::to_string(record.id));
  CallRecord next = record;
  next.note = stored->note;
  db_->prepare("UPDATE sealed_calls SET state = ?2, sealed = ?3 WHERE id = ?1")
      .bind(1, record.id)
      .bind(2, std::int64_t{record.ended_at ? 0 : 1})
      .bind(3, ByteSpan(seal_call(epoch_->key, record.id, epoch_->id, next)))
      .run();
  transaction.commit();
}

void CallHistory::touch(std::span<const CallRecord> records) {
  if (records.empty()) return;
  Transaction transaction(*db_);
  for (const CallRecord& record : records) update(record);
  transaction.commit();
}

std::vector<CallRecord> CallHistory::own_calls(std::int64_t limit) {
  Statement stmt =
      db_->prepare("SELECT id, state, sealed FROM sealed_calls WHERE epoch = ?1 ORDER BY id DESC");
  stmt.bind(1, epoch_->id);
  std::vector<CallRecord> rows;
  while (stmt.step()) {
    std::optional<CallRecord> r =
        open_call(epoch_->key, stmt.column_int64(0), epoch_->id, stmt.column_blob(2));
    if (!r) continue;
    apply_state(*r, static_cast<RowState>(stmt.column_int64(1)));
    rows.push_back(std::move(*r));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const CallRecord& a, const CallRecord& b) {
    return a.started_at != b.started_at ? a.started_at > b.started_at : a.id > b.id;
  });
  if (limit >= 0 && rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(static_cast<std::size_t>(limit));
  }
  return rows;
}

int CallHistory::close_interrupted(Database& db) {
  db.prepare("UPDATE sealed_calls SET state = 2 WHERE state = 1").run();
  return db.changes();
}

int seal_clear_history(Database& db, const RecordsKeys& keys, std::int64_t now_ms) {
  if (!db.prepare("SELECT 1 FROM calls LIMIT 1").step()) return 0;
  int moved = 0;
  {
    Transaction transaction(db);
    const HistoryEpoch epoch = HistoryKeyStore(db).create_epoch(keys, now_ms);
    Statement rows = db.prepare("SELECT " + std::string(kColumns) + " FROM calls ORDER BY id");
    Statement insert =
        db.prepare("INSERT INTO sealed_calls (id, epoch, state, sealed) VALUES (?1, ?2, ?3, ?4)");
    while (rows.step()) {
      const CallRecord r = read_row(rows);
      insert.reset();
      insert.bind(1, r.id)
          .bind(2, epoch.id)
          .bind(3, std::int64_t{r.ended_at ? 0 : 1})
          .bind(4, ByteSpan(seal_call(epoch.key, r.id, epoch.id, r)))
          .run();
      ++moved;
    }
    db.exec("DELETE FROM calls");
    transaction.commit();
  }
  // secure_delete zeroed the clear rows' pages; the copies in the write-ahead log go too.
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return moved;
}

}  // namespace hotline::store
