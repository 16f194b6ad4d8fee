#include "core/audio/xrun_guard.hpp"

#include <algorithm>
#include <cstdio>

namespace hotline::audio {

std::optional<std::string> XrunGuard::observe(Clock::time_point now, std::uint64_t host_xruns,
                                              double reference_shift_ms) {
  if (tripped_) return std::nullopt;
  // Xruns that arrived between two looks are dated at the look that found them: the engine
  // looks every period, so the error is a few milliseconds against a 10 s window.
  const std::uint64_t fresh = host_xruns > xruns_seen_ ? host_xruns - xruns_seen_ : 0;
  xruns_seen_ = std::max(xruns_seen_, host_xruns);
  for (std::uint64_t i = 0; i < std::min<std::uint64_t>(fresh, kBurst); ++i) {
    std::rotate(recent_.begin(), recent_.begin() + 1, recent_.end());
    recent_.back() = now;
    recorded_ = std::min(recorded_ + 1, kBurst);
  }
  char reason[96];
  if (recorded_ == kBurst && now - recent_.front() <= kWindow) {
    const auto span = std::chrono::duration<double>(now - recent_.front()).count();
    std::snprintf(reason, sizeof reason, "%zu xruns within %.1f s", kBurst, span);
    tripped_ = true;
    return std::string(reason);
  }
  if (reference_shift_ms >= kMaxReferenceShiftMs) {
    std::snprintf(reason, sizeof reason, "its round trip grew by %.0f ms", reference_shift_ms);
    tripped_ = true;
    return std::string(reason);
  }
  return std::nullopt;
}

void XrunGuard::ignore(std::uint64_t host_xruns) {
  xruns_seen_ = std::max(xruns_seen_, host_xruns);
}

}  // namespace hotline::audio
