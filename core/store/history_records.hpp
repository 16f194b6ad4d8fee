#pragma once
// The call history as a role reads it: every sealed row whose epoch the role's keyring
// opens, filtered, sorted and paged in memory (the rows' fields are not in the clear for
// SQL to filter). The opened rows are kept for as long as the role's grant lives (it owns
// this object): a query reads the table again only when the database changed, and then
// opens only the rows whose box changed. docs/records.md, "Sealed history".

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/store/call_history.hpp"
#include "core/store/history_keys.hpp"

namespace hotline::store {

// Whether `record` passes every condition of `filter` (limit and offset aside).
bool matches(const CallRecord& record, const HistoryFilter& filter);
// Whether `a` comes before `b` in the filter's order (then start time, then id, in the same
// direction).
bool calls_before(const CallRecord& a, const CallRecord& b, const HistoryFilter& filter);

class HistoryRecords {
 public:
  HistoryRecords(Database& db, HistoryReaderKey reader) : db_(&db), keyring_(std::move(reader)) {}

  HistoryKeyring& keyring() { return keyring_; }

  // Opens every row now. The console does it as part of an operator's unlock, off the GUI
  // thread, so the first view after the unlock is as quick as every later one
  // (docs/performance.md); queries do it themselves otherwise. Many rows to open are shared
  // among up to one thread per core (4 at most).
  void load() { refresh(); }

  std::vector<CallRecord> query(const HistoryFilter& filter);
  std::int64_t count(const HistoryFilter& filter);  // limit and offset ignored
  std::optional<CallRecord> get(std::int64_t id);
  // Throws hotline::Error "no call with id N" if absent or not readable by the role.
  void set_note(std::int64_t id, std::string_view note);

  // Rows of the last read that the role's keys did not open (sealed before the role had its
  // present passphrase, or edited in the file).
  std::int64_t unreadable() const { return unreadable_; }

 private:
  using BoxId = std::array<std::uint8_t, 40>;
  struct Row {
    std::int64_t epoch = 0;
    // The box's nonce and tag: a rewritten box has new ones. (A box edited in the file
    // keeping both would not open; the authentic record seen before stays shown until the
    // next grant reads it afresh and counts it unreadable.)
    BoxId box_id{};
    CallRecord record;  // its state applied; record.id orders rows_
  };

  // Brings rows_ up to the table: nothing is read when the database did not change.
  void refresh();
  void read_table(std::pair<std::int64_t, std::int64_t> change_marker_before);
  std::vector<const Row*> matching(const HistoryFilter& filter);
  const Row* find(std::int64_t id) const;

  Database* db_;
  HistoryKeyring keyring_;
  std::vector<Row> rows_;  // ascending id, as SQLite returns them
  std::optional<std::pair<std::int64_t, std::int64_t>> read_at_;
  std::int64_t unreadable_ = 0;
};

}  // namespace hotline::store
