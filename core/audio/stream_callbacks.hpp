#pragma once
// The bodies of a live device's real-time callbacks, free of PortAudio so tests can drive them
// with plain buffers. They only move samples through SPSC rings and bump atomics: no
// allocation, lock, logging or system call.

#include <atomic>
#include <cstdint>
#include <span>

#include "core/audio/reference_aligner.hpp"
#include "core/audio/spsc_ring.hpp"

namespace hotline::audio {

// What one direction's real-time callback shares with the engine thread: only lock-free atomics.
struct CallbackState {
  std::atomic<bool> enabled{true};  // cleared once the direction has failed
  std::atomic<std::uint64_t> callbacks{0};
  // Bumped (release) when a callback has finished with the rings: an engine that sees it
  // move also sees the samples that callback moved (AudioDevice::PeriodClock).
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> samples{0};       // at the device rate
  std::atomic<std::uint64_t> xruns{0};         // callbacks with an overrun / underrun
  std::atomic<std::uint64_t> xrun_samples{0};  // samples dropped / zero-filled
  std::atomic<std::uint64_t> host_xruns{0};    // overflows / underflows PortAudio reported
  std::atomic<bool> finished{false};           // PortAudio's stream-finished callback ran
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

// Capture: writes `in` to `ring`; what does not fit is dropped and counted as an overrun.
void capture_callback(std::span<const std::int16_t> in, SpscRing<std::int16_t>& ring,
                      CallbackState& state) noexcept;
// Playback: fills `out` from `ring`; a shortfall is zero-filled and counted as an underrun.
void playback_callback(std::span<std::int16_t> out, SpscRing<std::int16_t>& ring,
                       CallbackState& state) noexcept;

struct DuplexRings {
  SpscRing<std::int16_t>& capture;   // device -> engine
  SpscRing<std::int16_t>& played;    // device -> engine, in step with capture
  SpscRing<std::int16_t>& playback;  // engine -> device
};

// Full duplex, where one callback hands over the input and takes the output of the same
// instant. Fills `out` as playback_callback does, then writes `in` to rings.capture and,
// sample for sample, the echo canceller's reference to rings.played: what `reference` says
// the loudspeaker was playing (this callback's own output, unless the device's round trip
// has grown since). Both rings always receive the same count, so samples at equal positions
// belong together; what does not fit in both is dropped from both and counted as a capture
// overrun.
void duplex_callback(std::span<const std::int16_t> in, std::span<std::int16_t> out,
                     const DuplexRings& rings, ReferenceAligner& reference,
                     CallbackState& capture_state, CallbackState& playback_state) noexcept;

}  // namespace hotline::audio
