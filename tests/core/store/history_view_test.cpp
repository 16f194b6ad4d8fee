// An operator's open view of the sealed history (store::HistoryRecords) as the table changes:
// it follows what other connections write and reads the table only when the history changed,
// opens many rows on several threads, lets go of boxes no row uses, and opens the table read
// ahead during an unlock without reading it again. docs/records.md, "Queries".

#include <catch2/catch_test_macros.hpp>
#include <stop_token>

#include "core/store/record_codec.hpp"
#include "tests/support/sealed_history.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;

namespace {

CallRecord answered_call(std::int64_t started) {
  CallRecord r;
  r.peer_name = "Tokyo";
  r.peer_fingerprint = "43121 99870 55512 90017";
  r.direction = CallDirection::kIn;
  r.started_at = r.last_seen_at = started;
  r.ended_at = started + 60'000;
  r.outcome = CallOutcome::kAnswered;
  return r;
}

}  // namespace

TEST_CASE("an operator's open view sees what another connection writes, and only that is read") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  HistoryRecords view = sealed.reader();
  CHECK(view.count({}) == 0);
  Database recorder = Database::open(dir.path() / "hotline.db");
  CallHistory writer(recorder, sealed.epoch);
  CallRecord r = answered_call(1'000);
  r.id = writer.begin(r);
  CHECK(view.count({}) == 1);
  r.outcome = CallOutcome::kMissed;
  writer.update(r);
  CHECK(view.get(r.id)->outcome == CallOutcome::kMissed);
  CHECK(CallHistory::close_interrupted(recorder) == 0);
  // A start marks a call left open interrupted without a new box: the view's filters follow.
  CallRecord open = answered_call(2'000);
  open.ended_at.reset();
  open.outcome.reset();
  open.answered_at = 2'500;
  open.last_seen_at = 9'500;
  open.id = writer.begin(open);
  HistoryFilter interrupted;
  interrupted.outcome = CallOutcome::kInterrupted;
  CHECK(view.count(interrupted) == 0);
  CHECK(CallHistory::close_interrupted(recorder) == 1);
  CHECK(view.count(interrupted) == 1);
  const CallRecord closed = *view.get(open.id);
  CHECK(closed.end_reason == kConsoleStoppedReason);
  CHECK(closed.ended_at == 9'500);
  CHECK(closed.duration_s == 7.0);
  HistoryFilter by_reason;
  by_reason.text = "CONSOLE_STOPPED";
  CHECK(view.query(by_reason).at(0).id == open.id);
  recorder.exec("DELETE FROM sealed_calls");
  CHECK(view.count({}) == 0);
}

TEST_CASE("a view whose rows were rewritten many times lets go of the boxes no row uses") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  constexpr int kCalls = 2'000;
  CallHistory writer = sealed.writer();
  std::vector<CallRecord> calls;
  {
    Transaction transaction(db);
    for (int i = 0; i < kCalls; ++i) {
      CallRecord r = answered_call(i);
      r.id = writer.begin(r);
      calls.push_back(r);
    }
    transaction.commit();
  }
  HistoryRecords view = sealed.reader();
  view.load();
  const std::size_t first_read = view.held_bytes();
  CHECK(first_read >= kCalls * (kSealedOverhead + 64));
  // Every row rewritten, again and again (a heartbeat each): the view reads each rewrite.
  for (int round = 1; round <= 8; ++round) {
    Transaction transaction(db);
    for (CallRecord& r : calls) {
      r.end_reason = "round " + std::to_string(round);
      writer.update(r);
    }
    transaction.commit();
    HistoryFilter this_round;
    this_round.text = "round " + std::to_string(round);
    REQUIRE(view.count(this_round) == kCalls);
    REQUIRE(view.get(calls[1'234].id)->end_reason == "round " + std::to_string(round));
    // Boxes no row uses any more are let go once they outweigh the rest (and a block).
    CHECK(view.held_bytes() <= 2 * first_read + (std::size_t{1} << 20));
  }
  CHECK(view.unreadable() == 0);
}

TEST_CASE("a view of 10 000 calls, opened on several threads, follows rows changed in the middle") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  constexpr int kCalls = 10'000;  // more than one thread's share (history_records.cpp)
  std::vector<std::int64_t> ids;
  {
    CallHistory writer = sealed.writer();
    Transaction transaction(db);
    for (int i = 0; i < kCalls; ++i) {
      CallRecord r = answered_call(i);
      r.note = "call " + std::to_string(i);
      ids.push_back(writer.begin(r));
    }
    transaction.commit();
  }
  HistoryRecords view = sealed.reader();
  view.load();
  CHECK(view.unreadable() == 0);
  const std::vector<CallRecord> all = view.query({});
  REQUIRE(all.size() == kCalls);
  // Every box opened into its own row, whichever thread opened it.
  for (const CallRecord& r : all) {
    REQUIRE(r.id == ids.at(static_cast<std::size_t>(r.started_at)));
    REQUIRE(r.note == "call " + std::to_string(r.started_at));
  }

  // Another process rewrites one row, deletes one and damages a third, all mid-table.
  Database other = Database::open(dir.path() / "hotline.db");
  CallHistory writer(other, sealed.epoch);
  CallRecord changed = *view.get(ids[5'000]);
  changed.outcome = CallOutcome::kMissed;
  writer.update(changed);
  other.prepare("DELETE FROM sealed_calls WHERE id = ?1").bind(1, ids[3'000]).run();
  {
    Bytes box;
    {
      Statement read = other.prepare("SELECT sealed FROM sealed_calls WHERE id = ?1");
      REQUIRE(read.bind(1, ids[7'000]).step());
      const ByteSpan stored = read.column_blob(0);
      box.assign(stored.begin(), stored.end());
    }
    box.at(40) ^= 0x01;  // the ciphertext, not its nonce or tag
    other.prepare("UPDATE sealed_calls SET sealed = ?2 WHERE id = ?1")
        .bind(1, ids[7'000])
        .bind(2, ByteSpan(box))
        .run();
  }
  // The open view reads the table again and opens only the rewritten box; the damaged one
  // keeps its nonce and tag, so the authentic record seen before stays.
  CHECK(view.count({}) == kCalls - 1);
  CHECK(view.get(ids[5'000])->outcome == CallOutcome::kMissed);
  CHECK_FALSE(view.get(ids[3'000]));
  CHECK(view.get(ids[7'000])->note == "call 7000");
  CHECK(view.get(ids[7'001])->note == "call 7001");
  CHECK(view.unreadable() == 0);
  // A new grant opens everything afresh: the damaged box is counted, not shown.
  HistoryRecords next_grant = sealed.reader();
  CHECK(next_grant.count({}) == kCalls - 2);
  CHECK(next_grant.unreadable() == 1);
  CHECK_FALSE(next_grant.get(ids[7'000]));
  CHECK(next_grant.get(ids[9'999])->note == "call 9999");
}
namespace {

// `calls` sealed calls, each with its index in its note; their ids.
std::vector<std::int64_t> write_calls(test::SealedHistory& sealed, int calls) {
  std::vector<std::int64_t> ids;
  CallHistory writer = sealed.writer();
  Transaction transaction(sealed.db);
  for (int i = 0; i < calls; ++i) {
    CallRecord r = answered_call(i);
    r.note = "call " + std::to_string(i);
    ids.push_back(writer.begin(r));
  }
  transaction.commit();
  return ids;
}

}  // namespace

TEST_CASE("the table read ahead is opened without reading it again; a change since is read") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  constexpr int kCalls = 8'200;  // enough for a helper thread (history_table_read.cpp)
  const std::vector<std::int64_t> ids = write_calls(sealed, kCalls);

  SECTION("unchanged: its boxes are opened, the table is not read") {
    HistoryRecords view = sealed.reader();
    view.use(HistoryRecords::ReadAhead::read(db.path()));
    view.load();
    CHECK(view.table_reads() == 0);
    CHECK(view.count({}) == kCalls);
    CHECK(view.unreadable() == 0);
    CHECK(view.get(ids[8'123])->note == "call 8123");
    CHECK(view.query({}).front().id == ids.back());
  }
  SECTION("a row rewritten after the read ahead: the table is read and the new row shown") {
    HistoryRecords::ReadAhead ahead = HistoryRecords::ReadAhead::read(db.path());
    Database other = Database::open(db.path());
    CallHistory writer(other, sealed.epoch);
    CallRecord changed = *sealed.reader().get(ids[10]);
    changed.outcome = CallOutcome::kMissed;
    writer.update(changed);
    HistoryRecords view = sealed.reader();
    view.use(std::move(ahead));
    CHECK(view.get(ids[10])->outcome == CallOutcome::kMissed);
    CHECK(view.table_reads() == 1);
    CHECK(view.count({}) == kCalls);
  }
  SECTION("a read ahead stopped early is not used") {
    std::stop_source stop;
    stop.request_stop();
    HistoryRecords view = sealed.reader();
    view.use(HistoryRecords::ReadAhead::read(db.path(), stop.get_token()));
    CHECK(view.count({}) == kCalls);
    CHECK(view.table_reads() == 1);
  }
  SECTION("rows the role cannot open are counted, as when it reads the table itself") {
    db.prepare("UPDATE history_epoch_keys SET sealed = zeroblob(80) WHERE holder = 'operator'")
        .run();
    HistoryRecords view = sealed.reader();
    view.use(HistoryRecords::ReadAhead::read(db.path()));
    CHECK(view.count({}) == 0);
    CHECK(view.unreadable() == kCalls);
    CHECK(view.table_reads() == 0);
  }
}

TEST_CASE("an open view reads the table again only when the call history changed") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  const std::vector<std::int64_t> ids = write_calls(sealed, 100);
  HistoryRecords view = sealed.reader();
  view.load();
  REQUIRE(view.table_reads() == 1);

  // Another process changes another table: the history's change count says nothing changed.
  Database other = Database::open(db.path());
  other.exec("INSERT INTO settings (key, value) VALUES ('x-test', '1')");
  CHECK(view.count({}) == 100);
  CHECK(view.table_reads() == 1);

  // Its rows change: read again.
  CallHistory writer(other, sealed.epoch);
  CallRecord changed = *view.get(ids[50]);
  changed.outcome = CallOutcome::kMissed;
  writer.update(changed);
  CHECK(view.get(ids[50])->outcome == CallOutcome::kMissed);
  CHECK(view.table_reads() == 2);
  view.set_note(ids[51], "noted");  // through the view's own connection
  CHECK(view.get(ids[51])->note == "noted");
  CHECK(view.table_reads() == 3);

  // A query inside a transaction the caller then rolls back keeps no count: the next query
  // reads the table again, and shows the row as it is.
  const CallRecord another = *view.get(ids[53]);
  {
    Transaction rolled_back(db);
    CallHistory own_writer(db, sealed.epoch);
    CallRecord undone = *view.get(ids[52]);
    undone.outcome = CallOutcome::kFailed;
    own_writer.update(undone);
    CHECK(view.get(ids[52])->outcome == CallOutcome::kFailed);
  }
  writer.update(another);  // the count where the rolled-back change had it
  CHECK(view.get(ids[52])->outcome == CallOutcome::kAnswered);

  // A file whose change count was removed: every change of the database reads the table.
  other.exec("DROP TABLE sealed_calls_version");
  CHECK(view.count({}) == 100);
  const std::int64_t reads = view.table_reads();
  other.exec("UPDATE settings SET value = '2' WHERE key = 'x-test'");
  CHECK(view.count({}) == 100);
  CHECK(view.table_reads() == reads + 1);
}
