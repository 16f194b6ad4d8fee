#include "core/store/history_records.hpp"

#include <algorithm>

#include "core/store/database.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/sealed_call.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// SQL LIKE's case rule: ASCII letters only.
bool contains_ascii_nocase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                              [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
  return it != haystack.end();
}

// Missing outcomes (calls in progress) sort first, like SQL's NULLs; the others by name.
std::string_view outcome_key(const CallRecord& r) {
  return r.outcome ? to_string(*r.outcome) : std::string_view();
}

// -1, 0 or 1 for the filter's sort column alone.
int compare_column(const CallRecord& a, const CallRecord& b, HistorySort sort) {
  const auto three_way = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (sort) {
    case HistorySort::kPeer:
      return three_way(a.peer_name, b.peer_name);
    case HistorySort::kDirection:
      return three_way(to_string(a.direction), to_string(b.direction));
    case HistorySort::kOutcome:
      return three_way(outcome_key(a), outcome_key(b));
    case HistorySort::kDuration:
      return three_way(a.duration_s, b.duration_s);
    case HistorySort::kStarted:
      break;
  }
  return three_way(a.started_at, b.started_at);
}

}  // namespace

bool matches(const CallRecord& r, const HistoryFilter& f) {
  if (f.peer && r.peer_name != *f.peer) return false;
  if (f.since && r.started_at < *f.since) return false;
  if (f.until && r.started_at >= *f.until) return false;
  if (f.outcome && r.outcome != f.outcome) return false;
  if (f.direction && r.direction != *f.direction) return false;
  if (f.text && !f.text->empty()) {
    const std::string& t = *f.text;
    return contains_ascii_nocase(r.peer_name, t) || contains_ascii_nocase(r.peer_fingerprint, t) ||
           contains_ascii_nocase(r.sas, t) || contains_ascii_nocase(r.end_reason, t) ||
           contains_ascii_nocase(r.note, t);
  }
  return true;
}

bool calls_before(const CallRecord& a, const CallRecord& b, const HistoryFilter& f) {
  int c = compare_column(a, b, f.sort);
  if (c == 0) c = compare_column(a, b, HistorySort::kStarted);
  if (c == 0) c = a.id < b.id ? -1 : (a.id > b.id ? 1 : 0);
  return f.ascending ? c < 0 : c > 0;
}

void HistoryRecords::refresh() {
  const auto before = db_->change_marker();
  if (read_at_ == before) return;
  keyring_.refresh(*db_);  // first: it may store the role's wraps of epoch keys
  // This connection's changes counted after the keyring's own writes (which would otherwise
  // make the next query read everything again), other processes' commits from before it: one
  // that lands from here on is read again next time.
  const std::pair marker{db_->change_marker().first, before.second};
  ReadSnapshot snapshot(*db_);
  const std::uint64_t pass = ++refreshes_;
  unreadable_ = 0;
  if (rows_.empty()) {  // the first read: size the table once instead of rehashing as it fills
    Statement count = db_->prepare("SELECT count(*) FROM sealed_calls");
    count.step();
    rows_.reserve(static_cast<std::size_t>(count.column_int64(0)));
  }
  Statement stmt = db_->prepare("SELECT id, epoch, state, sealed FROM sealed_calls");
  while (stmt.step()) {
    const std::int64_t id = stmt.column_int64(0);
    const std::int64_t epoch = stmt.column_int64(1);
    const auto state = static_cast<RowState>(stmt.column_int64(2));
    const ByteSpan sealed = stmt.column_blob(3);
    std::array<std::uint8_t, 40> box_id{};
    if (sealed.size() >= box_id.size()) {
      std::copy_n(sealed.begin(), 24, box_id.begin());
      std::copy_n(sealed.end() - 16, 16, box_id.begin() + 24);
    }
    const auto it = rows_.find(id);
    if (it != rows_.end() && it->second.epoch == epoch && it->second.box_id == box_id) {
      // The state changes without a new box (a start marks open rows interrupted).
      apply_state(it->second.record, state);
      it->second.seen = pass;
      continue;
    }
    const crypto::SecretKey* key = keyring_.key_of(epoch);
    std::optional<CallRecord> record;
    if (key) record = open_call(*key, id, epoch, sealed);
    if (!record) {
      ++unreadable_;
      continue;  // left unseen: dropped below
    }
    apply_state(*record, state);
    rows_.insert_or_assign(id, Row{epoch, box_id, std::move(*record), pass});
  }
  std::erase_if(rows_, [pass](const auto& entry) { return entry.second.seen != pass; });
  read_at_ = marker;
}

std::vector<const HistoryRecords::Row*> HistoryRecords::matching(const HistoryFilter& filter) {
  refresh();
  std::vector<const Row*> out;
  for (const auto& [id, row] : rows_) {
    if (matches(row.record, filter)) out.push_back(&row);
  }
  return out;
}

std::vector<CallRecord> HistoryRecords::query(const HistoryFilter& filter) {
  std::vector<const Row*> rows = matching(filter);
  const auto before = [&filter](const Row* a, const Row* b) {
    return calls_before(a->record, b->record, filter);
  };
  const auto offset =
      std::min(static_cast<std::size_t>(std::max<std::int64_t>(0, filter.offset)), rows.size());
  std::size_t end = rows.size();
  if (filter.limit && *filter.limit >= 0) {
    end = std::min(end, offset + static_cast<std::size_t>(*filter.limit));
  }
  // A page needs only its rows in order: the newest 100 of 100 000 is a partial sort.
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(end), rows.end(),
                    before);
  std::vector<CallRecord> page;
  page.reserve(end - offset);
  for (std::size_t i = offset; i < end; ++i) page.push_back(rows[i]->record);
  return page;
}

std::int64_t HistoryRecords::count(const HistoryFilter& filter) {
  refresh();
  return std::count_if(rows_.begin(), rows_.end(), [&filter](const auto& entry) {
    return matches(entry.second.record, filter);
  });
}

std::optional<CallRecord> HistoryRecords::get(std::int64_t id) {
  refresh();
  const auto it = rows_.find(id);
  if (it == rows_.end()) return std::nullopt;
  return it->second.record;
}

void HistoryRecords::set_note(std::int64_t id, std::string_view note) {
  keyring_.refresh(*db_);
  Transaction transaction(*db_);
  Statement stmt = db_->prepare("SELECT epoch, sealed FROM sealed_calls WHERE id = ?1");
  if (!stmt.bind(1, id).step()) throw Error("no call with id " + std::to_string(id));
  const std::int64_t epoch = stmt.column_int64(0);
  const crypto::SecretKey* key = keyring_.key_of(epoch);
  std::optional<CallRecord> r;
  if (key) r = open_call(*key, id, epoch, stmt.column_blob(1));
  if (!r) throw Error("call " + std::to_string(id) + " cannot be opened with this role's key");
  r->note = std::string(note);
  db_->prepare("UPDATE sealed_calls SET sealed = ?2 WHERE id = ?1")
      .bind(1, id)
      .bind(2, ByteSpan(seal_call(*key, id, epoch, *r)))
      .run();
  transaction.commit();
}

}  // namespace hotline::store
