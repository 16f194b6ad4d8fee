#pragma once
// For a sound device that cannot run at 48 kHz: a ring at the device's own rate between its
// real-time callback and the engine thread, which resamples to or from the engine's 48 kHz
// ring in service(). Resampling stays off the real-time thread, where its cost would eat into
// the 5 ms the callback has.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/audio/resampler.hpp"
#include "core/audio/spsc_ring.hpp"

namespace hotline::audio {

// Device -> engine. Engine thread only, except device_ring()'s producer side.
class CaptureBridge {
 public:
  explicit CaptureBridge(std::uint32_t device_rate);

  // The capture callback writes here, at the device rate.
  SpscRing<std::int16_t>& device_ring() { return device_ring_; }
  // Resamples everything the callback delivered into `engine`. Returns the 48 kHz samples that
  // did not fit (the engine fell behind). Never allocates.
  std::size_t service(SpscRing<std::int16_t>& engine);

 private:
  Resampler resampler_;
  SpscRing<std::int16_t> device_ring_;
  std::vector<std::int16_t> in_;
  std::vector<std::int16_t> out_;
};

// Device -> engine for a duplex stream: what was captured and, in step with it, what was
// played. Two identically set resamplers are fed identical counts; speexdsp's output counts
// depend only on input counts (its interleaved multi-channel mode relies on that too), so the
// two reach the engine sample for sample in step. Engine thread only, except the producer
// sides of capture_ring() and played_ring().
class DuplexCaptureBridge {
 public:
  explicit DuplexCaptureBridge(std::uint32_t device_rate);

  // The duplex callback writes here, at the device rate, the same count to each.
  SpscRing<std::int16_t>& capture_ring() { return capture_.ring; }
  SpscRing<std::int16_t>& played_ring() { return played_.ring; }
  // Resamples what both rings hold into `capture` and `played`, always the same count into
  // each. Returns the 48 kHz samples that did not fit (dropped from both). Never allocates.
  std::size_t service(SpscRing<std::int16_t>& capture, SpscRing<std::int16_t>& played);

 private:
  struct Side {
    explicit Side(std::uint32_t device_rate);
    Resampler resampler;
    SpscRing<std::int16_t> ring;
    std::vector<std::int16_t> in;
    std::vector<std::int16_t> out;
  };
  Side capture_;
  Side played_;
};

// Engine -> device. Engine thread only, except device_ring()'s consumer side.
class PlaybackBridge {
 public:
  // Keeps about `target_samples` (device rate) queued for the callback: enough to last until
  // the next service(), no more, so the engine's pacing of the playback ring still decides
  // the latency.
  PlaybackBridge(std::uint32_t device_rate, std::size_t target_samples);

  // The playback callback reads here, at the device rate.
  SpscRing<std::int16_t>& device_ring() { return device_ring_; }
  // Tops device_ring() up to the target from `engine`. Never allocates.
  void service(SpscRing<std::int16_t>& engine);

 private:
  std::uint32_t device_rate_;
  std::size_t target_;
  Resampler resampler_;
  SpscRing<std::int16_t> device_ring_;
  std::vector<std::int16_t> in_;
  std::vector<std::int16_t> out_;
};

}  // namespace hotline::audio
