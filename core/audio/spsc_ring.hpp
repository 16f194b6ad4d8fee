#pragma once
// Lock-free single-producer / single-consumer ring between a real-time audio thread and the
// engine. Neither side ever blocks, allocates or makes a system call.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <type_traits>

namespace hotline::audio {

template <typename T>
class SpscRing {
  static_assert(std::is_trivially_copyable_v<T>, "samples are moved with memcpy");

 public:
  // `capacity` is rounded up to a power of two so indices wrap with a mask.
  explicit SpscRing(std::size_t capacity)
      : capacity_(round_up_pow2(capacity)), mask_(capacity_ - 1), data_(new T[capacity_]()) {}

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  std::size_t capacity() const { return capacity_; }

  // Producer side. Returns how many samples fit (the rest is the caller's overrun).
  std::size_t write(std::span<const T> in) {
    const std::size_t head = producer_.index.load(std::memory_order_relaxed);
    if (capacity_ - (head - producer_.cached_other) < in.size()) {
      producer_.cached_other = consumer_.index.load(std::memory_order_acquire);
    }
    const std::size_t n = std::min(in.size(), capacity_ - (head - producer_.cached_other));
    copy_in(head, in.first(n));
    producer_.index.store(head + n, std::memory_order_release);
    return n;
  }

  // Consumer side. Returns how many samples were available (up to out.size()).
  std::size_t read(std::span<T> out) {
    const std::size_t n = peek_count(out.size());
    const std::size_t tail = consumer_.index.load(std::memory_order_relaxed);
    copy_out(tail, out.first(n));
    consumer_.index.store(tail + n, std::memory_order_release);
    return n;
  }

  // Consumer side: drops up to `count` of the oldest samples (e.g. stale capture after a stall).
  std::size_t discard(std::size_t count) {
    const std::size_t n = peek_count(count);
    const std::size_t tail = consumer_.index.load(std::memory_order_relaxed);
    consumer_.index.store(tail + n, std::memory_order_release);
    return n;
  }

  // Exact when called from the consumer (resp. producer) side; a lower bound otherwise.
  std::size_t available_read() const {
    return producer_.index.load(std::memory_order_acquire) -
           consumer_.index.load(std::memory_order_acquire);
  }
  std::size_t available_write() const { return capacity_ - available_read(); }
  // Consumer side: everything read or discarded since construction. Two rings a producer
  // writes in step stay aligned sample for sample while their totals are equal.
  std::size_t total_read() const { return consumer_.index.load(std::memory_order_relaxed); }

 private:
  // Fixed instead of std::hardware_destructive_interference_size, whose value gcc warns may
  // differ between translation units compiled with different tuning.
  static constexpr std::size_t kCacheLine = 64;

  // Each side's own index plus its cached copy of the other side's index share one line, so
  // the fast path touches the other side's line only when the cached view says "full/empty".
  struct alignas(kCacheLine) Side {
    std::atomic<std::size_t> index{0};
    std::size_t cached_other = 0;
  };

  static std::size_t round_up_pow2(std::size_t n) {
    std::size_t p = 1;
    while (p < n) p <<= 1;
    return p;
  }

  std::size_t peek_count(std::size_t wanted) {
    const std::size_t tail = consumer_.index.load(std::memory_order_relaxed);
    if (consumer_.cached_other - tail < wanted) {
      consumer_.cached_other = producer_.index.load(std::memory_order_acquire);
    }
    return std::min(wanted, consumer_.cached_other - tail);
  }

  void copy_in(std::size_t pos, std::span<const T> in) {
    if (in.empty()) return;  // memcpy from a null span pointer is UB even for zero bytes
    const std::size_t start = pos & mask_;
    const std::size_t first = std::min(in.size(), capacity_ - start);
    std::memcpy(data_.get() + start, in.data(), first * sizeof(T));
    std::memcpy(data_.get(), in.data() + first, (in.size() - first) * sizeof(T));
  }

  void copy_out(std::size_t pos, std::span<T> out) const {
    if (out.empty()) return;
    const std::size_t start = pos & mask_;
    const std::size_t first = std::min(out.size(), capacity_ - start);
    std::memcpy(out.data(), data_.get() + start, first * sizeof(T));
    std::memcpy(out.data() + first, data_.get(), (out.size() - first) * sizeof(T));
  }

  const std::size_t capacity_;
  const std::size_t mask_;
  const std::unique_ptr<T[]> data_;
  Side producer_;  // written by the producer: head
  Side consumer_;  // written by the consumer: tail
};

// The consumer's end of a ring: what the thread that reads may do, and nothing else. A
// device hands the engine thread a reader of its capture ring and a writer of its playback
// ring, so the type says which side of each ring the engine owns.
template <typename T>
class SpscReader {
 public:
  explicit SpscReader(SpscRing<T>& ring) : ring_(&ring) {}
  std::size_t read(std::span<T> out) { return ring_->read(out); }
  std::size_t discard(std::size_t count) { return ring_->discard(count); }
  std::size_t available_read() const { return ring_->available_read(); }
  std::size_t total_read() const { return ring_->total_read(); }
  std::size_t capacity() const { return ring_->capacity(); }

 private:
  SpscRing<T>* ring_;
};

// The producer's end of a ring (see SpscReader).
template <typename T>
class SpscWriter {
 public:
  explicit SpscWriter(SpscRing<T>& ring) : ring_(&ring) {}
  std::size_t write(std::span<const T> in) { return ring_->write(in); }
  std::size_t available_write() const { return ring_->available_write(); }
  // What is written and not yet read: a lower bound seen from this side.
  std::size_t queued() const { return ring_->available_read(); }
  std::size_t capacity() const { return ring_->capacity(); }

 private:
  SpscRing<T>* ring_;
};

}  // namespace hotline::audio
