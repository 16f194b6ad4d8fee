#pragma once
// Drives a VoicePlayout in simulated time: a sender whose sound card runs at its own rate, a
// network that delays, loses, duplicates or reorders packets, an engine that tops the
// playback ring up every tick, and a receiving sound card that drains it every period at its
// own rate. Minutes of call run in seconds, deterministically, so clock skew and jitter
// behaviour can be asserted on rather than hoped for.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/audio/voice_playout.hpp"
#include "core/call/media_session.hpp"
#include "core/util/bytes.hpp"

namespace hotline::test {

// The secure layer between the simulated sender and receiver: every frame is sealed when it
// is sent and opened when it arrives, at those simulated times.
class SimulatedTransport {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~SimulatedTransport() = default;
  virtual Bytes seal(std::uint64_t seq, ByteSpan opus, Clock::time_point now) = 0;
  // The frame's sequence number with its payload in `opus`, or nullopt: dropped.
  virtual std::optional<std::uint64_t> open(ByteSpan packet, Clock::time_point now,
                                            Bytes& opus) = 0;
};

struct PlayoutSimulation {
  int frame_ms = 20;
  double sender_clock = 1.0;    // sender's samples per true second / 48000
  double receiver_clock = 1.0;  // receiver's sound card likewise
  std::chrono::milliseconds device_period{10};
  std::chrono::microseconds engine_tick{call::MediaSession::kServiceInterval};
  std::chrono::seconds duration{60};
  int expected_loss_percent = 0;  // the sender's FEC setting
  // One-way delay in ms of packet `seq` sent at `send_s` seconds; nullopt: lost. Defaults to
  // a clean 1 ms.
  std::function<std::optional<double>(std::uint64_t seq, double send_s)> network;
  std::function<bool(std::uint64_t seq)> duplicate;     // send this packet twice
  SimulatedTransport* transport = nullptr;              // null: the Opus payload travels bare
  std::function<void(std::size_t second)> each_second;  // after every simulated second
};

struct PlayoutSecond {
  double buffered_ms = 0;  // mean over the second of the playout delay of a punctual packet
  std::uint64_t concealed_samples = 0;  // cumulative at the end of the second
  double target_ms = 0;
  double rate_adjust = 0;
};

struct PlayoutSimulationResult {
  audio::VoicePlayoutStats stats;
  std::uint64_t device_underruns = 0;  // device periods that found the ring short
  std::vector<PlayoutSecond> seconds;
};

PlayoutSimulationResult simulate(const PlayoutSimulation& sim);

}  // namespace hotline::test
