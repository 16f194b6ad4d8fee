// The peer directory under a running console: peers disabled or removed refuse calls and
// probes, an administrator's change from another process reaches the console by itself, and
// a row edited in the file behind the console's back is named and refused.

#include <catch2/catch_test_macros.hpp>
#include <thread>

#include "core/console/console_runtime.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/store/database.hpp"
#include "tests/core/console/running_console.hpp"
#include "tests/support/test_console.hpp"

using namespace hotline;
using namespace hotline::test;
using namespace std::chrono_literals;
using call::CallState;
using store::CallOutcome;

TEST_CASE("calls from a disabled or removed peer are refused without ringing, recorded once") {
  call::EngineTimers quick;
  quick.unreachable_after = 1500ms;  // two initiations, a second apart
  RunningConsole beijing("Beijing", quick), singapore("Singapore", quick);
  beijing.know(singapore, true);
  singapore.know(beijing, true);
  singapore.profile.peers().set_enabled("Beijing", false);
  singapore.runtime->reload_peers();

  beijing.engine().call("Singapore", {});  // its handshake retries every second
  beijing.events.wait_for(
      [](const auto& s) { return s.end_reason == call::EndReason::kUnreachable; });
  CHECK(singapore.events.count(state_is(CallState::kRinging)) == 0);
  auto theirs = singapore.history();
  REQUIRE(theirs.size() == 1);  // one attempt, one row, however many initiations
  CHECK(theirs[0].outcome == CallOutcome::kRefused);
  CHECK(theirs[0].direction == store::CallDirection::kIn);
  CHECK(theirs[0].peer_name == "Beijing");

  // Removed: the history keeps the name and fingerprint, the call is refused all the same.
  singapore.profile.peers().remove("Beijing", 1);
  singapore.runtime->reload_peers();
  // A pause longer than one attempt's retries: the next call is a new attempt, not a retry.
  std::this_thread::sleep_for(quick.unreachable_after + 1s);
  beijing.engine().call("Singapore", {});
  beijing.events.wait_for([&](const auto& s) {
    return s.end_reason == call::EndReason::kUnreachable && s.id.value > 1;
  });
  theirs = singapore.history();
  REQUIRE(theirs.size() == 2);
  CHECK(theirs[0].outcome == CallOutcome::kRefused);
  CHECK(theirs[0].peer_fingerprint == crypto::fingerprint(beijing.profile.public_key()));
  CHECK(singapore.events.count(state_is(CallState::kRinging)) == 0);
}

TEST_CASE("a disabled peer's line-status probes are counted on the peer, not recorded as calls") {
  // The defect: every probe from a disabled peer's GUI was recorded as a refused call, about
  // 2 900 history rows a day. Now the initiation says it is a probe, and the count is kept
  // on the peer.
  RunningConsole beijing("Beijing", {}, 1s), singapore("Singapore");
  singapore.know(beijing, true);
  singapore.profile.peers().set_enabled("Beijing", false);
  singapore.runtime->reload_peers();
  beijing.know(singapore, true);  // starts probing Singapore at once, then about every second
  const auto key = beijing.profile.public_key();
  const auto counted = [&] {
    singapore.runtime->recorder().flush();
    const auto probes = singapore.profile.peers().refused_probes();
    const auto found = probes.find(key);
    return found == probes.end() ? std::int64_t{0} : found->second.count;
  };
  test::eventually([&] { return counted() >= 6; }, 20s, "two probes' initiations refused");
  CHECK(singapore.history().empty());  // no call rows
  CHECK(singapore.events.count([](const auto&) { return true; }) == 0);
  // The engine's counters reach other threads as a snapshot, refreshed every 100 ms.
  test::eventually([&] { return singapore.engine().counters().probes_refused >= 6; }, 5s,
                   "the engine's count of refused probes");

  // A call from the same peer is still a refused call in the history.
  beijing.engine().call("Singapore", {});
  beijing.events.wait_for(
      [](const auto& s) { return s.end_reason == call::EndReason::kUnreachable; });
  singapore.runtime->recorder().flush();
  const auto rows = singapore.history();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].outcome == CallOutcome::kRefused);

  // Removing the peer drops its count with its other state.
  singapore.profile.peers().remove("Beijing", 1);
  CHECK_FALSE(singapore.profile.peers().refused_probes().contains(key));
}

TEST_CASE("an administrator's change from another process reaches the running console by itself") {
  // The defect: `hotline peer disable` from the command line did not reach a running console,
  // which rereads its directory only at start.
  call::EngineTimers quick;
  quick.unreachable_after = 1500ms;
  RunningConsole beijing("Beijing", quick), singapore("Singapore", quick);
  beijing.know(singapore, true);
  singapore.know(beijing, true);
  // Another process: its own profile object and connection on Singapore's files.
  auto other = identity::Profile::open(singapore.profile.directory());
  other.unlock(std::nullopt);  // an administrator's change is sealed with the records key
  other.peers().set_enabled("Beijing", false);
  // No reload_peers() here: the running console sees the commit (inotify, no polling).
  {
    std::unique_lock lock(singapore.directory_mutex);
    const bool told = singapore.directory_changed.wait_for(lock, 10s, [&] {
      return std::any_of(singapore.directory.begin(), singapore.directory.end(),
                         [](const auto& p) { return p.name == "Beijing" && !p.enabled; });
    });
    REQUIRE(told);
  }
  beijing.engine().call("Singapore", {});
  beijing.events.wait_for(
      [](const auto& s) { return s.end_reason == call::EndReason::kUnreachable; });
  CHECK(singapore.events.count(state_is(CallState::kRinging)) == 0);  // refused, never rang
  CHECK(singapore.history().at(0).outcome == CallOutcome::kRefused);
}

TEST_CASE("a peer enabled in the file behind the console's back is named and refused") {
  // The reviewer's attack: `UPDATE peers SET enabled=1, verified_by='nobody'` with sqlite3.
  call::EngineTimers quick;
  quick.unreachable_after = 1500ms;
  RunningConsole beijing("Beijing", quick), singapore("Singapore", quick);
  beijing.know(singapore, true);
  singapore.know(beijing, false);
  singapore.profile.peers().set_enabled("Beijing", false);
  singapore.runtime->reload_peers();
  {
    auto attacker = store::Database::open(singapore.profile.directory() / "hotline.db");
    attacker.exec("UPDATE peers SET enabled = 1, verified_by = 'nobody' WHERE name = 'Beijing'");
  }
  {
    std::unique_lock lock(singapore.directory_mutex);
    REQUIRE(singapore.directory_changed.wait_for(lock, 10s,
                                                 [&] { return !singapore.findings.empty(); }));
    CHECK(singapore.findings.at(0).peer == "Beijing");
    CHECK(singapore.findings.at(0).field == "enabled");
  }
  CHECK(singapore.runtime->directory_findings().size() == 1);
  beijing.engine().call("Singapore", {});
  beijing.events.wait_for(
      [](const auto& s) { return s.end_reason == call::EndReason::kUnreachable; });
  CHECK(singapore.events.count(state_is(CallState::kRinging)) == 0);
  CHECK(singapore.history().at(0).outcome == CallOutcome::kRefused);
  // Nor does the console call out to it.
  const call::CallId outgoing = singapore.engine().call("Beijing", {});
  const auto ended = singapore.events.wait_for(
      [&](const auto& s) { return s.id == outgoing && s.state == CallState::kEnded; });
  CHECK(ended.end_reason == call::EndReason::kRefused);
  CHECK(beijing.events.count(state_is(CallState::kRinging)) == 0);
}
