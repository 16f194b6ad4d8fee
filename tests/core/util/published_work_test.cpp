#include "core/util/published_work.hpp"

#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <thread>
#include <vector>

using hotline::util::PublishedWork;
using hotline::util::WorkBatch;

TEST_CASE("published work: every item is taken once, by whichever thread, as it is published") {
  constexpr std::size_t kItems = 20'000;
  std::vector<std::size_t> items(kItems);  // written before publishing, read by the takers
  std::vector<std::atomic<int>> taken(kItems);
  std::atomic<int> wrong{0};
  PublishedWork work;
  const auto take_all = [&] {
    for (WorkBatch b = work.take(5); !b.empty(); b = work.take(5)) {
      for (std::size_t i = b.begin; i < b.end; ++i) {
        taken[i].fetch_add(1);
        if (items[i] != i * 3) wrong.fetch_add(1);
      }
    }
  };
  {
    std::vector<std::jthread> takers;
    for (int t = 0; t < 3; ++t) takers.emplace_back(take_all);
    for (std::size_t i = 0; i < kItems; ++i) {
      items[i] = i * 3;
      if (i % 7 == 6) work.publish(i + 1);
    }
    work.finish(kItems);
    take_all();  // the producer helps once it is done
  }
  CHECK(wrong.load() == 0);
  std::size_t once = 0;
  for (const auto& t : taken) once += t.load() == 1;
  CHECK(once == kItems);
}

TEST_CASE("published work: finishing with nothing published wakes the waiting takers") {
  PublishedWork work;
  std::atomic<int> ended{0};
  {
    std::vector<std::jthread> takers;
    for (int t = 0; t < 2; ++t) {
      takers.emplace_back([&] {
        if (work.take(8).empty()) ended.fetch_add(1);
      });
    }
    work.finish(0);
  }  // joined: a taker still asleep would hang the test here
  CHECK(ended.load() == 2);
}

TEST_CASE("published work: a batch is at most what was asked for and only what is published") {
  PublishedWork work;
  work.publish(10);
  WorkBatch a = work.take(4);
  CHECK((a.begin == 0 && a.end == 4));
  WorkBatch b = work.take(100);
  CHECK((b.begin == 4 && b.end == 10));
  work.finish(12);
  WorkBatch c = work.take(100);
  CHECK((c.begin == 10 && c.end == 12));
  CHECK(work.take(100).empty());
}
