#include "core/store/history_records.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <span>
#include <system_error>
#include <thread>

#include "core/store/database.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/record_codec.hpp"
#include "core/store/sealed_call.hpp"
#include "core/util/error.hpp"
#include "core/util/published_work.hpp"

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

// Whether `sealed` is the box `opened` was before it was opened in place: the nonce and the tag
// stay where they were, and a rewritten box has new ones. (A box edited in the file keeping
// both would not open; the authentic record seen before stays shown until the next grant reads
// it afresh and counts it unreadable.)
bool same_box(ByteSpan opened, ByteSpan sealed) {
  constexpr std::size_t kNonce = 24;
  constexpr std::size_t kTag = 16;
  return opened.size() == sealed.size() && sealed.size() >= kSealedOverhead &&
         std::equal(sealed.begin(), sealed.begin() + kNonce, opened.begin()) &&
         std::equal(sealed.end() - kTag, sealed.end(), opened.end() - kTag);
}

// Helper threads start when an unlock has at least this many boxes per thread to open: a
// thread's start costs more than a few thousand boxes take. At most kMostThreads, so an
// unlock never takes every core of a large machine.
constexpr std::size_t kMinBoxesPerThread = 4096;
constexpr std::size_t kMostThreads = 4;
constexpr std::size_t kBatch = 256;                         // boxes published, and taken, at a time
constexpr std::size_t kNew = static_cast<std::size_t>(-1);  // a row not in the table before

// Threads to start besides the calling one.
std::size_t helper_threads(std::size_t expected_boxes) {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = std::min({cores, kMostThreads, expected_boxes / kMinBoxesPerThread});
  return threads > 1 ? threads - 1 : 0;
}

}  // namespace

void HistoryRecords::take_fields(Row& row, const CallFields& f) {
  row.peer_name = f.peer_name;
  row.peer_fingerprint = f.peer_fingerprint;
  row.end_reason = f.end_reason;
  row.sas = f.sas;
  row.note = f.note;
  row.started_at = f.started_at;
  row.duration_s = f.duration_s;
  row.outcome = f.outcome;
  row.direction = f.direction;
}

CallRecord HistoryRecords::record_of(const Row& row) {
  std::optional<CallFields> fields = read_opened_call(row.box);
  // It was read when it was opened, and nothing writes to it since.
  if (!fields) throw Error("call " + std::to_string(row.id) + " no longer reads");
  apply_state(*fields, row.state);
  return to_record(*fields, row.id);
}

void HistoryRecords::forget() noexcept {
  rows_.clear();
  boxes_.clear();
  read_at_.reset();
  unreadable_ = 0;
}

void HistoryRecords::refresh() {
  const auto before = db_->change_marker();
  if (read_at_ == before) return;
  if (boxes_.mostly_stale()) forget();  // many rows rewritten: read and open them all afresh
  try {
    read_table(before);
  } catch (...) {
    // The rows may be half updated: nothing half-read is ever shown, and the next query
    // reads and opens everything afresh.
    forget();
    throw;
  }
}

