#pragma once
// Token-bucket rate limiting per key (a source address, a peer's public key), with a hard cap
// on the number of keys tracked: a flood of spoofed sources evicts the stalest buckets
// instead of growing memory. Time is always passed in so behaviour is deterministic.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/util/bytes.hpp"

namespace hotline::net {

using Clock = std::chrono::steady_clock;

struct RateLimit {
  double per_second = 0;  // sustained rate at which tokens come back
  double burst = 1;       // bucket size: how many may pass at once after a quiet period
};

// One bucket; starts full.
class TokenBucket {
 public:
  TokenBucket(double burst, Clock::time_point now) : tokens_(burst), last_(now) {}
  // Refills for the time since the last call, then takes one token if there is one.
  bool take(const RateLimit& limit, Clock::time_point now);
  double tokens() const { return tokens_; }

 private:
  double tokens_;
  Clock::time_point last_;
};

// Hashes any key that is a contiguous run of bytes (Key32, std::array<uint8_t, 16>, ...).
struct ByteArrayHash {
  template <typename Array>
  std::size_t operator()(const Array& key) const {
    return std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
  }
};

template <typename Key, typename Hash = std::hash<Key>>
class RateLimiter {
 public:
  static constexpr std::size_t kDefaultMaxKeys = 4096;

  explicit RateLimiter(RateLimit limit, std::size_t max_keys = kDefaultMaxKeys)
      : limit_(limit), max_keys_(max_keys == 0 ? 1 : max_keys) {
    index_.reserve(max_keys_);
  }

  // True when this key may do one more thing now (and uses up a token).
  bool allow(const Key& key, Clock::time_point now) {
    auto found = index_.find(key);
    if (found != index_.end()) {
      // Most recently used first, so the back of the list is always the stalest key.
      recent_.splice(recent_.begin(), recent_, found->second);
      return found->second->second.take(limit_, now);
    }
    if (index_.size() >= max_keys_) {
      index_.erase(recent_.back().first);
      recent_.pop_back();
    }
    recent_.emplace_front(key, TokenBucket(limit_.burst, now));
    index_.emplace(key, recent_.begin());
    return recent_.front().second.take(limit_, now);
  }

  std::size_t tracked_keys() const { return index_.size(); }
  std::size_t max_keys() const { return max_keys_; }
  const RateLimit& limit() const { return limit_; }

 private:
  using Entry = std::pair<Key, TokenBucket>;
  RateLimit limit_;
  std::size_t max_keys_;
  std::list<Entry> recent_;
  std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> index_;
};

}  // namespace hotline::net
