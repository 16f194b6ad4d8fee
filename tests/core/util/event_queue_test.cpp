// The typed event queue: events arrive in order from several producers, and the consumer's
// wait ends at an event or at its deadline.

#include "core/util/event_queue.hpp"

#include <catch2/catch_test_macros.hpp>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("event queue: each producer's events arrive once and in its order") {
  hotline::EventQueue<std::pair<int, int>> queue;
  constexpr int kPerProducer = 2000;
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p) {
    producers.emplace_back([&queue, p] {
      for (int i = 0; i < kPerProducer; ++i) queue.push({p, i});
    });
  }
  std::vector<int> next(3, 0);
  for (int n = 0; n < 3 * kPerProducer; ++n) {
    const auto event = queue.pop();
    REQUIRE(event);
    CHECK(event->second == next[static_cast<std::size_t>(event->first)]++);
  }
  for (auto& t : producers) t.join();
  CHECK(next == std::vector<int>{kPerProducer, kPerProducer, kPerProducer});
}

TEST_CASE("event queue: a wait with a deadline ends empty when nothing comes") {
  hotline::EventQueue<std::string> queue;
  CHECK_FALSE(queue.pop(std::chrono::steady_clock::now()));
  queue.push("call ended");
  const auto event = queue.pop(std::chrono::steady_clock::now() + 10s);
  REQUIRE(event);
  CHECK(*event == "call ended");
}
