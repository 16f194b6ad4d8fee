#include "core/audio/callback_phase.hpp"

#include <algorithm>

namespace hotline::audio {

void CallbackPhase::observe(std::uint64_t count, Clock::time_point now) {
  if (!looked_) {
    looked_ = true;
    count_ = count;
    last_look_ = now;
    return;
  }
  if (count != count_) {
    // A count that went down belongs to a stream that was replaced: start afresh from here.
    const bool forward = count > count_;
    Clock::time_point estimate = now;
    if (forward && latest_) {
      const auto moved = static_cast<Clock::rep>(count - count_);
      estimate = *latest_ + period_ * moved - period_ / kCreepDivisor;
    }
    // It ran after the previous look, which had not seen it, and no later than now.
    latest_ = std::clamp(estimate, last_look_, now);
    count_ = count;
  }
  last_look_ = now;
}

std::optional<CallbackPhase::Clock::time_point> CallbackPhase::next_end() const {
  if (!latest_) return std::nullopt;
  return *latest_ + period_;
}

}  // namespace hotline::audio
