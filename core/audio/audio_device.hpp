#pragma once
// What the engine's media pipeline sees of any audio device (PortAudio, file, tone, ...): two
// rings of 48 kHz mono int16, each holding at least kDeviceRingSamples.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/audio/audio_format.hpp"
#include "core/audio/spsc_ring.hpp"

namespace hotline::audio {

// Which directions still work. A direction that failed stays failed for the device's life; the
// call carries on in the other direction.
struct DeviceHealth {
  bool capture_ok = true;
  bool playback_ok = true;
  std::string problem;  // human-readable, empty while both directions work
};

// How the device's timing went over its life, for the call's statistics: each counts periods
// (callbacks, ticks) in which it happened.
struct DeviceCounters {
  std::uint64_t playback_underruns = 0;  // the loudspeaker found too little queued
  std::uint64_t capture_overruns = 0;    // the microphone's samples did not all fit
  std::uint64_t host_xruns = 0;          // the sound system itself reported an xrun
  // Times the echo canceller's reference was moved to follow a drifting echo path (a duplex
  // stream whose playback and capture slipped against each other), and by how much it is
  // moved now.
  std::uint64_t reference_shifts = 0;
  double reference_shift_ms = 0.0;
};

class AudioDevice {
 public:
  virtual ~AudioDevice() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
  // The engine thread's ends of the device's rings: it reads the microphone and writes the
  // loudspeaker; the device's own thread holds the other ends.
  SpscReader<std::int16_t> capture() { return SpscReader<std::int16_t>(capture_ring()); }
  SpscWriter<std::int16_t> playback() { return SpscWriter<std::int16_t>(playback_ring()); }
  // Called by the engine thread before it reads capture() and after it writes playback(), at
  // least every 10 ms: a device whose hardware runs at another rate resamples here (never in
  // its real-time callback) and checks that its streams are still alive.
  virtual void service() {}
  virtual DeviceHealth health() const { return {}; }
  // Any thread.
  virtual DeviceCounters counters() const { return {}; }
  // What the device played, written in step with capture(): the samples played while the
  // samples at the same position in capture() were recorded (silence where playback ran
  // dry). The echo canceller's reference. Null when a device cannot tell.
  std::optional<SpscReader<std::int16_t>> played() {
    SpscRing<std::int16_t>* ring = played_ring();
    if (ring == nullptr) return std::nullopt;
    return SpscReader<std::int16_t>(*ring);
  }
  // A device that moves whole periods on a clock of its own can say how many it has moved and
  // when it moves the next one: the engine then services the rings once after each period
  // instead of polling them. `periods` is published after the period's samples, so a reader
  // that sees it changed also sees them.
  struct PeriodClock {
    std::uint64_t periods = 0;
    std::chrono::steady_clock::time_point next_end;
  };
  virtual std::optional<PeriodClock> period_clock() const { return std::nullopt; }
  // Samples the device takes from playback() at a time, at most. The engine keeps this much,
  // one engine tick and period_jitter_samples() queued: every queued sample is delay.
  virtual std::size_t period_samples() const { return 480; }
  // How far ahead of its schedule the device may take a period: a sound server may run a
  // callback early, or two back to back. The engine keeps this much queued on top of a period.
  virtual std::size_t period_jitter_samples() const { return 0; }
  virtual std::string description() const = 0;

 protected:
  // A device made of two others hands out their rings.
  friend class SplitDevice;
  // The rings themselves, for the device's implementation.
  virtual SpscRing<std::int16_t>& capture_ring() = 0;   // device -> engine
  virtual SpscRing<std::int16_t>& playback_ring() = 0;  // engine -> device
  virtual SpscRing<std::int16_t>* played_ring() { return nullptr; }
};

}  // namespace hotline::audio
