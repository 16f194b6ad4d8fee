#pragma once
// Loudness of a stream for meters and statistics, on the engine thread (not thread-safe).
//
// The RMS of each 10 ms block, in dB relative to a full-scale square wave (a full-scale sine
// reads -3 dBFS), is smoothed like a peak meter: a louder block is shown at once, a quieter one
// is approached with a 300 ms time constant in dB, so speech reads steadily between syllables
// and a stream that stops falls to the floor within about a second. Never allocates.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/audio/audio_format.hpp"

namespace hotline::audio {

class LevelMeter {
 public:
  static constexpr std::size_t kBlockSamples = 10 * kSamplesPerMs;
  static constexpr double kFloorDbfs = -100.0;
  static constexpr std::chrono::milliseconds kReleaseTimeConstant{300};

  // Any length; a partial block is carried to the next call.
  void feed(std::span<const std::int16_t> samples);
  void reset();

  // Smoothed level, kFloorDbfs..0 (0 only for a full-scale square wave).
  double level_dbfs() const { return level_dbfs_; }
  // The same level on the linear 0..1 scale of WebRTC statistics' audioLevel (1.0 is 0 dBov,
  // 0.5 is 6 dB below); exactly 0 at the floor.
  double audio_level() const;
  std::uint64_t blocks() const { return blocks_; }

 private:
  void finish_block();

  double sum_squares_ = 0.0;
  std::size_t block_fill_ = 0;
  double level_dbfs_ = kFloorDbfs;
  std::uint64_t blocks_ = 0;
};

}  // namespace hotline::audio
