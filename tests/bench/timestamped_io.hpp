#pragma once
// Sample source and sink for the delay probe. Both note, for every block the clocked device
// moves, the steady-clock time and the index of the block's first sample, so any sample can
// be given a time: its block's time plus its offset in the block on the 48 kHz sample clock.
// They run on the device thread and write only into storage sized at construction: no
// allocation and no lock there. Everything but the atomic counters is read once the device
// has stopped.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/audio/sample_io.hpp"

namespace hotline::bench {

// Seconds on the steady clock; doubles keep well under a microsecond for months of uptime.
double to_seconds(std::chrono::steady_clock::time_point t);

struct BlockStamp {
  double time_s = 0;  // when the device thread handed the block over
  std::uint64_t first_sample = 0;
};

class StampLog {
 public:
  explicit StampLog(std::size_t capacity) : stamps_(capacity) {}
  // Device thread. Blocks beyond the capacity are counted, not stored.
  void add(double time_s, std::uint64_t first_sample) noexcept;
  std::span<const BlockStamp> stamps() const;
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_acquire); }
  // Time of a (fractional) sample index; -1 before the first stamp.
  double time_of(double index) const;
  // Fractional sample index whose time is `time_s`, clamped to the stamped range.
  double index_at(double time_s) const;

 private:
  std::vector<BlockStamp> stamps_;
  std::atomic<std::size_t> count_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

// A 20 ms linear sweep from 300 to 3000 Hz, Hann-windowed, peaking at -6 dBFS: short, with a
// sharp autocorrelation peak, and well inside what Opus carries at speech bitrates.
std::vector<std::int16_t> make_chirp();

// Silence, with the chirp starting at first_chirp and then every `interval` samples.
class TimestampedSource final : public audio::SampleSource {
 public:
  TimestampedSource(std::vector<std::int16_t> chirp, std::uint64_t first_chirp,
                    std::uint64_t interval, std::size_t max_blocks);
  void fill(std::span<std::int16_t> out) override;
  std::string description() const override { return "timestamped chirps"; }

  std::span<const std::int16_t> chirp() const { return chirp_; }
  std::uint64_t chirp_start(std::size_t i) const { return first_chirp_ + i * interval_; }
  std::uint64_t produced() const { return produced_.load(std::memory_order_acquire); }
  const StampLog& log() const { return log_; }

 private:
  std::vector<std::int16_t> chirp_;
  std::uint64_t first_chirp_;
  std::uint64_t interval_;
  StampLog log_;
  std::atomic<std::uint64_t> produced_{0};
};

// Keeps everything played, up to max_samples (the rest is counted as dropped).
class TimestampedSink final : public audio::SampleSink {
 public:
  TimestampedSink(std::size_t max_samples, std::size_t max_blocks);
  void consume(std::span<const std::int16_t> in) override;
  std::string description() const override { return "timestamped recording"; }

  std::span<const std::int16_t> recording() const;
  std::uint64_t dropped_samples() const { return dropped_.load(std::memory_order_acquire); }
  const StampLog& log() const { return log_; }

 private:
  std::vector<std::int16_t> samples_;
  std::atomic<std::uint64_t> consumed_{0};
  std::atomic<std::uint64_t> dropped_{0};
  StampLog log_;
};

}  // namespace hotline::bench
