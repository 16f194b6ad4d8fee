#pragma once
// The call history as a role reads it: every sealed row whose epoch the role's keyring
// opens, filtered, sorted and paged in memory (the rows' fields are not in the clear for
// SQL to filter). The opened rows are kept for as long as the role's grant lives (it owns
// this object): a query reads the table again only when the database changed, and then
// opens only the rows whose box changed. docs/records.md, "Sealed history".

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string_view>
#include <utility>
#include <vector>

#include "core/store/call_history.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/opened_boxes.hpp"
#include "core/store/sealed_call.hpp"

namespace hotline::store {

class HistoryRecords {
  struct Row;

 public:
  // The table read ahead on a connection of its own, before the role's keys are known: what an
  // operator's unlock does while the passphrase is checked (admin::RoleGate). The boxes are
  // copied, not opened. Reading stops early, leaving it unusable, when `stop` is requested.
  class ReadAhead {
   public:
    static ReadAhead read(const std::filesystem::path& database, std::stop_token stop = {});

   private:
    friend class HistoryRecords;
    std::optional<std::int64_t> version_;  // the table's change count; none: not usable
    OpenedBoxes boxes_;
    std::vector<Row> rows_;
  };

  HistoryRecords(Database& db, HistoryReaderKey reader) : db_(&db), keyring_(std::move(reader)) {}

  HistoryKeyring& keyring() { return keyring_; }

  // Opens every row now. The console does it as part of an operator's unlock, off the GUI
  // thread, so the first view after the unlock is as quick as every later one
  // (docs/performance.md); queries do it themselves otherwise. Many rows to open are shared
  // among up to one thread per core (4 at most).
  void load() { refresh(); }
  // The first read opens `ahead`'s boxes instead of reading the table again, if the table has
  // not changed since it was read (its change count, schema 8, is the same).
  void use(ReadAhead ahead) { ahead_.emplace(std::move(ahead)); }

  std::vector<CallRecord> query(const HistoryFilter& filter);
  std::int64_t count(const HistoryFilter& filter);  // limit and offset ignored
  std::optional<CallRecord> get(std::int64_t id);
  // Throws hotline::Error "no call with id N" if absent or not readable by the role.
  void set_note(std::int64_t id, std::string_view note);

  // Rows of the last read that the role's keys did not open (sealed before the role had its
  // present passphrase, or edited in the file).
  std::int64_t unreadable() const { return unreadable_; }
  // The bytes of opened records held, rows no longer shown included (they are let go once they
  // outweigh the rest).
  std::size_t held_bytes() const { return boxes_.used(); }
  // How many times the whole table was read by this view (a read-ahead it used not counted):
  // the tests and the benchmark watch it.
  std::int64_t table_reads() const { return table_reads_; }

 private:
  // A row as queries filter and sort it: the fields they look at, its state applied, the texts
  // pointing into its box, which was opened where it lies. A page's CallRecords are read from
  // the box again: most rows are never copied out.
  struct Row {
    std::int64_t id = 0;
    std::int64_t epoch = 0;
    RowState state = RowState::kEnded;
    MutableByteSpan box;  // in boxes_: the nonce, the opened record, the tag
    std::string_view peer_name;
    std::string_view peer_fingerprint;
    std::string_view end_reason;
    std::string_view sas;
    std::string_view note;
    std::int64_t started_at = 0;
    double duration_s = 0;
    std::optional<CallOutcome> outcome;
    CallDirection direction = CallDirection::kOut;
  };
  class Opening;
  static void take_fields(Row& row, const CallFields& fields);
  static CallRecord record_of(const Row& row);

  // Brings rows_ up to the table: nothing is read when the database did not change.
  void refresh();
  void read_table(std::pair<std::int64_t, std::int64_t> change_marker_before);
  bool open_read_ahead(ReadAhead& ahead, std::pair<std::int64_t, std::int64_t> before);
  bool table_unchanged(std::pair<std::int64_t, std::int64_t> change_marker_before);
  // The epoch key of each row, nullptr where the role has none (the row is not opened).
  std::vector<const std::uint8_t*> keys_of(const std::vector<Row>& rows);
  void forget() noexcept;
  std::vector<const Row*> matching(const HistoryFilter& filter);
  const Row* find(std::int64_t id) const;

  Database* db_;
  HistoryKeyring keyring_;
  OpenedBoxes boxes_;      // before rows_, which point into it
  std::vector<Row> rows_;  // ascending id, as SQLite returns them
  std::optional<std::pair<std::int64_t, std::int64_t>> read_at_;
  std::optional<std::int64_t> read_version_;  // the table's change count at the last read
  std::optional<ReadAhead> ahead_;
  std::int64_t unreadable_ = 0;
  std::int64_t table_reads_ = 0;
};

}  // namespace hotline::store
