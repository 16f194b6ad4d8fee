#include "core/store/call_history.hpp"

#include <array>
#include <variant>

#include "core/store/database.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr std::array<std::string_view, kCallOutcomeCount> kOutcomeNames = {
    "answered",        "missed",  "declined", "busy",        "no_answer", "unreachable",
    "connection_lost", "refused", "failed",   "interrupted", "cancelled"};

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

// Binds the fields shared by begin() and update(), as parameters ?1..?21.
void bind_fields(Statement& stmt, const CallRecord& r) {
  stmt.bind(1, r.peer_name)
      .bind(2, r.peer_fingerprint)
      .bind(3, std::int64_t{r.peer_verified})
      .bind(4, to_string(r.direction))
      .bind(5, r.started_at)
      .bind(6, r.answered_at)
      .bind(7, r.ended_at)
      .bind(8, r.last_seen_at)
      .bind(9, r.duration_s)
      .bind(11, r.end_reason)
      .bind(12, r.sas)
      .bind(13, std::int64_t{r.sas_confirmed_local})
      .bind(14, std::int64_t{r.sas_confirmed_remote});
  if (r.outcome) {
    stmt.bind(10, to_string(*r.outcome));
  } else {
    stmt.bind_null(10);
  }
  if (r.quality) {
    stmt.bind(15, r.quality->mean_rtt_ms)
        .bind(16, r.quality->loss_percent)
        .bind(17, r.quality->jitter_ms)
        .bind(18, r.quality->concealed_percent)
        .bind(19, r.quality->fec_recovered)
        .bind(20, r.quality->interruptions);
  } else {
    for (int i = 15; i <= 20; ++i) stmt.bind_null(i);
  }
}

// LIKE pattern matching `text` anywhere, with LIKE's wildcards in it taken literally.
std::string contains_pattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

struct WhereClause {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> values;

  void add(std::string_view condition) {
    sql += (sql.empty() ? " WHERE " : " AND ") + std::string(condition);
  }
  int next() const { return static_cast<int>(values.size()) + 1; }
};

WhereClause where(const HistoryFilter& f) {
  WhereClause w;
  if (f.peer) {
    w.add("peer_name = ?" + std::to_string(w.next()));
    w.values.emplace_back(*f.peer);
  }
  if (f.since) {
    w.add("started_at >= ?" + std::to_string(w.next()));
    w.values.emplace_back(*f.since);
  }
  if (f.until) {
    w.add("started_at < ?" + std::to_string(w.next()));
    w.values.emplace_back(*f.until);
  }
  if (f.outcome) {
    w.add("outcome = ?" + std::to_string(w.next()));
    w.values.emplace_back(std::string(to_string(*f.outcome)));
  }
  if (f.direction) {
    w.add("direction = ?" + std::to_string(w.next()));
    w.values.emplace_back(std::string(to_string(*f.direction)));
  }
  if (f.text && !f.text->empty()) {
    const std::string p = "?" + std::to_string(w.next());
    w.add("(peer_name LIKE " + p + " ESCAPE '\\' OR peer_fingerprint LIKE " + p +
          " ESCAPE '\\' OR sas LIKE " + p + " ESCAPE '\\' OR end_reason LIKE " + p +
          " ESCAPE '\\' OR note LIKE " + p + " ESCAPE '\\')");
    w.values.emplace_back(contains_pattern(*f.text));
  }
  return w;
}

void bind_values(Statement& stmt, const WhereClause& w) {
  for (std::size_t i = 0; i < w.values.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    std::visit([&](const auto& v) { stmt.bind(index, v); }, w.values[i]);
  }
}

