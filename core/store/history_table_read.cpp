// HistoryRecords' reading of the sealed table: the rows copied out of SQLite, their boxes
// opened in place on helper threads while the table is still read, kept rows updated where
// they are, and the table read ahead while an operator's passphrase is checked.
// history_records.cpp holds the queries over what is read.

#include <algorithm>
#include <exception>
#include <thread>

#include "core/store/database.hpp"
#include "core/store/history_records.hpp"
#include "core/store/record_codec.hpp"
#include "core/util/error.hpp"
#include "core/util/published_work.hpp"

namespace hotline::store {
namespace {

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

// The count of changes to sealed_calls (schema 8, kept by triggers); nullopt where the file has
// none (edited), and then every change of the database reads the whole table again.
std::optional<std::int64_t> table_version(Database& db) {
  try {
    Statement stmt = db.prepare("SELECT n FROM sealed_calls_version");
    if (!stmt.step()) return std::nullopt;
    return stmt.column_int64(0);
  } catch (const DatabaseError&) {
    return std::nullopt;
  }
}

std::size_t row_count(Database& db) {
  Statement stmt = db.prepare("SELECT count(*) FROM sealed_calls");
  stmt.step();
  return static_cast<std::size_t>(stmt.column_int64(0));
}

constexpr std::string_view kReadRows =
    "SELECT id, epoch, state, sealed FROM sealed_calls ORDER BY id";

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

// Opens the boxes of rows as they are published: on helper threads from the start, on the
// calling thread too once every row is published (finish). The rows, their keys and the flags
// must not move until then; a row whose key is null is not opened.
class HistoryRecords::Opening {
 public:
  Opening(Row* rows, const std::uint8_t* const* keys, char* opened, std::size_t expected_boxes)
      : rows_(rows), keys_(keys), opened_(opened) {
    const std::size_t wanted = helper_threads(expected_boxes);
    failures_.resize(wanted);
    helpers_.reserve(wanted);
    for (std::size_t t = 0; t < wanted; ++t) {
      try {
        helpers_.emplace_back([this, t] {
          try {
            open_taken();
          } catch (...) {
            failures_[t] = std::current_exception();
          }
        });
      } catch (...) {
        break;  // no more threads (or memory for one): the calling one opens the rest
      }
    }
  }
  Opening(const Opening&) = delete;
  Opening& operator=(const Opening&) = delete;
  ~Opening() {
    work_.finish(published_);  // on unwinding: the helpers end, and are joined below
  }

  void publish(std::size_t count) {
    if (count % kBatch != 0) return;
    published_ = count;
    work_.publish(count);
  }
  // Rows [0, count) are all: opens what is left, joins the helpers, rethrows their failure.
  void finish(std::size_t count) {
    published_ = count;
    work_.finish(count);
    open_taken();
    helpers_.clear();  // joins them
    for (const std::exception_ptr& failure : failures_) {
      if (failure) std::rethrow_exception(failure);
    }
  }

 private:
  void open_taken() {
    for (util::WorkBatch b = work_.take(kBatch); !b.empty(); b = work_.take(kBatch)) {
      for (std::size_t i = b.begin; i < b.end; ++i) {
        if (keys_[i] == nullptr) continue;
        Row& row = rows_[i];
        std::optional<CallFields> fields =
            open_call_in_place(crypto::KeyView(keys_[i], 32), row.id, row.epoch, row.box);
        if (!fields) continue;
        apply_state(*fields, row.state);
        take_fields(row, *fields);
        opened_[i] = 1;
      }
    }
  }

