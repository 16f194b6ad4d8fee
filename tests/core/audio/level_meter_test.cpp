#include "core/audio/level_meter.hpp"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <numbers>
#include <vector>

using namespace hotline::audio;
using Catch::Approx;

namespace {

std::vector<std::int16_t> sine(std::size_t samples, double peak, double hz = 1000.0) {
  std::vector<std::int16_t> out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    out[i] = static_cast<std::int16_t>(std::lrint(
        peak * std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(i) / 48000.0)));
  }
  return out;
}

}  // namespace

TEST_CASE("level meter reads a full-scale sine at -3 dBFS and silence at the floor", "[level]") {
  LevelMeter meter;
  CHECK(meter.level_dbfs() == LevelMeter::kFloorDbfs);
  CHECK(meter.audio_level() == 0.0);

  meter.feed(std::vector<std::int16_t>(48000, 0));
  CHECK(meter.level_dbfs() == LevelMeter::kFloorDbfs);
  CHECK(meter.audio_level() == 0.0);
  CHECK(meter.blocks() == 100);

  meter.feed(sine(48000, 32767.0));
  CHECK(meter.level_dbfs() == Approx(-3.01).margin(0.05));
  CHECK(meter.audio_level() == Approx(std::sqrt(0.5)).margin(0.01));

  LevelMeter quiet;
  quiet.feed(sine(48000, 32767.0 * 0.1));  // 20 dB down
  CHECK(quiet.level_dbfs() == Approx(-23.01).margin(0.05));
  CHECK(quiet.audio_level() == Approx(0.1 * std::sqrt(0.5)).margin(0.001));
}

TEST_CASE("level meter attacks at once and releases with a 300 ms time constant", "[level]") {
  LevelMeter meter;
  meter.feed(sine(480, 32767.0));  // a single block is enough to read full level
  CHECK(meter.level_dbfs() == Approx(-3.01).margin(0.05));
  meter.feed(sine(48000, 32767.0));

  // Silence, block by block: time until the level is half way (in dB) down to the floor.
  const std::vector<std::int16_t> block(480, 0);
  const double start = meter.level_dbfs();
  const double half_way = (start + LevelMeter::kFloorDbfs) / 2.0;
  int ms = 0;
  double previous = start;
  while (meter.level_dbfs() > half_way && ms < 5000) {
    meter.feed(block);
    ms += 10;
    REQUIRE(meter.level_dbfs() < previous);  // falls steadily, never jumps back
    previous = meter.level_dbfs();
  }
  // 300 ms * ln 2 = 208 ms.
  CHECK(ms >= 200);
  CHECK(ms <= 220);
  for (int i = 0; i < 300; ++i) meter.feed(block);  // 3 s more
  CHECK(meter.level_dbfs() == LevelMeter::kFloorDbfs);
  CHECK(meter.audio_level() == 0.0);

  // A louder block interrupts the release at once.
  meter.feed(sine(960, 32767.0 * 0.5));
  CHECK(meter.level_dbfs() == Approx(-9.03).margin(0.1));
}

TEST_CASE("level meter gives the same readings whatever the span sizes", "[level]") {
  std::vector<std::int16_t> signal = sine(4800, 20000.0, 440.0);
  signal.insert(signal.end(), 4800, 0);
  const std::vector<std::int16_t> tail = sine(3000, 3000.0, 300.0);
  signal.insert(signal.end(), tail.begin(), tail.end());

  LevelMeter whole;
  whole.feed(signal);
  LevelMeter pieces;
  const std::size_t sizes[] = {1, 7, 479, 480, 481, 1000, 13};
  std::size_t pos = 0;
  for (std::size_t k = 0; pos < signal.size(); ++k) {
    const std::size_t n = std::min(sizes[k % std::size(sizes)], signal.size() - pos);
    pieces.feed(std::span(signal).subspan(pos, n));
    pos += n;
  }
  CHECK(pieces.blocks() == whole.blocks());
  CHECK(pieces.blocks() == signal.size() / 480);
  CHECK(pieces.level_dbfs() == whole.level_dbfs());

  whole.reset();
  CHECK(whole.level_dbfs() == LevelMeter::kFloorDbfs);
  CHECK(whole.blocks() == 0);
  whole.feed(std::vector<std::int16_t>(479, 30000));  // a partial block shows nothing yet
  CHECK(whole.blocks() == 0);
  CHECK(whole.level_dbfs() == LevelMeter::kFloorDbfs);
}
