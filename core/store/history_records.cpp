#include "core/store/history_records.hpp"

#include <algorithm>
#include <span>

#include "core/store/database.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/record_codec.hpp"
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
std::string_view outcome_key(const std::optional<CallOutcome>& outcome) {
  return outcome ? to_string(*outcome) : std::string_view();
}

// -1, 0 or 1 for the filter's sort column alone.
template <class Call>
int compare_column(const Call& a, const Call& b, HistorySort sort) {
  const auto three_way = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (sort) {
    case HistorySort::kPeer:
      return three_way(a.peer_name, b.peer_name);
    case HistorySort::kDirection:
      return three_way(to_string(a.direction), to_string(b.direction));
    case HistorySort::kOutcome:
      return three_way(outcome_key(a.outcome), outcome_key(b.outcome));
    case HistorySort::kDuration:
      return three_way(a.duration_s, b.duration_s);
    case HistorySort::kStarted:
      break;
  }
  return three_way(a.started_at, b.started_at);
}

// Whether `r` passes every condition of `f` (limit and offset aside).
template <class Call>
bool matches(const Call& r, const HistoryFilter& f) {
  if (f.peer && r.peer_name != *f.peer) return false;
  if (f.since && r.started_at < *f.since) return false;
  if (f.until && r.started_at >= *f.until) return false;
  if (f.outcome && r.outcome != f.outcome) return false;
  if (f.direction && r.direction != *f.direction) return false;
  if (f.text && !f.text->empty()) {
    const std::string_view t = *f.text;
    return contains_ascii_nocase(r.peer_name, t) || contains_ascii_nocase(r.peer_fingerprint, t) ||
           contains_ascii_nocase(r.sas, t) || contains_ascii_nocase(r.end_reason, t) ||
           contains_ascii_nocase(r.note, t);
  }
  return true;
}

// Whether `a` comes before `b` in the filter's order (then start time, then id, in the same
// direction).
template <class Call>
bool calls_before(const Call& a, const Call& b, const HistoryFilter& f) {
  int c = compare_column(a, b, f.sort);
  if (c == 0) c = compare_column(a, b, HistorySort::kStarted);
  if (c == 0) c = a.id < b.id ? -1 : (a.id > b.id ? 1 : 0);
  return f.ascending ? c < 0 : c > 0;
}

}  // namespace

CallRecord HistoryRecords::record_of(const Row& row) {
  std::optional<CallFields> fields = read_opened_call(row.box);
  // It was read when it was opened, and nothing writes to it since.
  if (!fields) throw Error("call " + std::to_string(row.id) + " no longer reads");
  apply_state(*fields, row.state);
  return to_record(*fields, row.id);
}

const HistoryRecords::Row* HistoryRecords::find(std::int64_t id) const {
  const auto it =
      std::lower_bound(rows_.begin(), rows_.end(), id,
                       [](const Row& row, std::int64_t wanted) { return row.id < wanted; });
  return it != rows_.end() && it->id == id ? &*it : nullptr;
}

std::vector<const HistoryRecords::Row*> HistoryRecords::matching(const HistoryFilter& filter) {
  refresh();
  std::vector<const Row*> out;
  // Newest first when the order is descending (the default, newest first): ids follow start
  // times, so a page's partial sort then finds its rows first and passes over the rest.
  const auto take = [&](const Row& row) {
    if (matches(row, filter)) out.push_back(&row);
  };
  if (filter.ascending) {
    std::for_each(rows_.begin(), rows_.end(), take);
  } else {
    std::for_each(rows_.rbegin(), rows_.rend(), take);
  }
  return out;
}

std::vector<CallRecord> HistoryRecords::query(const HistoryFilter& filter) {
  std::vector<const Row*> rows = matching(filter);
  const auto before = [&filter](const Row* a, const Row* b) {
    return calls_before(*a, *b, filter);
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
  for (std::size_t i = offset; i < end; ++i) page.push_back(record_of(*rows[i]));
  return page;
}

std::int64_t HistoryRecords::count(const HistoryFilter& filter) {
  refresh();
  return std::count_if(rows_.begin(), rows_.end(),
                       [&filter](const Row& row) { return matches(row, filter); });
}

std::optional<CallRecord> HistoryRecords::get(std::int64_t id) {
  refresh();
  const Row* row = find(id);
  if (row == nullptr) return std::nullopt;
  return record_of(*row);
}

void HistoryRecords::set_note(std::int64_t id, std::string_view note) {
  keyring_.refresh(*db_);
  Transaction transaction(*db_);
  Statement stmt = db_->prepare("SELECT epoch, sealed FROM sealed_calls WHERE id = ?1");
  if (!stmt.bind(1, id).step()) throw Error("no call with id " + std::to_string(id));
  const std::int64_t epoch = stmt.column_int64(0);
  const std::optional<crypto::KeyView> key = keyring_.key_of(epoch);
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
