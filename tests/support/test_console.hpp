#pragma once
// An in-process headless console for end-to-end tests: an engine on an ephemeral loopback port,
// clocked virtual audio devices (speech/tone in, memory out), and an event log tests wait on.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/audio/clocked_device.hpp"
#include "core/audio/wav.hpp"
#include "core/call/engine.hpp"
#include "core/crypto/identity.hpp"
#include "core/crypto/tai64n.hpp"

namespace hotline::test {

// Polls `condition` every 10 ms until it holds; FAILs after `timeout`. For state that changes
// without an event (engine counters, which are published every 100 ms).
void eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                const char* what);

// The persistent "last accepted initiation timestamp" table, shared across engine restarts.
using ReplayTable = std::map<crypto::PublicKey, crypto::Tai64n>;

class TestConsole final : public call::EngineListener {
 public:
  explicit TestConsole(std::string name);
  ~TestConsole() override;

  // Knows `other` as a peer, reachable at `via` (default: other's real endpoint).
  void add_peer(const TestConsole& other, std::optional<net::Endpoint> via = std::nullopt,
                std::shared_ptr<const crypto::SecretKey> psk = nullptr, bool enabled = true);
  // Knows a line that is not another TestConsole (the Echo Test, say).
  void add_entry(call::PeerEntry entry);
  // Knows `other` under several endpoints, tried in this order.
  void add_peer_at(const TestConsole& other, std::vector<net::Endpoint> endpoints);
  void start(call::EngineTimers timers = {});
  void stop();
  void restart();  // same identity, port and replay table; new engine

  call::Engine& engine() { return *engine_; }
  const std::string& name() const { return name_; }
  const crypto::Identity& identity() const { return *identity_; }
  net::Endpoint endpoint() const;

  // The first event (since the console started) for which `match` holds; FAILs after timeout.
  call::CallStats wait_for(const std::function<bool(const call::CallStats&)>& match,
                           std::chrono::milliseconds timeout = std::chrono::seconds(20));
  call::CallStats wait_state(call::CallState state,
                             std::chrono::milliseconds timeout = std::chrono::seconds(20));
  call::CallStats wait_ended(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::vector<call::CallStats> events() const;
  // Waits for an incoming call to ring, answers it, and returns its ringing snapshot.
  call::CallStats answer_incoming();

  // What the next call's "microphone" plays (default: a 440 Hz tone).
  void set_play(std::optional<audio::PcmBuffer> pcm) { play_ = std::move(pcm); }
  // Voice processing and tones, from the next start() on (default: the console defaults).
  void set_voice(const audio::VoiceOptions& voice) { voice_ = voice; }
  // Line-status probing, from the next start() on (default: off).
  void set_presence_interval(std::chrono::milliseconds interval) { presence_ = interval; }
  // The first line-status report (since the console started) for which `match` holds.
  call::PeerStatus wait_status(const std::function<bool(const call::PeerStatus&)>& match,
                               std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::vector<call::PeerStatus> statuses() const;
  // Builds every call's device instead of the clocked tone/memory pair. Set it before start():
  // the engine thread calls it. last_recording() is then empty; the factory's owner keeps
  // what it needs.
  using DeviceFactory = std::function<std::shared_ptr<audio::AudioDevice>()>;
  void set_device_factory(DeviceFactory factory) { device_factory_ = std::move(factory); }
  // Everything the last call's "speaker" played; valid once that call has ended.
  std::vector<std::int16_t> last_recording() const;

  void on_call_changed(const call::CallStats& snapshot) override;
  void on_call_ended(const call::CallStats& final_stats) override;
  void on_peer_status(const call::PeerStatus& status) override;
  void on_initiation_timestamp(const crypto::PublicKey& peer,
                               const crypto::Tai64n& timestamp) override;

 private:
  std::shared_ptr<audio::AudioDevice> make_device();

  std::string name_;
  std::shared_ptr<const crypto::Identity> identity_;
  std::vector<call::PeerEntry> peers_;
  std::shared_ptr<ReplayTable> replay_ = std::make_shared<ReplayTable>();
  call::EngineTimers timers_;
  net::Endpoint listen_{"127.0.0.1", 0};
  std::unique_ptr<call::Engine> engine_;
  std::optional<audio::PcmBuffer> play_;
  audio::VoiceOptions voice_;
  DeviceFactory device_factory_;
  std::chrono::milliseconds presence_{0};

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<call::CallStats> events_;
  std::vector<call::PeerStatus> statuses_;
  std::shared_ptr<audio::ClockedDevice> last_device_;
};

}  // namespace hotline::test
