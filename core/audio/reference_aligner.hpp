#pragma once
// The echo canceller's reference from a full-duplex callback: for each microphone sample, the
// loudspeaker sample of that instant. A callback hands over input and output together, so by
// default the reference is the callback's own output, sample for sample: the device's round
// trip (output latency plus input latency) is then part of the echo path the canceller
// learns. But the round trip can change mid-call: PortAudio restarts an ALSA stream after an
// xrun with its buffers filled differently, and the echo path would jump by tens of
// milliseconds, undoing seconds of adaptation. So the callback also passes the round trip
// PortAudio reports (output DAC time minus input ADC time), and when it has grown beyond the
// lowest seen, the reference is taken that much further back in the output. Changes under
// kHysteresisSeconds (the timestamps jitter by a fraction of a period), or that do not hold
// for kConfirmations callbacks in a row, change nothing.
//
// Real-time side only, after construction: no allocation, lock or system call.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/audio/spsc_ring.hpp"

namespace hotline::audio {

class ReferenceAligner {
 public:
  static constexpr double kHysteresisSeconds = 0.005;
  static constexpr double kMaxShiftSeconds = 0.5;  // beyond this, a round trip is not believed
  static constexpr int kConfirmations = 8;

  explicit ReferenceAligner(int rate);

  // The round trip PortAudio reported for the callback about to be handled, in seconds. Not
  // called, or called with something implausible (not positive, not finite, over
  // kMaxShiftSeconds): the shift in use stays.
  void note_round_trip(double seconds) noexcept;
  // The callback's output, appended to the history the reference is taken from.
  void append(std::span<const std::int16_t> out) noexcept;
  // Writes to `played` the references for the first `n` input samples of the callback whose
  // output was appended last. The caller has made sure `played` has room for them.
  void write_reference(std::size_t n, SpscRing<std::int16_t>& played) noexcept;

  // In use now, and how often it changed. Any thread.
  std::size_t shift() const { return static_cast<std::size_t>(shift_.load(kRelaxed)); }
  std::uint64_t shifts() const { return shifts_.load(kRelaxed); }

 private:
  const int rate_;
  const std::int64_t hysteresis_;
  const std::int64_t max_shift_;
  const std::size_t capacity_;  // power of two, above max_shift_ plus a callback
  const std::unique_ptr<std::int16_t[]> history_;
  std::uint64_t appended_ = 0;     // output samples so far
  std::uint64_t block_start_ = 0;  // where the last callback's output begins
  std::int64_t lowest_ = -1;       // lowest round trip seen, samples; -1: none yet
  static constexpr auto kRelaxed = std::memory_order_relaxed;
  std::atomic<std::int64_t> shift_{0};  // written by the callback only
  std::atomic<std::uint64_t> shifts_{0};
  std::int64_t candidate_ = 0;  // a shift seen in the last `confirmations_` callbacks
  int confirmations_ = 0;
};

}  // namespace hotline::audio
