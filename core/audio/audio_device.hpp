#pragma once
// What the engine's media pipeline sees of any audio device (PortAudio, file, tone, ...): two
// rings of 48 kHz mono int16, each holding at least kDeviceRingSamples.

#include <cstdint>
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

class AudioDevice {
 public:
  virtual ~AudioDevice() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
  virtual SpscRing<std::int16_t>& capture() = 0;   // device -> engine (engine reads)
  virtual SpscRing<std::int16_t>& playback() = 0;  // engine -> device (engine writes)
  // Called by the engine thread before it reads capture() and after it writes playback(), at
  // least every 10 ms: a device whose hardware runs at another rate resamples here (never in
  // its real-time callback) and checks that its streams are still alive.
  virtual void service() {}
  virtual DeviceHealth health() const { return {}; }
  // What the device played, written in step with capture(): the samples played while the
  // samples at the same position in capture() were recorded (silence where playback ran
  // dry). The echo canceller's reference. Null when a device cannot tell.
  virtual SpscRing<std::int16_t>* played() { return nullptr; }
  // Samples the device takes from playback() at a time, at most. The engine keeps this much
  // plus one engine tick queued: every queued sample is delay.
  virtual std::size_t period_samples() const { return 480; }
  virtual std::string description() const = 0;
};

}  // namespace hotline::audio
