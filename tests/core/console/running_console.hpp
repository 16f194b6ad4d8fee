#pragma once
// Consoles for the runtime's tests: a real profile in a temporary folder, a ConsoleRuntime on
// loopback with silent devices, and logs of what it told its listeners.

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "core/audio/clocked_device.hpp"
#include "core/audio/sample_io.hpp"
#include "core/console/console_runtime.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/test_paths.hpp"

namespace hotline::test {

using namespace std::chrono_literals;

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

inline auto state_is(call::CallState state) {
  return [state](const call::CallStats& s) { return s.state == state; };
}
// Connected, with both SAS nonces known (docs/protocol.md §2.3): only then can they be confirmed.
inline bool words_shown(const call::CallStats& s) {
  return s.state == call::CallState::kConnected && !s.sas.empty();
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

}  // namespace hotline::test
