#include "tests/support/test_console.hpp"

#include <catch2/catch_test_macros.hpp>
#include <thread>

#include "core/audio/sample_io.hpp"

namespace hotline::test {

void eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                const char* what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) FAIL("timed out waiting for " << what);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TestConsole::TestConsole(std::string name)
    : name_(std::move(name)),
      identity_(std::make_shared<const crypto::Identity>(crypto::Identity::generate())) {}

TestConsole::~TestConsole() {
  stop();
}

void TestConsole::add_peer(const TestConsole& other, std::optional<net::Endpoint> via,
                           std::shared_ptr<const crypto::SecretKey> psk, bool enabled) {
  call::PeerEntry entry;
  entry.name = other.name();
  entry.public_key = other.identity().public_key();
  entry.endpoints.push_back(via ? *via : other.endpoint());
  entry.psk = std::move(psk);
  entry.enabled = enabled;
  entry.verified = true;
  peers_.push_back(std::move(entry));
  if (engine_) engine_->update_peers(peers_);
}

void TestConsole::add_entry(call::PeerEntry entry) {
  peers_.push_back(std::move(entry));
  if (engine_) engine_->update_peers(peers_);
}

void TestConsole::add_peer_at(const TestConsole& other, std::vector<net::Endpoint> endpoints) {
  add_peer(other);
  peers_.back().endpoints = std::move(endpoints);
  if (engine_) engine_->update_peers(peers_);
}

void TestConsole::start(call::EngineTimers timers) {
  timers_ = timers;
  call::EngineConfig config;
  config.identity = identity_;
  config.listen = listen_;
  config.peers = peers_;
  config.timers = timers;
  config.voice = voice_;
  {
    std::lock_guard lock(mutex_);
    config.initiation_timestamps = *replay_;
  }
  config.make_device = [this](const call::CallStats&) { return make_device(); };
  config.presence_interval = presence_;
  engine_ = std::make_unique<call::Engine>(std::move(config), *this);
  listen_ = engine_->local_endpoint();  // keep the port across restarts
  engine_->start();
}

void TestConsole::stop() {
  if (engine_) engine_->stop();
}

void TestConsole::restart() {
  engine_.reset();
  {
    std::lock_guard lock(mutex_);
    events_.clear();
    statuses_.clear();
  }
  start(timers_);
}

net::Endpoint TestConsole::endpoint() const {
  return engine_ ? engine_->local_endpoint() : listen_;
}

std::shared_ptr<audio::AudioDevice> TestConsole::make_device() {
  if (device_factory_) return device_factory_();
  std::unique_ptr<audio::SampleSource> source;
  if (play_) {
    source = std::make_unique<audio::PcmSource>(*play_);
  } else {
    source = std::make_unique<audio::ToneSource>(440.0, -12.0);
  }
  // Reserve a minute so the device thread never reallocates mid-call.
  auto device = std::make_shared<audio::ClockedDevice>(
      std::move(source), std::make_unique<audio::MemorySink>(48000 * 60));
  std::lock_guard lock(mutex_);
  last_device_ = device;
  return device;
}

std::vector<std::int16_t> TestConsole::last_recording() const {
  std::lock_guard lock(mutex_);
  if (!last_device_) return {};
  return dynamic_cast<audio::MemorySink&>(last_device_->sink()).samples();
}

void TestConsole::on_call_changed(const call::CallStats& snapshot) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(snapshot);
  }
  changed_.notify_all();
}

void TestConsole::on_call_ended(const call::CallStats& final_stats) {
  on_call_changed(final_stats);
}

call::CallStats TestConsole::answer_incoming() {
  const auto ringing = wait_for([](const call::CallStats& s) {
    return s.direction == call::Direction::kIncoming && s.state == call::CallState::kRinging;
  });
  engine().answer(ringing.id);
  return ringing;
}

std::vector<call::CallStats> TestConsole::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

call::CallStats TestConsole::wait_for(const std::function<bool(const call::CallStats&)>& match,
                                      std::chrono::milliseconds timeout) {
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
  if (!ok) FAIL(name_ << ": the expected call event did not arrive in time");
  return *found;
}

call::CallStats TestConsole::wait_state(call::CallState state, std::chrono::milliseconds timeout) {
  return wait_for([state](const call::CallStats& s) { return s.state == state; }, timeout);
}

call::CallStats TestConsole::wait_ended(std::chrono::milliseconds timeout) {
  return wait_state(call::CallState::kEnded, timeout);
}

void TestConsole::on_initiation_timestamp(const crypto::PublicKey& peer,
                                          const crypto::Tai64n& timestamp) {
  std::lock_guard lock(mutex_);
  (*replay_)[peer] = timestamp;  // the engine only reports newer ones
}

void TestConsole::on_peer_status(const call::PeerStatus& status) {
  std::lock_guard lock(mutex_);
  statuses_.push_back(status);
  changed_.notify_all();
}

std::vector<call::PeerStatus> TestConsole::statuses() const {
  std::lock_guard lock(mutex_);
  return statuses_;
}

call::PeerStatus TestConsole::wait_status(const std::function<bool(const call::PeerStatus&)>& match,
                                          std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<call::PeerStatus> found;
  const bool ok = changed_.wait_for(lock, timeout, [&] {
    for (const auto& s : statuses_) {
      if (match(s)) {
        found = s;
        return true;
      }
    }
    return false;
  });
  if (!ok) FAIL(name_ << ": timed out waiting for a line status");
  return *found;
}

}  // namespace hotline::test
