// Two consoles built from real profiles call each other on loopback; both histories record
// every attempt with the right outcome, the SAS confirmations and the quality summary.

#include "core/console/console_runtime.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <thread>

#include "core/crypto/fingerprint.hpp"
#include "core/store/audit_log.hpp"
#include "tests/core/console/running_console.hpp"
#include "tests/support/audit_reader.hpp"
#include "tests/support/test_console.hpp"

using namespace hotline;
using namespace hotline::test;
using namespace std::chrono_literals;
using call::CallState;
using store::CallOutcome;

TEST_CASE("an answered call is on both consoles' records, SAS confirmed on both") {
  RunningConsole beijing("Beijing"), singapore("Singapore");
  beijing.know(singapore, true);
  singapore.know(beijing, false);
  const call::CallId out = beijing.engine().call("Singapore", {});
  const auto ringing = singapore.events.wait_for(state_is(CallState::kRinging));
  singapore.engine().answer(ringing.id);
  const auto connected = beijing.events.wait_for(words_shown);
  singapore.events.wait_for(words_shown);
  beijing.engine().confirm_sas(out);
  singapore.engine().confirm_sas(ringing.id);
  beijing.events.wait_for([](const auto& s) { return s.sas_confirmed_remote; });
  singapore.events.wait_for([](const auto& s) { return s.sas_confirmed_remote; });
  // Until a ping has measured the round trip (the engine publishes its figures every 100 ms).
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (beijing.engine().call_stats(out).value_or(call::CallStats{}).rtt_samples == 0) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(20ms);
  }
  beijing.engine().hangup(out);
  singapore.events.wait_for(state_is(CallState::kEnded));
  beijing.events.wait_for(state_is(CallState::kEnded));

  const auto ours = beijing.history();
  REQUIRE(ours.size() == 1);
  const store::CallRecord& b = ours[0];
  CHECK(b.direction == store::CallDirection::kOut);
  CHECK(b.outcome == CallOutcome::kAnswered);
  CHECK(b.end_reason == "local_hangup");
  CHECK(b.peer_name == "Singapore");
  CHECK(b.peer_fingerprint == crypto::fingerprint(singapore.profile.public_key()));
  CHECK(b.peer_verified);
  CHECK(b.sas == connected.sas);
  CHECK(b.sas_confirmed_local);
  CHECK(b.sas_confirmed_remote);
  REQUIRE(b.answered_at);
  REQUIRE(b.ended_at);
  CHECK(*b.answered_at >= b.started_at);
  CHECK(b.duration_s > 0.0);
  REQUIRE(b.quality);
  CHECK(b.quality->mean_rtt_ms > 0.0);
  CHECK(b.quality->loss_percent == 0.0);

  const auto theirs = singapore.history();
  REQUIRE(theirs.size() == 1);
  CHECK(theirs[0].direction == store::CallDirection::kIn);
  CHECK(theirs[0].outcome == CallOutcome::kAnswered);
  CHECK(theirs[0].end_reason == "remote_hangup");
  CHECK_FALSE(theirs[0].peer_verified);  // Singapore never verified Beijing: flagged
  CHECK(theirs[0].sas == b.sas);
  CHECK(theirs[0].sas_confirmed_local);
  CHECK(theirs[0].sas_confirmed_remote);
}

TEST_CASE(
    "the words do not match: both records and both audit logs show a suspected interception") {
  RunningConsole beijing("Beijing"), singapore("Singapore");
  beijing.know(singapore, true);
  singapore.know(beijing, true);
  const call::CallId out = beijing.engine().call("Singapore", {});
  const auto ringing = singapore.events.wait_for(state_is(CallState::kRinging));
  singapore.engine().answer(ringing.id);
  beijing.events.wait_for(words_shown);
  singapore.events.wait_for(words_shown);
  singapore.engine().report_sas_mismatch(ringing.id);
  const auto ended = beijing.events.wait_for(state_is(CallState::kEnded));
  CHECK(ended.id == out);
  singapore.events.wait_for(state_is(CallState::kEnded));

  for (RunningConsole* console : {&beijing, &singapore}) {
    const auto records = console->history();
    REQUIRE(records.size() == 1);
    CHECK(records[0].end_reason == "interception_suspected");
    CHECK(records[0].outcome == CallOutcome::kFailed);
    const auto entries = test::audit_entries_read_by_admin(console->profile);
    const auto found = std::count_if(entries.begin(), entries.end(), [&](const auto& e) {
      return e.action == console::kInterceptionAuditAction &&
             e.details.find("call " + std::to_string(records[0].id)) != std::string::npos;
    });
    CHECK(found == 1);
    const auto verdict =
        store::AuditLog(console->profile.database(), console->profile.public_key()).verify();
    CHECK(verdict.intact);
    CHECK(verdict.unsigned_entries == 0);  // the console signed it at once
  }
}