std::string_view sort_column(HistorySort sort) {
  switch (sort) {
    case HistorySort::kPeer:
      return "peer_name";
    case HistorySort::kDirection:
      return "direction";
    case HistorySort::kOutcome:
      return "outcome";
    case HistorySort::kDuration:
      return "duration_s";
    case HistorySort::kStarted:
      break;
  }
  return "started_at";
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

std::int64_t CallHistory::begin(const CallRecord& record) {
  if (record.peer_name.empty()) throw Error("a call record needs the peer's name");
  Statement stmt = db_->prepare(
      "INSERT INTO calls (peer_name, peer_fingerprint, peer_verified, direction, started_at, "
      "answered_at, ended_at, last_seen_at, duration_s, outcome, end_reason, sas, "
      "sas_confirmed_local, sas_confirmed_remote, mean_rtt_ms, loss_percent, jitter_ms, "
      "concealed_percent, fec_recovered, interruptions, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
      "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
  bind_fields(stmt, record);
  stmt.bind(21, record.note);
  stmt.run();
  return db_->last_insert_rowid();
}

void CallHistory::update(const CallRecord& record) {
  Statement stmt = db_->prepare(
      "UPDATE calls SET peer_name = ?1, peer_fingerprint = ?2, peer_verified = ?3, "
      "direction = ?4, started_at = ?5, answered_at = ?6, ended_at = ?7, last_seen_at = ?8, "
      "duration_s = ?9, outcome = ?10, end_reason = ?11, sas = ?12, sas_confirmed_local = ?13, "
      "sas_confirmed_remote = ?14, mean_rtt_ms = ?15, loss_percent = ?16, jitter_ms = ?17, "
      "concealed_percent = ?18, fec_recovered = ?19, interruptions = ?20 WHERE id = ?21");
  bind_fields(stmt, record);
  stmt.bind(21, record.id);
  stmt.run();
  if (db_->changes() == 0) throw Error("no call with id " + std::to_string(record.id));
}

void CallHistory::touch(std::span<const std::int64_t> ids, std::int64_t now) {
  if (ids.empty()) return;
  Transaction transaction(*db_);
  Statement stmt =
      db_->prepare("UPDATE calls SET last_seen_at = ?1 WHERE id = ?2 AND ended_at IS NULL");
  for (std::int64_t id : ids) {
    stmt.reset();
    stmt.bind(1, now).bind(2, id).run();
  }
  transaction.commit();
}

int CallHistory::close_interrupted() {
  Statement stmt = db_->prepare(
      "UPDATE calls SET outcome = 'interrupted', ended_at = last_seen_at, "
      "end_reason = ?1, duration_s = CASE WHEN answered_at IS NULL THEN 0 "
      "ELSE max(0, last_seen_at - answered_at) / 1000.0 END WHERE ended_at IS NULL");
  stmt.bind(1, kConsoleStoppedReason).run();
  return db_->changes();
}

std::vector<CallRecord> CallHistory::query(const HistoryFilter& filter) {
  const WhereClause w = where(filter);
  const std::string direction = filter.ascending ? " ASC" : " DESC";
  std::string sql = "SELECT " + std::string(kColumns) + " FROM calls" + w.sql + " ORDER BY " +
                    std::string(sort_column(filter.sort)) + direction + ", started_at" + direction +
                    ", id" + direction;
  sql += " LIMIT " + std::to_string(filter.limit.value_or(-1)) + " OFFSET " +
         std::to_string(filter.offset);
  Statement stmt = db_->prepare(sql);
  bind_values(stmt, w);
  std::vector<CallRecord> rows;
  while (stmt.step()) rows.push_back(read_row(stmt));
  return rows;
}

std::int64_t CallHistory::count(HistoryFilter filter) {
  const WhereClause w = where(filter);
  Statement stmt = db_->prepare("SELECT count(*) FROM calls" + w.sql);
  bind_values(stmt, w);
  stmt.step();
  return stmt.column_int64(0);
}

std::optional<CallRecord> CallHistory::get(std::int64_t id) {
  Statement stmt = db_->prepare("SELECT " + std::string(kColumns) + " FROM calls WHERE id = ?1");
  if (!stmt.bind(1, id).step()) return std::nullopt;
  return read_row(stmt);
}

void CallHistory::set_note(std::int64_t id, std::string_view note) {
  Statement stmt = db_->prepare("UPDATE calls SET note = ?2 WHERE id = ?1");
  stmt.bind(1, id).bind(2, note).run();
  if (db_->changes() == 0) throw Error("no call with id " + std::to_string(id));
}

}  // namespace hotline::store
