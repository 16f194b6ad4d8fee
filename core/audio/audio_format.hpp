#pragma once
// The one sample format the audio layer uses internally: 48 kHz, mono, int16.

#include <chrono>
#include <cstddef>

namespace hotline::audio {

inline constexpr int kSampleRate = 48000;
inline constexpr int kSamplesPerMs = kSampleRate / 1000;

// Rings between a device and the engine hold 682 ms: comfortably above the 500 ms the engine
// may need to ride out a scheduling hiccup, and a power of two as SpscRing wants.
inline constexpr std::size_t kDeviceRingSamples = 32768;
static_assert(kDeviceRingSamples >= 500 * kSamplesPerMs);

constexpr std::size_t samples_for(std::chrono::microseconds duration) {
  return static_cast<std::size_t>(duration.count()) * kSampleRate / 1'000'000;
}

}  // namespace hotline::audio
