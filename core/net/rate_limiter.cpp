#include "core/net/rate_limiter.hpp"

#include <algorithm>

namespace hotline::net {

bool TokenBucket::take(const RateLimit& limit, Clock::time_point now) {
  // A clock that appears to go backwards (it should not) refills nothing.
  if (now > last_) {
    const std::chrono::duration<double> elapsed = now - last_;
    tokens_ = std::min(limit.burst, tokens_ + elapsed.count() * limit.per_second);
    last_ = now;
  }
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace hotline::net
