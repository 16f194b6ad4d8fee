#include "core/util/published_work.hpp"

#include <algorithm>

namespace hotline::util {

void PublishedWork::publish(std::size_t count) {
  published_.store(count, std::memory_order_release);
  published_.notify_all();
}

void PublishedWork::finish(std::size_t count) {
  published_.store(count | kFinished, std::memory_order_release);
  published_.notify_all();
}

WorkBatch PublishedWork::take(std::size_t most) {
  for (;;) {
    const std::uint64_t seen = published_.load(std::memory_order_acquire);
    const auto ready = static_cast<std::size_t>(seen & ~kFinished);
    std::size_t begin = taken_.load(std::memory_order_relaxed);
    while (begin < ready) {
      const std::size_t end = std::min(ready, begin + std::max<std::size_t>(1, most));
      if (taken_.compare_exchange_weak(begin, end, std::memory_order_relaxed)) {
        return {begin, end};
      }
    }
    if (seen & kFinished) return {};
    published_.wait(seen, std::memory_order_acquire);
  }
}

}  // namespace hotline::util