TEST_CASE("declined, missed and unreachable calls are recorded with their outcomes") {
  call::EngineTimers quick;
  quick.unreachable_after = 1500ms;
  RunningConsole beijing("Beijing", quick), singapore("Singapore", quick);
  beijing.know(singapore, true);
  singapore.know(beijing, true);

  // Declined by Singapore.
  beijing.engine().call("Singapore", {});
  auto ringing = singapore.events.wait_for(state_is(CallState::kRinging));
  singapore.engine().decline(ringing.id);
  beijing.events.wait_for(state_is(CallState::kEnded));
  // Beijing gives up while it rings: a missed call for Singapore.
  const call::CallId second = beijing.engine().call("Singapore", {});
  singapore.events.wait_for(
      [&](const auto& s) { return s.state == CallState::kRinging && s.id != ringing.id; });
  beijing.engine().hangup(second);
  beijing.events.wait_for(
      [&](const auto& s) { return s.id == second && s.state == CallState::kEnded; });
  singapore.events.wait_for(
      [](const auto& s) { return s.end_reason == call::EndReason::kCancelled; });

  auto ours = beijing.history();
  REQUIRE(ours.size() == 2);
  CHECK(ours[1].outcome == CallOutcome::kDeclined);
  // The caller hung up itself: cancelled, not "no answer" (which is the ring timing out).
  CHECK(ours[0].outcome == CallOutcome::kCancelled);
  CHECK(ours[0].end_reason == "cancelled");
  auto theirs = singapore.history();
  REQUIRE(theirs.size() == 2);
  CHECK(theirs[1].outcome == CallOutcome::kDeclined);
  CHECK(theirs[0].outcome == CallOutcome::kMissed);
  CHECK_FALSE(theirs[0].quality);  // never connected: no quality summary

  // A peer that does not answer at all: nothing listens on this port.
  RunningConsole tokyo("Tokyo", quick);
  beijing.know(tokyo, true, net::parse_endpoint_or_throw("127.0.0.1:9"));
  beijing.engine().call("Tokyo", {});
  beijing.events.wait_for(
      [](const auto& s) { return s.end_reason == call::EndReason::kUnreachable; });
  ours = beijing.history();
  REQUIRE(ours.size() == 3);
  CHECK(ours[0].outcome == CallOutcome::kUnreachable);
  CHECK(ours[0].peer_name == "Tokyo");
}

TEST_CASE("a second console on the same profile is refused") {
  RunningConsole beijing("Beijing");
  EventLog other;
  CHECK_THROWS_WITH(console::ConsoleRuntime(beijing.profile, other, {}),
                    Catch::Matchers::ContainsSubstring("another console is running"));
}

TEST_CASE("history outcomes follow how the call ended") {
  using call::EndReason;
  call::CallStats s;
  const auto out = [&](EndReason r, bool connected,
                       call::Direction d = call::Direction::kOutgoing) {
    s.end_reason = r;
    s.direction = d;
    return console::outcome_of(s, connected);
  };
  CHECK(out(EndReason::kLocalHangup, true) == CallOutcome::kAnswered);
  CHECK(out(EndReason::kRemoteHangup, true) == CallOutcome::kAnswered);
  CHECK(out(EndReason::kConnectionLost, true) == CallOutcome::kConnectionLost);
  CHECK(out(EndReason::kFailed, true) == CallOutcome::kFailed);
  CHECK(out(EndReason::kDeclined, false) == CallOutcome::kDeclined);
  CHECK(out(EndReason::kBusy, false) == CallOutcome::kBusy);
  CHECK(out(EndReason::kNoAnswer, false) == CallOutcome::kNoAnswer);
  CHECK(out(EndReason::kCancelled, false) == CallOutcome::kCancelled);
  CHECK(out(EndReason::kCancelled, false, call::Direction::kIncoming) == CallOutcome::kMissed);
  CHECK(out(EndReason::kConnectionLost, false, call::Direction::kIncoming) == CallOutcome::kMissed);
  CHECK(out(EndReason::kUnreachable, false) == CallOutcome::kUnreachable);
  CHECK(out(EndReason::kRefused, false, call::Direction::kIncoming) == CallOutcome::kRefused);
  CHECK(out(EndReason::kFailed, false) == CallOutcome::kFailed);
}

