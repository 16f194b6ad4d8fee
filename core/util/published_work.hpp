#pragma once
// Work shared out while it is still being produced. One thread publishes items in order
// (say, sealed rows as it reads them from the database); any number of threads, the
// publisher too once it has finished, take the published items in batches and process them.
// Each item is taken exactly once. Whoever publishes must have written an item completely
// before publishing it: publish() releases, take() acquires.

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace hotline::util {

struct WorkBatch {
  std::size_t begin = 0;
  std::size_t end = 0;  // begin == end: nothing is left and nothing more will come
  bool empty() const { return begin == end; }
};

class PublishedWork {
 public:
  // Items [0, count) are ready. Counts only grow.
  void publish(std::size_t count);
  // No item after [0, count) will come; wakes every taker waiting for more. Call it on every
  // path out of the producer, exceptions included, or the takers wait for ever.
  void finish(std::size_t count);
  // Up to `most` items not yet taken. Sleeps while every published item is taken and more
  // may come.
  WorkBatch take(std::size_t most);

 private:
  // The published count, with kFinished set once no more will come: setting it changes the
  // value, which is what wakes a taker sleeping on the count it last saw.
  static constexpr std::uint64_t kFinished = std::uint64_t{1} << 63;
  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::size_t> taken_{0};
};

}  // namespace hotline::util