  Row* rows_;
  const std::uint8_t* const* keys_;
  char* opened_;
  util::PublishedWork work_;
  std::size_t published_ = 0;
  std::vector<std::exception_ptr> failures_;
  std::vector<std::jthread> helpers_;  // last: joined before the rest goes
};

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

void HistoryRecords::forget() noexcept {
  rows_.clear();
  boxes_.clear();
  read_at_.reset();
  read_version_.reset();
  unreadable_ = 0;
}

void HistoryRecords::refresh() {
  const auto before = db_->change_marker();
  if (read_at_ == before) return;
  if (boxes_.mostly_stale()) forget();  // many rows rewritten: read and open them all afresh
  try {
    if (ahead_) {
      ReadAhead ahead = std::move(*ahead_);
      ahead_.reset();
      if (open_read_ahead(ahead, before)) return;
    }
    if (table_unchanged(before)) return;
    read_table(before);
  } catch (...) {
    // The rows may be half updated: nothing half-read is ever shown, and the next query
    // reads and opens everything afresh.
    forget();
    throw;
  }
}

bool HistoryRecords::table_unchanged(std::pair<std::int64_t, std::int64_t> before) {
  // Rows left unread may open now (a key handed to the role since), which no count tells.
  if (!read_at_ || !read_version_ || unreadable_ != 0) return false;
  if (table_version(*db_) != read_version_) return false;
  // A commit after `before` changes the database's marker again: the count is checked anew.
  read_at_ = before;
  return true;
}

std::vector<const std::uint8_t*> HistoryRecords::keys_of(const std::vector<Row>& rows) {
  std::vector<const std::uint8_t*> keys;
  keys.reserve(rows.size());
  std::optional<std::int64_t> epoch;  // rows come by epoch: one lookup per run of them
  const std::uint8_t* key = nullptr;
  for (const Row& row : rows) {
    if (row.epoch != epoch) {
      epoch = row.epoch;
      const std::optional<crypto::KeyView> found = keyring_.key_of(row.epoch);
      key = found ? found->data() : nullptr;
    }
    keys.push_back(row.box.empty() ? nullptr : key);
  }
  return keys;
}

HistoryRecords::ReadAhead HistoryRecords::ReadAhead::read(const std::filesystem::path& database,
                                                          std::stop_token stop) {
  ReadAhead ahead;
  Database db = Database::open_without_migrating(database, Database::OpenMode::kMustExist);
  ReadSnapshot snapshot(db);
  const std::optional<std::int64_t> version = table_version(db);
  if (!version) return ahead;
  ahead.rows_.reserve(row_count(db));
  Statement stmt = db.prepare(std::string(kReadRows));
  while (stmt.step()) {
    if (stop.stop_requested()) return {};
    Row& row = ahead.rows_.emplace_back();
    row.id = stmt.column_int64(0);
    row.epoch = stmt.column_int64(1);
    row.state = static_cast<RowState>(stmt.column_int64(2));
    const ByteSpan sealed = stmt.column_blob(3);
    if (sealed.size() <= kMaxSealedRecord) row.box = ahead.boxes_.add(sealed);  // else: unread
  }
  ahead.version_ = version;
  return ahead;
}

bool HistoryRecords::open_read_ahead(ReadAhead& ahead,
                                     std::pair<std::int64_t, std::int64_t> before) {
  if (read_at_ || !rows_.empty() || !ahead.version_ || db_->in_transaction()) return false;
  keyring_.refresh(*db_);  // first: it may store the role's wraps of epoch keys
  const std::pair marker{db_->change_marker().first, before.second};  // as read_table's
  if (table_version(*db_) != ahead.version_) return false;  // changed since: read it again
  std::vector<Row>& rows = ahead.rows_;
  const std::vector<const std::uint8_t*> keys = keys_of(rows);
  unreadable_ = 0;
  std::vector<char> opened(rows.size(), 0);
  {
    Opening opening(rows.data(), keys.data(), opened.data(), rows.size());
    opening.finish(rows.size());
  }
  std::size_t left = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!opened[i]) {
      ++unreadable_;
      if (!rows[i].box.empty()) ahead.boxes_.drop(rows[i].box);
      continue;
    }
    if (left != i) rows[left] = rows[i];
    ++left;
  }
  rows.resize(left);
  boxes_ = std::move(ahead.boxes_);
  rows_ = std::move(rows);
  read_version_ = ahead.version_;
  read_at_ = marker;
  return true;
}

