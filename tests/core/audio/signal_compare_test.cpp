#include "tests/support/signal_compare.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "tests/support/speech_check.hpp"

using namespace hotline::test;

namespace {

// Noise whose loudness follows a random 5..40 ms-scale envelope of its own.
std::vector<std::int16_t> modulated_noise(std::size_t n, std::uint32_t seed) {
  std::uint32_t rng = seed;
  auto next = [&rng] {
    rng = rng * 1664525u + 1013904223u;
    return static_cast<double>(rng >> 8) / 16777216.0;
  };
  std::vector<std::int16_t> out(n);
  double level = 0.5;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 960 == 0) level = next();
    out[i] = static_cast<std::int16_t>(std::lrint((next() * 2.0 - 1.0) * level * 20000.0));
  }
  return out;
}

std::vector<std::int16_t> delayed(const std::vector<std::int16_t>& x, std::size_t delay,
                                  double gain) {
  std::vector<std::int16_t> out(delay, 0);
  for (const std::int16_t s : x) out.push_back(static_cast<std::int16_t>(std::lrint(s * gain)));
  return out;
}

}  // namespace

TEST_CASE("envelope alignment finds the delay of an attenuated copy") {
  const auto ref = speech_like(3 * 48000, 21);
  for (const std::size_t delay :
       {std::size_t{0}, std::size_t{4800}, std::size_t{12000}, std::size_t{12345}}) {
    const auto rec = delayed(ref, delay, 0.3);
    const Alignment a = align_envelopes(ref, rec, 24000);
    INFO("delay " << delay << " found " << a.lag_samples);
    CHECK(std::abs(a.lag_samples - static_cast<int>(delay)) <= 24);
    CHECK(a.correlation > 0.99);
  }
}

TEST_CASE("envelope alignment reports a negative lag when the recording starts late") {
  const auto ref = speech_like(3 * 48000, 22);
  const std::vector<std::int16_t> rec(ref.begin() + 9600, ref.end());
  const Alignment a = align_envelopes(ref, rec, 24000);
  CHECK(std::abs(a.lag_samples + 9600) <= 24);
  CHECK(a.correlation > 0.99);
}

TEST_CASE("envelope alignment tolerates added noise") {
  const auto ref = speech_like(3 * 48000, 23);
  auto rec = delayed(ref, 2400, 1.0);
  const auto noise = modulated_noise(rec.size(), 5);
  for (std::size_t i = 0; i < rec.size(); ++i) {
    rec[i] = static_cast<std::int16_t>(std::clamp(rec[i] + noise[i] / 20, -32768, 32767));
  }
  const Alignment a = align_envelopes(ref, rec, 4800);
  CHECK(std::abs(a.lag_samples - 2400) <= 48);
  CHECK(a.correlation > 0.9);
}

TEST_CASE("envelope alignment gives low correlation for unrelated signals") {
  const auto a = modulated_noise(3 * 48000, 1);
  const auto b = modulated_noise(3 * 48000, 2);
  CHECK(align_envelopes(a, b, 4800).correlation < 0.3);
  const auto speech = speech_like(3 * 48000, 30);
  const auto other = speech_like(3 * 48000, 31);
  CHECK(align_envelopes(speech, other, 4800).correlation < 0.5);
}

TEST_CASE("envelope alignment handles degenerate input") {
  const std::vector<std::int16_t> silence(48000, 0);
  const auto speech = speech_like(48000, 3);
  CHECK(align_envelopes(silence, speech, 4800).correlation == 0.0);
  CHECK(align_envelopes({}, speech, 4800).correlation == 0.0);
  CHECK(align_envelopes(speech, std::vector<std::int16_t>(100, 5), 4800).correlation == 0.0);
}

