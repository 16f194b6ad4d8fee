#include "core/audio/playout_delay.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "core/util/error.hpp"

namespace hotline::audio {

PlayoutDelayEstimator::PlayoutDelayEstimator(const PlayoutDelayConfig& config)
    : config_(config),
      frame_us_(std::int64_t{config.frame_ms} * 1000),
      target_ms_(config.initial_target_ms) {
  if (config.frame_ms <= 0 || config.window.count() < config.frame_ms ||
      config.baseline.count() < config.frame_ms) {
    throw Error("playout delay windows must hold at least one frame");
  }
  if (!(config.percentile > 0.0 && config.percentile <= 1.0)) {
    throw Error("playout delay percentile must be in (0, 1]");
  }
  offsets_.resize(static_cast<std::size_t>(config.baseline.count() / config.frame_ms));
  lateness_ms_.resize(static_cast<std::size_t>(config.window.count() / config.frame_ms));
  scratch_.resize(lateness_ms_.size());
}

std::int64_t PlayoutDelayEstimator::send_offset_us(std::uint64_t seq,
                                                   Clock::time_point arrival) const {
  const auto arrival_us =
      std::chrono::duration_cast<std::chrono::microseconds>(arrival.time_since_epoch()).count();
  return arrival_us - static_cast<std::int64_t>(seq) * frame_us_;
}

void PlayoutDelayEstimator::on_arrival(std::uint64_t seq, Clock::time_point arrival) {
  const std::int64_t offset = send_offset_us(seq, arrival);
  offsets_[offsets_next_] = offset;
  offsets_next_ = (offsets_next_ + 1) % offsets_.size();
  offsets_count_ = std::min(offsets_count_ + 1, offsets_.size());
  const auto baseline = std::span(offsets_).first(offsets_count_);
  min_offset_us_ = *std::min_element(baseline.begin(), baseline.end());

  lateness_ms_[next_] = static_cast<double>(offset - min_offset_us_) / 1000.0;
  next_ = (next_ + 1) % lateness_ms_.size();
  count_ = std::min(count_ + 1, lateness_ms_.size());
  recompute();
}

void PlayoutDelayEstimator::recompute() {
  std::copy_n(lateness_ms_.begin(), count_, scratch_.begin());
  const auto rank =
      static_cast<std::size_t>(std::ceil(config_.percentile * static_cast<double>(count_))) - 1;
  const auto nth = scratch_.begin() + static_cast<std::ptrdiff_t>(std::min(rank, count_ - 1));
  std::nth_element(scratch_.begin(), nth, scratch_.begin() + static_cast<std::ptrdiff_t>(count_));
  jitter_ms_ = *nth;
  measured_ = true;
}

double PlayoutDelayEstimator::lateness_ms(std::uint64_t seq, Clock::time_point arrival) const {
  if (offsets_count_ == 0) return 0.0;
  return std::max(0.0, static_cast<double>(send_offset_us(seq, arrival) - min_offset_us_) / 1000.0);
}

double PlayoutDelayEstimator::update_target(double added_ms, Clock::time_point now) {
  const double elapsed_s = last_update_ == Clock::time_point{}
                               ? 0.0
                               : std::chrono::duration<double>(now - last_update_).count();
  last_update_ = now;
  if (!measured_) return target_ms_;
  wanted_ms_ = jitter_ms_ + config_.safety_ms + added_ms;
  target_ms_ = std::max(wanted_ms_, target_ms_ - config_.decay_ms_per_s * elapsed_s);
  return target_ms_;
}

}  // namespace hotline::audio