void HistoryRecords::read_table(std::pair<std::int64_t, std::int64_t> before) {
  keyring_.refresh(*db_);  // first: it may store the role's wraps of epoch keys
  // This connection's changes counted after the keyring's own writes (which would otherwise
  // make the next query read everything again), other processes' commits from before it: one
  // that lands from here on is read again next time.
  const std::pair marker{db_->change_marker().first, before.second};
  // Inside a transaction of this connection's own the count may be one it rolls back: not kept.
  const bool in_callers_transaction = db_->in_transaction();
  ReadSnapshot snapshot(*db_);
  ++table_reads_;
  unreadable_ = 0;
  const std::optional<std::int64_t> version =
      in_callers_transaction ? std::nullopt : table_version(*db_);
  const std::size_t count = row_count(*db_);  // exact: the same snapshot as the read below
  // The rows kept are updated where they are; a row with a new box (new, or rewritten) gets a
  // place in `opening`, sized once so that nothing moves while helper threads open the boxes.
  std::vector<char> still_there(rows_.size(), 0);
  std::vector<Row> fresh;
  fresh.reserve(count);
  std::vector<std::size_t> replaces;  // per fresh row: the index in rows_ it replaces, or kNew
  replaces.reserve(count);
  std::vector<const std::uint8_t*> keys;  // per fresh row
  keys.reserve(count);
  std::vector<char> opened(count, 0);  // char, not bool: each its own memory, for the threads
  Opening opening(fresh.data(), keys.data(), opened.data(), count - std::min(count, rows_.size()));

  // Both ascend by id, so the rows kept are found by walking them side by side.
  std::size_t kept = 0;
  std::optional<std::int64_t> key_epoch;  // rows come by epoch: one lookup per run of them
  const std::uint8_t* key = nullptr;
  Statement stmt = db_->prepare(std::string(kReadRows));
  while (stmt.step()) {
    if (fresh.size() == count) throw Error("the call history changed while it was read");
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
    if (epoch != key_epoch) {
      key_epoch = epoch;
      const std::optional<crypto::KeyView> found = keyring_.key_of(epoch);
      key = found ? found->data() : nullptr;
    }
    if (key == nullptr || sealed.size() > kMaxSealedRecord) {  // not copied: it would not open
      ++unreadable_;
      continue;
    }
    Row& row = fresh.emplace_back();
    row.id = id;
    row.epoch = epoch;
    row.state = state;
    row.box = boxes_.add(sealed);
    keys.push_back(key);
    replaces.push_back(known ? kept : kNew);
    opening.publish(fresh.size());
  }
  opening.finish(fresh.size());

  // Rewritten rows take their place; gone ones leave; new ones come at the end, in id order.
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    if (!opened[i]) {
      ++unreadable_;
      boxes_.drop(fresh[i].box);
    } else if (replaces[i] != kNew) {
      boxes_.drop(rows_[replaces[i]].box);
      rows_[replaces[i]] = fresh[i];
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
  bool all_new = true;
  for (std::size_t i = 0; i < fresh.size() && all_new; ++i) all_new = is_new(i);
  if (old_end == 0 && all_new) {
    rows_ = std::move(fresh);  // the first read, every row opened: nothing is copied
  } else {
    for (std::size_t i = 0; i < fresh.size(); ++i) {
      if (is_new(i)) rows_.push_back(fresh[i]);
    }
  }
  // Ids only grow, so new rows follow the old ones; a row put back with a lower id by hand
  // in the file would not, and is sorted in.
  if (old_end > 0 && old_end < rows_.size() && rows_[old_end].id < rows_[old_end - 1].id) {
    std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
  }
  read_version_ = version;
  read_at_ = marker;
}

}  // namespace hotline::store
