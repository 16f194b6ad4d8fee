#include "tests/bench/timestamped_io.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "core/audio/audio_format.hpp"

namespace hotline::bench {

double to_seconds(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

void StampLog::add(double time_s, std::uint64_t first_sample) noexcept {
  const std::size_t n = count_.load(std::memory_order_relaxed);
  if (n == stamps_.size()) {
    dropped_.fetch_add(1, std::memory_order_release);
    return;
  }
  stamps_[n] = {time_s, first_sample};
  count_.store(n + 1, std::memory_order_release);
}

std::span<const BlockStamp> StampLog::stamps() const {
  return std::span<const BlockStamp>(stamps_).first(count_.load(std::memory_order_acquire));
}

double StampLog::time_of(double index) const {
  const auto s = stamps();
  // The last block starting at or before `index`.
  auto it = std::upper_bound(s.begin(), s.end(), index, [](double i, const BlockStamp& b) {
    return i < static_cast<double>(b.first_sample);
  });
  if (it == s.begin()) return -1;
  --it;
  return it->time_s + (index - static_cast<double>(it->first_sample)) / audio::kSampleRate;
}

double StampLog::index_at(double time_s) const {
  const auto s = stamps();
  if (s.empty()) return 0;
  auto it = std::upper_bound(s.begin(), s.end(), time_s,
                             [](double t, const BlockStamp& b) { return t < b.time_s; });
  if (it == s.begin()) return static_cast<double>(s.front().first_sample);
  const BlockStamp& b = *(it - 1);
  double index = static_cast<double>(b.first_sample) + (time_s - b.time_s) * audio::kSampleRate;
  // After a clock slip the next block starts earlier on the sample clock than time suggests.
  if (it != s.end()) index = std::min(index, static_cast<double>(it->first_sample));
  return index;
}

std::vector<std::int16_t> make_chirp() {
  constexpr double kSeconds = 0.020;
  constexpr double kFrom = 300.0;
  constexpr double kTo = 3000.0;
  const double amplitude = 32767.0 * std::pow(10.0, -6.0 / 20.0);
  const auto n = static_cast<std::size_t>(kSeconds * audio::kSampleRate);
  std::vector<std::int16_t> chirp(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / audio::kSampleRate;
    const double phase =
        2.0 * std::numbers::pi * (kFrom * t + (kTo - kFrom) * t * t / (2 * kSeconds));
    const double window = 0.5 * (1.0 - std::cos(2.0 * std::numbers::pi * static_cast<double>(i) /
                                                static_cast<double>(n - 1)));
    chirp[i] = static_cast<std::int16_t>(std::lround(amplitude * window * std::sin(phase)));
  }
  return chirp;
}

TimestampedSource::TimestampedSource(std::vector<std::int16_t> chirp, std::uint64_t first_chirp,
                                     std::uint64_t interval, std::size_t max_blocks)
    : chirp_(std::move(chirp)),
      first_chirp_(first_chirp),
      interval_(std::max<std::uint64_t>(interval, chirp_.size())),
      log_(max_blocks) {}

void TimestampedSource::fill(std::span<std::int16_t> out) {
  const std::uint64_t start = produced_.load(std::memory_order_relaxed);
  log_.add(to_seconds(std::chrono::steady_clock::now()), start);
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::uint64_t n = start + k;
    std::int16_t v = 0;
    if (n >= first_chirp_) {
      const std::uint64_t into = (n - first_chirp_) % interval_;
      if (into < chirp_.size()) v = chirp_[into];
    }
    out[k] = v;
  }
  produced_.store(start + out.size(), std::memory_order_release);
}

TimestampedSink::TimestampedSink(std::size_t max_samples, std::size_t max_blocks)
    : samples_(max_samples), log_(max_blocks) {}

void TimestampedSink::consume(std::span<const std::int16_t> in) {
  const std::uint64_t start = consumed_.load(std::memory_order_relaxed);
  const std::size_t kept = std::min<std::size_t>(samples_.size() - start, in.size());
  // A full recording stops being stamped too, so stamps always describe kept samples.
  if (kept > 0) log_.add(to_seconds(std::chrono::steady_clock::now()), start);
  std::copy_n(in.begin(), kept, samples_.begin() + static_cast<std::ptrdiff_t>(start));
  if (kept < in.size()) dropped_.fetch_add(in.size() - kept, std::memory_order_release);
  consumed_.store(start + kept, std::memory_order_release);
}

std::span<const std::int16_t> TimestampedSink::recording() const {
  return std::span<const std::int16_t>(samples_).first(consumed_.load(std::memory_order_acquire));
}

}  // namespace hotline::bench
