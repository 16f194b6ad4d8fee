// The engine shell around the protocol core, on real sockets: it sleeps while nothing is due,
// and nothing from outside — a directory entry it cannot use, a listener that throws — ends it.

#include <catch2/catch_test_macros.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/audio/clocked_device.hpp"
#include "core/audio/sample_io.hpp"
#include "tests/support/test_console.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using call::EndReason;

namespace {

call::PeerEntry unusable_peer() {
  call::PeerEntry entry;
  entry.name = "Nowhere";
  entry.public_key = crypto::Identity::generate().public_key();
  // Valid text, but no such interface here: converting it throws.
  entry.endpoints.push_back(*net::parse_endpoint("[fe80::1%nosuchif0]:47000"));
  entry.verified = true;
  return entry;
}

// A listener whose first call-changed event throws, as a failing UI adapter or store might.
class ThrowingOnce final : public call::EngineListener {
 public:
  void on_call_changed(const call::CallStats& s) override {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(s);
      changed_.notify_all();
      if (thrown_) return;
      thrown_ = true;
    }
    throw std::runtime_error("listener failure (test)");
  }
  void on_call_ended(const call::CallStats& s) override {
    std::lock_guard lock(mutex_);
    events_.push_back(s);
    changed_.notify_all();
  }
  bool wait_state(CallState state) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 20s, [&] {
      return std::any_of(events_.begin(), events_.end(),
                         [&](const call::CallStats& s) { return s.state == state; });
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<call::CallStats> events_;
  bool thrown_ = false;
};

}  // namespace

TEST_CASE("engine: a directory entry whose address cannot be used fails its call, not the engine",
          "[call][shell]") {
  // Regression: to_udp threw on the engine thread and the console died with terminate (exit
  // 134); the GUI's background probe did so 0.2 s after every start.
  test::TestConsole beijing("Beijing"), singapore("Singapore");
  singapore.start();
  beijing.add_peer(singapore);
  beijing.add_entry(unusable_peer());
  beijing.set_presence_interval(100ms);  // the probe path reaches it too
  beijing.start();
  const call::CallId id = beijing.engine().call("Nowhere", {});
  const auto ended = beijing.wait_for(
      [&](const call::CallStats& s) { return s.id == id && s.state == CallState::kEnded; });
  CHECK(ended.end_reason == EndReason::kFailed);
  test::eventually([&] { return beijing.engine().counters().unusable_endpoints == 1; }, 5s,
                   "the unusable endpoint to be counted");
  // The engine still works: a real call goes through.
  singapore.add_peer(beijing);
  beijing.engine().call("Singapore", {});
  singapore.answer_incoming();
  beijing.wait_state(CallState::kConnected);
  CHECK(beijing.engine().counters().internal_errors == 0);
}

TEST_CASE("engine: an exception from a dependency is counted and the engine carries on",
          "[call][shell]") {
  test::TestConsole singapore("Singapore");
  singapore.start();
  ThrowingOnce listener;
  const auto identity = std::make_shared<const crypto::Identity>(crypto::Identity::generate());
  call::EngineConfig config;
  config.identity = identity;
  config.listen = {"127.0.0.1", 0};
  call::PeerEntry entry;
  entry.name = "Singapore";
  entry.public_key = singapore.identity().public_key();
  entry.endpoints.push_back(singapore.endpoint());
  config.peers.push_back(entry);
  config.make_device = [](const call::CallStats&) {
    return std::make_shared<audio::ClockedDevice>(std::make_unique<audio::SilenceSource>(),
                                                  std::make_unique<audio::DiscardSink>());
  };
  call::Engine beijing(std::move(config), listener);
  beijing.start();
  call::PeerEntry back;
  back.name = "Beijing";
  back.public_key = identity->public_key();
  back.endpoints.push_back(beijing.local_endpoint());
  singapore.add_entry(back);

  beijing.call("Singapore", {});  // its first event throws inside the engine thread
  // The handshake is retried on the core's own timer, and the call goes on.
  singapore.answer_incoming();
  REQUIRE(listener.wait_state(CallState::kConnected));
  test::eventually([&] { return beijing.counters().internal_errors == 1; }, 5s,
                   "the failure to be counted");
  beijing.stop();
}

TEST_CASE("engine: an idle engine sleeps: no wake-ups while nothing is due", "[call][shell]") {
  test::TestConsole beijing("Beijing");
  beijing.start();
  const auto before = beijing.engine().wakeups();
  // Observing an interval in which nothing should happen (not waiting for something to).
  std::this_thread::sleep_for(1s);
  CHECK(beijing.engine().wakeups() - before == 0);
}

TEST_CASE("engine: a port another console holds is a ListenError that says so", "[call][shell]") {
  test::TestConsole first("Beijing");
  first.start();
  test::TestConsole listener("Singapore");  // only its listener side is used
  call::EngineConfig config;
  config.identity = std::make_shared<const crypto::Identity>(crypto::Identity::generate());
  config.listen = first.endpoint();
  bool in_use = false;
  std::string message;
  try {
    call::Engine second(std::move(config), listener);
  } catch (const call::ListenError& e) {
    in_use = e.in_use();
    message = e.what();
  }
  CHECK(in_use);  // what the CLI and the GUI offer to fix by choosing another address
  CHECK(message.find("already uses this port") != std::string::npos);
  CHECK(message.find(first.endpoint().to_string()) != std::string::npos);
}
