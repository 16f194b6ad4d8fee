#pragma once
// When a live stream's trouble stops being a glitch and becomes a fault that a new stream
// cures. One host xrun (the sound server late once) costs a few milliseconds of sound that the
// playout conceals. Xruns that keep coming mean the stream itself is in a bad state: through
// ALSA's pulse plugin a stream was measured spinning its PortAudio thread in the plugin, with
// 13–91 xruns a minute, a jitter buffer grown to half a second and seconds of concealment,
// while a fresh stream on the same device ran clean. Likewise a duplex stream whose round trip
// has grown far beyond the lowest it had: ReferenceAligner keeps the echo canceller's reference
// in step with it, but that much more latency is delay every listener hears.
//
// So a stream is declared faulty after kBurst host xruns within kWindow, or when its echo
// reference has moved by kMaxReferenceShiftMs or more; PortAudioDevice then replaces it. No
// clock and no I/O of its own: service() feeds it the stream's counts and the time.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace hotline::audio {

class XrunGuard {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kBurst = 3;
  static constexpr std::chrono::seconds kWindow{10};
  static constexpr double kMaxReferenceShiftMs = 100.0;

  // The stream's host xruns so far (a count that only grows) and where its echo reference
  // stands now (0 without one), seen at `now`. A reason when the stream has become faulty;
  // nullopt while it is healthy. Once it has named a fault it names none again: the stream
  // is to be replaced, and its replacement gets a guard of its own.
  std::optional<std::string> observe(Clock::time_point now, std::uint64_t host_xruns,
                                     double reference_shift_ms);
  // Xruns up to this count are not held against the stream (its start, while a sound server
  // gets it going).
  void ignore(std::uint64_t host_xruns);

 private:
  std::uint64_t xruns_seen_ = 0;
  // When the last kBurst xruns were seen, oldest first: a window sliding over the xruns.
  std::array<Clock::time_point, kBurst> recent_{};
  std::size_t recorded_ = 0;
  bool tripped_ = false;
};

}  // namespace hotline::audio
