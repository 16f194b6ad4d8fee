#pragma once
// Call-progress tones generated locally, never sent: each console makes its own.
//
//  Ringback (the caller hears it while the far side alerts): 425 Hz, 1 s on / 4 s off, the
//    ITU-T E.180 recommended tone and the cadence most European networks use.
//  Ring (the callee's local alert): two 0.4 s bursts 0.2 s apart, then 2 s of silence
//    (a 3 s period); each burst warbles between 800 and 1000 Hz every 25 ms, the trill of an
//    electronic telephone ringer. Nothing in it resembles ringback, so the two cannot be
//    confused even heard side by side.
//
// Both peak at -16 dBFS, loud enough to notice without startling on a headset. Every burst
// starts at phase zero and is shaped by 5 ms raised-cosine ramps, and the warble keeps its
// phase continuous, so no edge clicks. Engine thread only; never allocates.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

namespace hotline::audio {

enum class CallTone { kRingback, kRing };

class CallToneGenerator {
 public:
  static constexpr double kPeakDbfs = -16.0;
  static constexpr std::chrono::milliseconds kRamp{5};

  explicit CallToneGenerator(CallTone tone) : tone_(tone) {}

  // Continues the cadence and phase from the previous call, whatever the span sizes.
  void fill(std::span<std::int16_t> out);
  // Restarts the cadence at the beginning of its first burst.
  void reset();

  CallTone tone() const { return tone_; }
  // One full cadence (bursts and silence).
  std::size_t period_samples() const;

 private:
  CallTone tone_;
  std::size_t position_ = 0;  // within the cadence period
  double phase_ = 0.0;        // in cycles, kept in [0, 1)
};

}  // namespace hotline::audio
