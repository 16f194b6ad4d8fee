#include "core/audio/call_tones.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "core/audio/audio_format.hpp"

namespace hotline::audio {
namespace {

struct Segment {
  std::chrono::milliseconds duration;
  bool on;
};

constexpr std::array<Segment, 2> kRingbackCadence{
    {{std::chrono::milliseconds(1000), true}, {std::chrono::milliseconds(4000), false}}};
constexpr std::array<Segment, 4> kRingCadence{{{std::chrono::milliseconds(400), true},
                                               {std::chrono::milliseconds(200), false},
                                               {std::chrono::milliseconds(400), true},
                                               {std::chrono::milliseconds(2000), false}}};

constexpr double kRingbackHz = 425.0;
constexpr double kRingLowHz = 800.0;
constexpr double kRingHighHz = 1000.0;
constexpr std::size_t kWarbleSamples = 25 * kSamplesPerMs;
constexpr std::size_t kRampSamples = samples_for(CallToneGenerator::kRamp);

const double kAmplitude = 32767.0 * std::pow(10.0, CallToneGenerator::kPeakDbfs / 20.0);

std::span<const Segment> cadence(CallTone tone) {
  if (tone == CallTone::kRingback) return kRingbackCadence;
  return kRingCadence;
}

std::size_t samples_of(const Segment& s) {
  return static_cast<std::size_t>(s.duration.count()) * kSamplesPerMs;
}

double frequency(CallTone tone, std::size_t offset_in_burst) {
  if (tone == CallTone::kRingback) return kRingbackHz;
  return (offset_in_burst / kWarbleSamples) % 2 == 0 ? kRingLowHz : kRingHighHz;
}

double envelope(std::size_t offset, std::size_t length) {
  const std::size_t from_edge = std::min(offset, length - offset);
  if (from_edge >= kRampSamples) return 1.0;
  return 0.5 * (1.0 - std::cos(std::numbers::pi * static_cast<double>(from_edge) /
                               static_cast<double>(kRampSamples)));
}

}  // namespace

std::size_t CallToneGenerator::period_samples() const {
  std::size_t total = 0;
  for (const Segment& s : cadence(tone_)) total += samples_of(s);
  return total;
}

void CallToneGenerator::reset() {
  position_ = 0;
  phase_ = 0.0;
}

void CallToneGenerator::fill(std::span<std::int16_t> out) {
  const std::span<const Segment> segments = cadence(tone_);
  const std::size_t period = period_samples();
  std::size_t done = 0;
  while (done < out.size()) {
    // Find the segment holding position_ and how far into it we are.
    std::size_t start = 0;
    const Segment* segment = &segments.front();
    for (const Segment& s : segments) {
      if (position_ < start + samples_of(s)) {
        segment = &s;
        break;
      }
      start += samples_of(s);
    }
    const std::size_t length = samples_of(*segment);
    std::size_t offset = position_ - start;
    const std::size_t n = std::min(out.size() - done, length - offset);
    if (!segment->on) {
      std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(done), n, std::int16_t{0});
    } else {
      for (std::size_t i = 0; i < n; ++i, ++offset) {
        if (offset == 0) phase_ = 0.0;
        const double value =
            kAmplitude * envelope(offset, length) * std::sin(2.0 * std::numbers::pi * phase_);
        out[done + i] = static_cast<std::int16_t>(std::lrint(value));
        phase_ += frequency(tone_, offset) / kSampleRate;
        if (phase_ >= 1.0) phase_ -= 1.0;
      }
    }
    done += n;
    position_ = (position_ + n) % period;
  }
}

}  // namespace hotline::audio
