// Two consoles built from real profiles call each other on loopback; both histories record
// every attempt with the right outcome, the SAS confirmations and the quality summary.

#include "core/console/console_runtime.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/audio/clocked_device.hpp"
#include "core/audio/sample_io.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/store/audit_log.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/test_console.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using store::CallOutcome;

namespace {

class EventLog final : public call::EngineListener {
 public:
  void on_call_changed(const call::CallStats& s) override { add(s); }
  void on_call_ended(const call::CallStats& s) override { add(s); }
  call::CallStats wait_for(const std::function<bool(const call::CallStats&)>& match,
                           std::chrono::milliseconds timeout = 20s) {
    std::unique_lock lock(mutex_);
    std::optional<call::CallStats> found;
    const bool ok = changed_.wait_for(lock, timeout, [&] {
      for (const auto& e : events_) {
        if (match(e)) {
          found = e;
          return true;
        }
      }
      return false;
    });
    if (!ok) FAIL("timed out waiting for a call event");
    return *found;
  }
  std::size_t count(const std::function<bool(const call::CallStats&)>& match) {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(events_.begin(), events_.end(), match));
  }

 private:
  void add(const call::CallStats& s) {
    std::lock_guard lock(mutex_);
    events_.push_back(s);
    changed_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<call::CallStats> events_;
};

// The recorder's reports of the store refusing records, as the console's warning shows them.
class HealthLog {
 public:
  void add(const console::RecordsHealth& h) {
    std::lock_guard lock(mutex_);
    reports_.push_back(h);
  }
  std::vector<console::RecordsHealth> reports() const {
    std::lock_guard lock(mutex_);
    return reports_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<console::RecordsHealth> reports_;
};

auto state_is(CallState state) {
  return [state](const call::CallStats& s) { return s.state == state; };
}
// Connected, with both SAS nonces known (docs/protocol.md §2.3): only then can they be confirmed.
bool words_shown(const call::CallStats& s) {
  return s.state == CallState::kConnected && !s.sas.empty();
}

struct RunningConsole {
  test::TempDir dir;
  identity::Profile profile;
  EventLog events;
  HealthLog health;
  // Told by the runtime that another process changed the store: the directory it now uses.
  std::mutex directory_mutex;
  std::condition_variable directory_changed;
  std::vector<call::PeerEntry> directory;
  std::vector<store::DirectoryFinding> findings;  // what the last check found tampered with
  // Last, so it is destroyed first: its threads call back into the members above.
  std::unique_ptr<console::ConsoleRuntime> runtime;

  explicit RunningConsole(const std::string& name, call::EngineTimers timers = {},
                          std::chrono::milliseconds presence_interval = {})
      : profile(identity::Profile::create(dir.path() / "p", name,
                                          net::Endpoint{"127.0.0.1", test::free_udp_port()},
                                          std::nullopt, identity::KeyFileCost::kInteractive)) {
    console::ConsoleOptions options;
    options.timers = timers;
    options.presence_interval = presence_interval;
    options.on_records_health = [this](const console::RecordsHealth& h) { health.add(h); };
    options.on_store_changed = [this](const std::vector<call::PeerEntry>& peers) {
      std::lock_guard lock(directory_mutex);
      directory = peers;
      directory_changed.notify_all();
    };
    options.on_directory_checked = [this](const std::vector<store::DirectoryFinding>& found) {
      std::lock_guard lock(directory_mutex);
      findings = found;
      directory_changed.notify_all();
    };
    options.make_device = [](const call::CallStats&) {
      return std::make_shared<audio::ClockedDevice>(std::make_unique<audio::SilenceSource>(),
                                                    std::make_unique<audio::DiscardSink>());
    };
    runtime = std::make_unique<console::ConsoleRuntime>(profile, events, std::move(options));
  }
  call::Engine& engine() { return runtime->engine(); }
  void know(RunningConsole& other, bool verified, std::optional<net::Endpoint> at = {}) {
    store::PeerRecord r;
    r.name = other.profile.name();
    r.public_key = other.profile.public_key();
    r.endpoints = {(at ? *at : other.engine().local_endpoint()).to_string()};
    r.card_text = "test";
    if (verified) {
      r.verified_by = "test";
      r.verified_at = 1;
    }
    profile.peers().add(r);
    runtime->reload_peers();
  }
  std::vector<store::CallRecord> history() {
    runtime->recorder().flush();
    return runtime->own_calls(-1);
  }
};

}  // namespace

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
    const auto entries =
        store::AuditLog(console->profile.database(), console->profile.public_key()).list();
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
