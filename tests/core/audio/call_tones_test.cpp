#include "core/audio/call_tones.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <numbers>
#include <vector>

using namespace hotline::audio;

namespace {

constexpr double kPeak = 32767.0 * 0.15848931924611134;  // -16 dBFS

std::vector<std::int16_t> generate(CallTone tone, std::size_t samples) {
  CallToneGenerator gen(tone);
  std::vector<std::int16_t> out(samples);
  gen.fill(out);
  return out;
}

struct Run {
  bool on;
  int ms;
};

// On/off runs from 1-ms windows: "on" when the window's RMS exceeds 1 % of the peak, which
// the 5 ms ramps already do in their first millisecond.
std::vector<Run> cadence_of(const std::vector<std::int16_t>& x) {
  std::vector<Run> runs;
  for (std::size_t start = 0; start + 48 <= x.size(); start += 48) {
    double sum = 0;
    for (std::size_t i = start; i < start + 48; ++i) sum += static_cast<double>(x[i]) * x[i];
    const bool on = std::sqrt(sum / 48) > kPeak / 100;
    if (runs.empty() || runs.back().on != on) runs.push_back({on, 0});
    ++runs.back().ms;
  }
  return runs;
}

double goertzel_power(std::span<const std::int16_t> x, double hz) {
  const double w = 2.0 * std::numbers::pi * hz / 48000.0;
  double s1 = 0, s2 = 0;
  for (const std::int16_t v : x) {
    const double s0 = v + 2.0 * std::cos(w) * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - 2.0 * std::cos(w) * s1 * s2) / static_cast<double>(x.size());
}

double zero_crossing_hz(std::span<const std::int16_t> x) {
  int crossings = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    if ((x[i - 1] < 0) != (x[i] < 0)) ++crossings;
  }
  return crossings / 2.0 / (static_cast<double>(x.size()) / 48000.0);
}

int max_step(std::span<const std::int16_t> x) {
  int step = 0;
  for (std::size_t i = 1; i < x.size(); ++i) step = std::max(step, std::abs(x[i] - x[i - 1]));
  return step;
}

int peak(std::span<const std::int16_t> x) {
  int p = 0;
  for (const std::int16_t v : x) p = std::max(p, std::abs(static_cast<int>(v)));
  return p;
}

// The largest step a sine of the tone's peak level can take, plus a little for the ramps.
int click_free_step(double hz) {
  return static_cast<int>(kPeak * 2.0 * std::numbers::pi * hz / 48000.0 * 1.1) + 2;
}

}  // namespace

TEST_CASE("ringback is 425 Hz, 1 s on and 4 s off, at -16 dBFS peak", "[tones]") {
  const auto x = generate(CallTone::kRingback, 2 * 5 * 48000);  // two periods
  CHECK(CallToneGenerator(CallTone::kRingback).period_samples() == 5 * 48000);
  const auto runs = cadence_of(x);
  REQUIRE(runs.size() == 4);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    CHECK(runs[i].on == (i % 2 == 0));
    CHECK(std::abs(runs[i].ms - (runs[i].on ? 1000 : 4000)) <= 2);
  }
  const auto burst = std::span(x).subspan(4800, 38400);  // 0.1..0.9 s
  CHECK(std::abs(zero_crossing_hz(burst) - 425.0) < 2.0);
  CHECK(std::abs(peak(x) - static_cast<int>(std::lrint(kPeak))) <= 1);
  CHECK(max_step(x) <= click_free_step(425.0));
}

TEST_CASE("ring is two warbling 800/1000 Hz bursts then silence, every 3 s", "[tones]") {
  const auto x = generate(CallTone::kRing, 2 * 3 * 48000);
  CHECK(CallToneGenerator(CallTone::kRing).period_samples() == 3 * 48000);
  const auto runs = cadence_of(x);
  const int expected[] = {400, 200, 400, 2000};
  REQUIRE(runs.size() == 8);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    CHECK(runs[i].on == (i % 2 == 0));
    CHECK(std::abs(runs[i].ms - expected[i % 4]) <= 2);
  }
  // Each 25-ms step of the warble is one pure tone; the burst holds both, and nothing of
  // ringback's 425 Hz.
  CHECK(std::abs(zero_crossing_hz(std::span(x).subspan(1200, 1200)) - 1000.0) < 45.0);
  CHECK(std::abs(zero_crossing_hz(std::span(x).subspan(2400, 1200)) - 800.0) < 45.0);
  const auto burst = std::span(x).subspan(0, 19200);
  const double low = goertzel_power(burst, 800.0);
  const double high = goertzel_power(burst, 1000.0);
  CHECK(low > 50 * goertzel_power(burst, 425.0));
  CHECK(high > 50 * goertzel_power(burst, 425.0));
  CHECK(std::abs(10 * std::log10(low / high)) < 1.0);
  CHECK(std::abs(peak(x) - static_cast<int>(std::lrint(kPeak))) <= 1);
  CHECK(max_step(x) <= click_free_step(1000.0));
}

TEST_CASE("tone bursts fade in and out instead of clicking", "[tones]") {
  for (const CallTone tone : {CallTone::kRingback, CallTone::kRing}) {
    const auto x = generate(tone, 5 * 48000);
    const std::size_t burst_end = tone == CallTone::kRingback ? 48000 : 19200;
    CHECK(x[0] == 0);
    CHECK(peak(std::span(x).first(48)) < kPeak * 0.1);                    // first ms
    CHECK(peak(std::span(x).subspan(burst_end - 48, 48)) < kPeak * 0.1);  // last ms
    CHECK(peak(std::span(x).subspan(240, 2400)) > kPeak * 0.99);          // full after 5 ms
  }
}

TEST_CASE("tone cadence and phase continue across any fill sizes; reset restarts", "[tones]") {
  for (const CallTone tone : {CallTone::kRingback, CallTone::kRing}) {
    const auto whole = generate(tone, 7 * 48000);
    CallToneGenerator gen(tone);
    std::vector<std::int16_t> pieces(whole.size());
    const std::size_t sizes[] = {1, 480, 960, 7, 4799, 12345, 33};
    std::size_t pos = 0;
    for (std::size_t k = 0; pos < pieces.size(); ++k) {
      const std::size_t n = std::min(sizes[k % std::size(sizes)], pieces.size() - pos);
      gen.fill(std::span(pieces).subspan(pos, n));
      pos += n;
    }
    CHECK(pieces == whole);

    gen.reset();
    std::vector<std::int16_t> again(48000);
    gen.fill(again);
    CHECK(std::equal(again.begin(), again.end(), whole.begin()));
  }
}