TEST_CASE("segment alignment follows a delay that grows part-way through a recording") {
  // 10 s of speech; the first 5 s arrive 100 ms late, the rest 400 ms late (a 300 ms stall).
  const auto ref = speech_like(10 * 48000, 24);
  std::vector<std::int16_t> rec(4800, 0);
  rec.insert(rec.end(), ref.begin(), ref.begin() + 5 * 48000);
  rec.insert(rec.end(), 14400, 0);
  rec.insert(rec.end(), ref.begin() + 5 * 48000, ref.end());

  // One lag for the whole recording fits only half of it.
  CHECK(align_envelopes(ref, rec, 48000).correlation < 0.8);

  const auto segments = align_segments(ref, rec, 48000, 48000);
  REQUIRE(segments.size() == 10);
  for (const auto& s : segments) {
    INFO("segment at " << s.begin_sample << ": lag " << s.alignment.lag_samples << ", correlation "
                       << s.alignment.correlation);
    const int expected = s.begin_sample < 5 * 48000 ? 4800 : 19200;
    CHECK(std::abs(s.alignment.lag_samples - expected) <= 48);
    CHECK(s.alignment.correlation > 0.99);
  }
}

TEST_CASE("segment alignment skips pauses and finds nothing in an unrelated recording") {
  auto ref = speech_like(4 * 48000, 25);
  std::fill(ref.begin() + 48000, ref.begin() + 3 * 48000, std::int16_t{0});  // 2 s of pause
  const auto segments = align_segments(ref, delayed(ref, 2400, 0.5), 48000, 24000);
  REQUIRE(segments.size() == 2);
  CHECK(segments[0].begin_sample == 0);
  CHECK(segments[1].begin_sample == 3 * 48000);

  const auto other = speech_like(4 * 48000, 26);
  const auto unrelated = align_segments(other, speech_like(4 * 48000, 27), 48000, 24000);
  REQUIRE(unrelated.size() == 4);
  for (const auto& s : unrelated) CHECK(s.alignment.correlation < 0.8);
  CHECK(align_segments(ref, {}, 48000, 24000).empty());
  CHECK(align_segments(ref, ref, 0, 24000).empty());
}

TEST_CASE("a speech score excuses the second a stall fell in, not a garbled one") {
  const auto ref = speech_like(10 * 48000, 28);
  // Stalled: 100 ms late until 5.5 s into the sentence, then 400 ms late.
  std::vector<std::int16_t> stalled(4800, 0);
  stalled.insert(stalled.end(), ref.begin(), ref.begin() + 264000);
  stalled.insert(stalled.end(), 14400, 0);
  stalled.insert(stalled.end(), ref.begin() + 264000, ref.end());
  const SpeechScore s = score_speech(ref, stalled, 0.9);
  INFO(s.table);
  CHECK(s.seconds == 10);
  CHECK(s.carried >= 9);
  CHECK(s.unexplained == 0);

  // Garbled: the fifth second replaced by other speech, the delay the same on both sides.
  auto garbled = delayed(ref, 4800, 1.0);
  const auto other = speech_like(48000, 29);
  std::copy(other.begin(), other.end(), garbled.begin() + 4800 + 4 * 48000);
  const SpeechScore g = score_speech(ref, garbled, 0.9);
  INFO(g.table);
  CHECK(g.carried == 9);
  CHECK(g.unexplained == 1);

  // Unrelated: nothing carried.
  CHECK(score_speech(ref, speech_like(10 * 48000, 30), 0.9).carried <= 1);
}

TEST_CASE("rms_dbfs measures level against a full-scale square wave") {
  std::vector<std::int16_t> sine(48000), half(48000), square(48000);
  for (std::size_t i = 0; i < sine.size(); ++i) {
    const double v = std::sin(2.0 * std::numbers::pi * 1000.0 * static_cast<double>(i) / 48000.0);
    sine[i] = static_cast<std::int16_t>(std::lrint(32767.0 * v));
    half[i] = static_cast<std::int16_t>(std::lrint(16384.0 * v));
    square[i] = (i / 24) % 2 == 0 ? std::int16_t{32767} : std::int16_t{-32768};
  }
  CHECK(std::abs(rms_dbfs(sine) + 3.0103) < 0.01);
  CHECK(std::abs(rms_dbfs(half) + 9.0309) < 0.01);
  CHECK(std::abs(rms_dbfs(square)) < 0.001);
  CHECK(rms_dbfs(std::vector<std::int16_t>(100, 0)) == -std::numeric_limits<double>::infinity());
  CHECK(rms_dbfs({}) == -std::numeric_limits<double>::infinity());
  CHECK(speech_like(1000, 1) == speech_like(1000, 1));
  CHECK(speech_like(48000, 1) != speech_like(48000, 2));
}
