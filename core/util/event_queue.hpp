#pragma once
// A blocking queue of typed events from any number of producer threads to one consumer: how
// the engine thread's listener events reach a thread that waits for them (the command line's
// session). The producer never waits for the consumer; the consumer sleeps until an event or
// its deadline.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace hotline {

template <typename Event>
class EventQueue {
 public:
  using Clock = std::chrono::steady_clock;

  // Any thread.
  void push(Event event) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    wake_.notify_one();
  }

  // The consumer: the oldest event, waiting for one until `deadline` (nullopt: for ever).
  std::optional<Event> pop(std::optional<Clock::time_point> deadline = std::nullopt) {
    std::unique_lock lock(mutex_);
    const auto ready = [this] { return !events_.empty(); };
    if (deadline) {
      if (!wake_.wait_until(lock, *deadline, ready)) return std::nullopt;
    } else {
      wake_.wait(lock, ready);
    }
    Event event = std::move(events_.front());
    events_.pop_front();
    return event;
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Event> events_;
};

}  // namespace hotline
