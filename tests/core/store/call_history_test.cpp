// The call history: rows written at start and rewritten on change, interrupted calls closed
// at the next start, and the operator's filters — over rows sealed to the operator's key.

#include "core/store/call_history.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/store/database.hpp"
#include "tests/support/sealed_history.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Catch::Matchers::Equals;

namespace {

CallRecord call(std::string peer, CallDirection direction, std::int64_t started) {
  CallRecord r;
  r.peer_name = std::move(peer);
  r.peer_fingerprint = "11111 22222";
  r.direction = direction;
  r.started_at = started;
  r.last_seen_at = started;
  return r;
}

std::vector<std::int64_t> ids(const std::vector<CallRecord>& rows) {
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.id);
  return out;
}

}  // namespace

TEST_CASE("a call row keeps every field through begin, update and get") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  CallHistory history = sealed.writer();
  HistoryRecords records = sealed.reader();
  CallRecord r = call("北京国防部", CallDirection::kIn, 1'700'000'000'000);
  r.peer_verified = true;
  r.sas = "Burbank Medusa miser vagabond";
  r.id = history.begin(r);
  CHECK(r.id > 0);
  CHECK(records.get(r.id) == r);
  CHECK_FALSE(records.get(r.id)->outcome);  // in progress

  r.answered_at = r.started_at + 2'500;
  r.ended_at = r.started_at + 62'500;
  r.last_seen_at = *r.ended_at;
  r.duration_s = 60.0;
  r.outcome = CallOutcome::kAnswered;
  r.end_reason = "remote_hangup";
  r.sas_confirmed_local = true;
  r.sas_confirmed_remote = true;
  r.quality = CallQuality{12.5, 1.25, 3.75, 0.5, 17, 1};
  history.update(r);
  CHECK(records.get(r.id) == r);
  CHECK(history.own_calls(10) == std::vector<CallRecord>{r});

  records.set_note(r.id, "line \"clear\", both sides, 确认");
  const std::string note = "line \"clear\", both sides, 确认";
  history.update(r);  // the engine's updates leave the operator's note alone
  CHECK(records.get(r.id)->note == note);
  CHECK_THROWS_WITH(records.set_note(999, "x"), Equals("no call with id 999"));
  CHECK_THROWS_WITH(history.update(call("Tokyo", CallDirection::kIn, 1)),
                    Equals("no call with id 0"));
  CHECK_THROWS(history.begin(call("", CallDirection::kIn, 1)));
}

TEST_CASE("open calls are closed as interrupted at their last known time") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  CallHistory history = sealed.writer();
  HistoryRecords records = sealed.reader();
  CallRecord live = call("Singapore", CallDirection::kOut, 10'000);
  live.answered_at = 12'000;
  live.id = history.begin(live);
  CallRecord ringing = call("Tokyo", CallDirection::kIn, 20'000);
  ringing.id = history.begin(ringing);
  CallRecord done = call("Singapore", CallDirection::kOut, 5'000);
  done.ended_at = 6'000;
  done.outcome = CallOutcome::kDeclined;
  done.id = history.begin(done);

  live.last_seen_at = ringing.last_seen_at = 40'000;
  const CallRecord open[] = {live, ringing};
  history.touch(open);

  CHECK(CallHistory::close_interrupted(db) == 2);
  const auto l = records.get(live.id);
  CHECK(l->outcome == CallOutcome::kInterrupted);
  CHECK(l->end_reason == kConsoleStoppedReason);  // a code, like every other end reason
  CHECK(l->end_reason == "console_stopped");
  CHECK(l->ended_at == 40'000);
  CHECK(l->duration_s == 28.0);
  CHECK(records.get(ringing.id)->outcome == CallOutcome::kInterrupted);
  CHECK(records.get(ringing.id)->duration_s == 0.0);
  CHECK(records.get(done.id)->outcome == CallOutcome::kDeclined);
  CHECK(CallHistory::close_interrupted(db) == 0);
}

TEST_CASE("history filters by peer, time, outcome, direction and text, newest first") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  CallHistory writer = sealed.writer();
  HistoryRecords history = sealed.reader();
  std::vector<std::int64_t> id;
  const auto add = [&](std::string peer, CallDirection d, std::int64_t at, CallOutcome o,
                       std::string note = {}) {
    CallRecord r = call(std::move(peer), d, at);
    r.outcome = o;
    r.ended_at = at + 1;
    r.id = writer.begin(r);
    if (!note.empty()) history.set_note(r.id, note);
    id.push_back(r.id);
  };
  add("Singapore", CallDirection::kOut, 1000, CallOutcome::kAnswered);
  add("Tokyo", CallDirection::kIn, 2000, CallOutcome::kMissed, "Call back 100% sure");
  add("Singapore", CallDirection::kIn, 3000, CallOutcome::kMissed);
  add("北京", CallDirection::kOut, 4000, CallOutcome::kBusy, "reached duty officer");

  CHECK(ids(history.query({})) == std::vector<std::int64_t>{id[3], id[2], id[1], id[0]});
  HistoryFilter f;
  f.peer = "Singapore";
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[2], id[0]});
  f = {};
  f.outcome = CallOutcome::kMissed;
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[2], id[1]});
  f.direction = CallDirection::kIn;
  f.peer = "Tokyo";
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[1]});
  f = {};
  f.since = 2000;
  f.until = 4000;  // exclusive
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[2], id[1]});
  f = {};
  f.text = "CALL BACK";  // case does not matter
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[1]});
  f.text = "100%";  // LIKE's wildcards are literal
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[1]});
  f.text = "reached_duty";  // '_' is not "any character"
  CHECK(ids(history.query(f)).empty());
  f.text = "d duty";
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[3]});
  f.text = "北";
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[3]});
  f = {};
  f.limit = 2;
  f.offset = 1;
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[2], id[1]});
  CHECK(history.count(f) == 4);  // limit and offset do not apply to the count
  f = {};
  f.sort = HistorySort::kPeer;
  f.ascending = true;
  CHECK(ids(history.query(f)) == std::vector<std::int64_t>{id[0], id[2], id[1], id[3]});
}

TEST_CASE("outcome and direction names round trip") {
  for (std::size_t i = 0; i < kCallOutcomeCount; ++i) {
    const auto o = static_cast<CallOutcome>(i);
    CHECK(parse_call_outcome(to_string(o)) == o);
  }
  CHECK(parse_call_outcome("cancelled") == CallOutcome::kCancelled);
  CHECK_FALSE(parse_call_outcome("no answer"));
  CHECK(parse_call_direction("in") == CallDirection::kIn);
  CHECK(parse_call_direction("out") == CallDirection::kOut);
  CHECK_FALSE(parse_call_direction("sideways"));
}