TEST_CASE(
    "a database locked by another process never stops a call; its records wait and are written") {
  // Regression: the initiation-timestamp UPSERT ran on the engine (voice) thread with a 5 s
  // busy timeout, and a write lock held elsewhere ended the console with "database is locked".
  RunningConsole beijing("Beijing"), singapore("Singapore");
  beijing.know(singapore, true);
  singapore.know(beijing, true);
  auto blocker = store::Database::open(singapore.profile.directory() / identity::kDatabaseFileName,
                                       store::Database::OpenMode::kMustExist);
  blocker.exec("BEGIN IMMEDIATE");  // another process's write lock, held through the call

  const call::CallId out = beijing.engine().call("Singapore", {});
  const auto ringing = singapore.events.wait_for(state_is(CallState::kRinging));
  singapore.engine().answer(ringing.id);
  beijing.events.wait_for(state_is(CallState::kConnected));
  singapore.events.wait_for(state_is(CallState::kConnected));
  // The store refused the replay state (after its busy timeout); the console says so, keeps it
  // queued, and the call carries on meanwhile.
  test::eventually(
      [&] {
        const auto error = singapore.runtime->recorder().last_error();
        return error && error->find("replay state") != std::string::npos;
      },
      30s, "the replay-state write to fail");
  CHECK(singapore.runtime->recorder().unwritten_timestamps() == 1);
  CHECK(singapore.engine().call_stats(ringing.id)->state == CallState::kConnected);
  // The console is told, once, so it can show a warning while the call goes on.
  test::eventually([&] { return !singapore.health.reports().empty(); }, 10s,
                   "the store's refusal to be reported");
  {
    const auto reports = singapore.health.reports();
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].failing);
    CHECK_THAT(reports[0].problem, Catch::Matchers::ContainsSubstring("locked"));
    CHECK(reports[0].waiting >= 1);
    CHECK(reports[0].lost == 0);
  }
  beijing.engine().hangup(out);
  singapore.events.wait_for(state_is(CallState::kEnded));
  CHECK(singapore.events.count(state_is(CallState::kEnded)) == 1);
  CHECK(singapore.engine().counters().internal_errors == 0);

  blocker.exec("ROLLBACK");
  singapore.runtime->recorder().flush();
  CHECK(singapore.runtime->recorder().unwritten_timestamps() == 0);
  CHECK(singapore.profile.peers().last_handshake_timestamp(beijing.profile.public_key()));
  // The history the store refused meanwhile was retried, not lost.
  test::eventually(
      [&] {
        const auto rows = singapore.runtime->own_calls(-1);
        return rows.size() == 1 && rows[0].outcome == CallOutcome::kAnswered &&
               rows[0].end_reason == "remote_hangup";
      },
      20s, "the call history to be written after the lock");
  // ... and told again once everything that waited is written: the warning goes.
  test::eventually(
      [&] {
        const auto reports = singapore.health.reports();
        return reports.size() == 2 && !reports[1].failing;
      },
      10s, "the recovery to be reported");
  CHECK(singapore.runtime->recorder().last_error().has_value());  // what happened stays known
}

TEST_CASE("records the store never takes are reported as lost when the console stops") {
  RunningConsole beijing("Beijing"), singapore("Singapore");
  beijing.know(singapore, true);
  singapore.know(beijing, true);
  auto blocker = store::Database::open(singapore.profile.directory() / identity::kDatabaseFileName,
                                       store::Database::OpenMode::kMustExist);
  blocker.exec("BEGIN IMMEDIATE");  // held until the console has stopped

  beijing.engine().call("Singapore", {});
  singapore.events.wait_for(
      [](const call::CallStats& s) { return s.state == CallState::kRinging && !s.sas.empty(); });
  singapore.runtime.reset();  // stops (the caller is told), with its records still refused
  const auto reports = singapore.health.reports();
  REQUIRE_FALSE(reports.empty());
  CHECK(reports.back().failing);
  // The ringing, its SAS once known and the ending of the call, and the caller's replay
  // state: four records.
  CHECK(reports.back().lost == 4);
  CHECK_THAT(console::describe(reports.back()),
             Catch::Matchers::StartsWith("error: 4 records could not be written"));
  blocker.exec("ROLLBACK");
  CHECK_FALSE(singapore.profile.database().prepare("SELECT 1 FROM sealed_calls").step());
}
