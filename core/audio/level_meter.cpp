#include "core/audio/level_meter.hpp"

#include <algorithm>
#include <cmath>

namespace hotline::audio {
namespace {

// Fraction of the gap to a quieter block that remains after one block.
const double kReleaseKeep =
    std::exp(-10.0 / static_cast<double>(LevelMeter::kReleaseTimeConstant.count()));
constexpr double kFullScaleSquareEnergy = 32768.0 * 32768.0;

}  // namespace

void LevelMeter::feed(std::span<const std::int16_t> samples) {
  for (const std::int16_t s : samples) {
    sum_squares_ += static_cast<double>(s) * static_cast<double>(s);
    if (++block_fill_ == kBlockSamples) finish_block();
  }
}

void LevelMeter::reset() {
  sum_squares_ = 0.0;
  block_fill_ = 0;
  level_dbfs_ = kFloorDbfs;
  blocks_ = 0;
}

double LevelMeter::audio_level() const {
  if (level_dbfs_ <= kFloorDbfs) return 0.0;
  return std::min(1.0, std::pow(10.0, level_dbfs_ / 20.0));
}

void LevelMeter::finish_block() {
  const double mean_square = sum_squares_ / static_cast<double>(kBlockSamples);
  sum_squares_ = 0.0;
  block_fill_ = 0;
  ++blocks_;
  const double block_dbfs =
      mean_square > 0.0
          ? std::max(kFloorDbfs, 10.0 * std::log10(mean_square / kFullScaleSquareEnergy))
          : kFloorDbfs;
  if (block_dbfs >= level_dbfs_) {
    level_dbfs_ = block_dbfs;
  } else {
    level_dbfs_ = block_dbfs + (level_dbfs_ - block_dbfs) * kReleaseKeep;
    // Snap once the difference is invisible, so a silent stream reads exactly the floor.
    if (level_dbfs_ - block_dbfs < 0.01) level_dbfs_ = block_dbfs;
  }
}

}  // namespace hotline::audio
