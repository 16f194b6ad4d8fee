#include "core/audio/spsc_ring.hpp"

#include <catch2/catch_test_macros.hpp>
#include <cstdint>
#include <deque>
#include <thread>
#include <vector>

using hotline::audio::SpscRing;

TEST_CASE("spsc ring rounds capacity up to a power of two") {
  CHECK(SpscRing<std::int16_t>(1000).capacity() == 1024);
  CHECK(SpscRing<std::int16_t>(1024).capacity() == 1024);
  CHECK(SpscRing<std::int16_t>(1).capacity() == 1);
}

TEST_CASE("spsc ring fills, refuses overflow and drains in order") {
  SpscRing<std::int16_t> ring(8);
  const std::vector<std::int16_t> in{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(ring.available_read() == 0);
  CHECK(ring.available_write() == 8);
  CHECK(ring.write(in) == 8);
  CHECK(ring.available_read() == 8);
  CHECK(ring.available_write() == 0);
  CHECK(ring.write(in) == 0);

  std::vector<std::int16_t> out(5);
  CHECK(ring.read(out) == 5);
  CHECK(out == std::vector<std::int16_t>{1, 2, 3, 4, 5});
  CHECK(ring.discard(1) == 1);
  out.assign(10, 0);
  CHECK(ring.read(out) == 2);
  CHECK(out[0] == 7);
  CHECK(out[1] == 8);
  CHECK(ring.read(out) == 0);
  CHECK(ring.discard(4) == 0);
}

TEST_CASE("spsc ring matches a queue model across many wrap-arounds") {
  SpscRing<std::int16_t> ring(64);
  std::deque<std::int16_t> model;
  std::uint32_t rng = 12345;
  auto next = [&rng](std::uint32_t mod) {
    rng = rng * 1664525u + 1013904223u;
    return (rng >> 8) % mod;
  };
  std::int16_t counter = 0;
  std::vector<std::int16_t> buf(100);
  for (int step = 0; step < 20000; ++step) {
    const std::size_t n = next(100);
    if (next(2) == 0) {
      for (std::size_t i = 0; i < n; ++i) buf[i] = static_cast<std::int16_t>(counter + i);
      const std::size_t written = ring.write(std::span(buf).first(n));
      REQUIRE(written == std::min(n, 64 - model.size()));
      model.insert(model.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(written));
      counter = static_cast<std::int16_t>(counter + written);
    } else {
      const std::size_t got = ring.read(std::span(buf).first(n));
      REQUIRE(got == std::min(n, model.size()));
      for (std::size_t i = 0; i < got; ++i) {
        REQUIRE(buf[i] == model.front());
        model.pop_front();
      }
    }
    REQUIRE(ring.available_read() == model.size());
    REQUIRE(ring.available_write() == 64 - model.size());
  }
}

TEST_CASE("spsc ring keeps sequence integrity between two threads") {
  constexpr std::uint32_t kTotal = 2'000'000;
  SpscRing<std::uint32_t> ring(512);
  std::thread producer([&ring] {
    std::vector<std::uint32_t> chunk(97);
    std::uint32_t next = 0;
    std::uint32_t size = 1;
    while (next < kTotal) {
      size = size % 97 + 1;  // vary chunk sizes so writes straddle the wrap point
      const std::uint32_t n = std::min(size, kTotal - next);
      for (std::uint32_t i = 0; i < n; ++i) chunk[i] = next + i;
      std::size_t off = 0;
      while (off < n) {
        off += ring.write(std::span<const std::uint32_t>(chunk).subspan(off, n - off));
        if (off < n) std::this_thread::yield();
      }
      next += n;
    }
  });

  std::vector<std::uint32_t> chunk(61);
  std::uint32_t expected = 0;
  std::uint32_t mismatches = 0;
  while (expected < kTotal) {
    const std::size_t got = ring.read(chunk);
    if (got == 0) std::this_thread::yield();
    for (std::size_t i = 0; i < got; ++i) {
      if (chunk[i] != expected) ++mismatches;
      ++expected;
    }
  }
  producer.join();
  CHECK(mismatches == 0);
  CHECK(expected == kTotal);
  CHECK(ring.available_read() == 0);
}