void HistoryRecords::read_table(std::pair<std::int64_t, std::int64_t> before) {
  keyring_.refresh(*db_);  // first: it may store the role's wraps of epoch keys
  // This connection's changes counted after the keyring's own writes (which would otherwise
  // make the next query read everything again), other processes' commits from before it: one
  // that lands from here on is read again next time.
  const std::pair marker{db_->change_marker().first, before.second};
  ReadSnapshot snapshot(*db_);
  unreadable_ = 0;
  std::size_t count = 0;  // exact: the same snapshot as the read below
  {
    Statement stmt = db_->prepare("SELECT count(*) FROM sealed_calls");
    stmt.step();
    count = static_cast<std::size_t>(stmt.column_int64(0));
  }
  // The rows kept are updated where they are; a row with a new box (new, or rewritten) gets a
  // place in `opening`, sized once so that nothing moves while helper threads open the boxes.
  std::vector<char> still_there(rows_.size(), 0);
  std::vector<Row> opening;
  opening.reserve(count);
  std::vector<std::size_t> replaces;  // per opening row: the index in rows_ it replaces, or kNew
  replaces.reserve(count);
  std::vector<crypto::KeyView> keys;  // per opening row
  keys.reserve(count);
  std::vector<char> opened(count, 0);  // char, not bool: each its own memory, for the threads
  Row* const rows = opening.data();
  const crypto::KeyView* const key_list = keys.data();

  util::PublishedWork work;
  const auto open_taken = [&] {
    for (util::WorkBatch b = work.take(kBatch); !b.empty(); b = work.take(kBatch)) {
      for (std::size_t i = b.begin; i < b.end; ++i) {
        Row& row = rows[i];
        std::optional<CallFields> fields =
            open_call_in_place(key_list[i], row.id, row.epoch, row.box);
        if (!fields) continue;
        apply_state(*fields, row.state);
        take_fields(row, *fields);
        opened[i] = 1;
      }
    }
  };
  const std::size_t helpers_wanted = helper_threads(count - std::min(count, rows_.size()));
  std::vector<std::exception_ptr> failures(helpers_wanted);
  std::vector<std::jthread> helpers;  // after the data they use: joined before it goes
  for (std::size_t t = 0; t < helpers_wanted; ++t) {
    try {
      helpers.emplace_back([&, t] {
        try {
          open_taken();
        } catch (...) {
          failures[t] = std::current_exception();
        }
      });
    } catch (const std::system_error&) {
      break;  // no more threads: this one opens the rest
    }
  }

  try {
    // Both ascend by id, so the rows kept are found by walking them side by side.
    std::size_t kept = 0;
    std::optional<std::pair<std::int64_t, crypto::KeyView>> last_key;  // rows come by epoch
    Statement stmt = db_->prepare("SELECT id, epoch, state, sealed FROM sealed_calls ORDER BY id");
    while (stmt.step()) {
      if (opening.size() == count) throw Error("the call history changed while it was read");
      const std::int64_t id = stmt.column_int64(0);
      const std::int64_t epoch = stmt.column_int64(1);
      const auto state = static_cast<RowState>(stmt.column_int64(2));
      const ByteSpan sealed = stmt.column_blob(3);
      while (kept < rows_.size() && rows_[kept].id < id) ++kept;  // removed
      const bool known = kept < rows_.size() && rows_[kept].id == id;
      if (known && rows_[kept].epoch == epoch && same_box(rows_[kept].box, sealed)) {
        Row& row = rows_[kept];
        if (row.state != state) {  // a start marks open rows interrupted without a new box
          std::optional<CallFields> fields = read_opened_call(row.box);
          if (!fields) throw Error("call " + std::to_string(id) + " no longer reads");
          apply_state(*fields, state);
          take_fields(row, *fields);
          row.state = state;
        }
        still_there[kept] = 1;
        continue;
      }
      if (!last_key || last_key->first != epoch) {
        const std::optional<crypto::KeyView> key = keyring_.key_of(epoch);
        if (key) {
          last_key.emplace(epoch, *key);
        } else {
          last_key.reset();
        }
      }
      if (!last_key || sealed.size() > kMaxSealedRecord) {  // not copied: it would not open
        ++unreadable_;
        continue;
      }
      Row& row = opening.emplace_back();
      row.id = id;
      row.epoch = epoch;
      row.state = state;
      row.box = boxes_.add(sealed);
      keys.push_back(last_key->second);
      replaces.push_back(known ? kept : kNew);
      if (opening.size() % kBatch == 0) work.publish(opening.size());
    }
  } catch (...) {
    work.finish(opening.size());  // the helpers end; the unwinding joins them
    throw;
  }
  work.finish(opening.size());
  open_taken();
  helpers.clear();  // joins them
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }

  // Rewritten rows take their place; gone ones leave; new ones come at the end, in id order.
  for (std::size_t i = 0; i < opening.size(); ++i) {
    if (!opened[i]) {
      ++unreadable_;
      boxes_.drop(opening[i].box);
    } else if (replaces[i] != kNew) {
      boxes_.drop(rows_[replaces[i]].box);
      rows_[replaces[i]] = opening[i];
      still_there[replaces[i]] = 1;
    }
  }
  std::size_t left = 0;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (!still_there[i]) {
      boxes_.drop(rows_[i].box);
      continue;
    }
    if (left != i) rows_[left] = rows_[i];
    ++left;
  }
  rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(left), rows_.end());
  const std::size_t old_end = rows_.size();
  const auto is_new = [&](std::size_t i) { return opened[i] && replaces[i] == kNew; };
  if (old_end == 0 && std::all_of(opening.begin(), opening.end(),
                                  [&](const Row& row) { return is_new(&row - rows); })) {
    rows_ = std::move(opening);  // the first read, every row opened: nothing is copied
  } else {
    for (std::size_t i = 0; i < opening.size(); ++i) {
      if (is_new(i)) rows_.push_back(opening[i]);
    }
  }
  // Ids only grow, so new rows follow the old ones; a row put back with a lower id by hand
  // in the file would not, and is sorted in.
  if (old_end > 0 && old_end < rows_.size() && rows_[old_end].id < rows_[old_end - 1].id) {
    std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
  }
  read_at_ = marker;
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
