#include "tests/support/sim_device.hpp"

#include <array>
#include <cmath>
#include <numbers>

namespace hotline::test {

void SimDevice::advance_to(Clock::time_point now) {
  if (!running_) {
    clock_set_ = false;  // a restarted device starts its clock afresh
    return;
  }
  if (!clock_set_) {
    clock_set_ = true;
    started_ = now;
    periods_ = 0;
    next_ = period_end(1);
    return;
  }
  while (next_ <= now) {
    tick();
    next_ = period_end(++periods_ + 1);
  }
}

SimDevice::Clock::time_point SimDevice::period_end(std::uint64_t n) const {
  const double ns = static_cast<double>(n) *
                    static_cast<double>(std::chrono::nanoseconds(kPeriod).count()) / clock_rate_;
  return started_ + std::chrono::nanoseconds(static_cast<std::int64_t>(ns));
}

SimDevice::Clock::time_point SimDevice::next_period() const {
  if (!running_) return Clock::time_point::max();
  return clock_set_ ? next_ : Clock::time_point::min();
}

void SimDevice::tick() {
  std::array<std::int16_t, kPeriodSamples> mic{};
  if (source_) {
    source_->fill(mic);
  } else if (tone_hz_ > 0) {
    for (auto& s : mic) {
      const double t = static_cast<double>(phase_++) / audio::kSampleRate;
      s = static_cast<std::int16_t>(8000.0 * std::sin(2.0 * std::numbers::pi * tone_hz_ * t));
    }
  }
  std::array<std::int16_t, kPeriodSamples> speaker{};
  const std::size_t got = playback_.read(speaker);
  if (got < speaker.size()) ++underruns_;
  recording_.insert(recording_.end(), speaker.begin(), speaker.end());
  // The echo reference is written in step with the capture, as the real devices do.
  played_.write(speaker);
  capture_.write(mic);
}

}  // namespace hotline::test
