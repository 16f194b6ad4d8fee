#include "core/net/replay_window.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstddef>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

using hotline::net::ReplayWindow;
namespace wire = hotline::wire;

namespace {

constexpr std::uint64_t kWindow = wire::kReplayWindowBits;
constexpr std::uint64_t kLowSpan = wire::kCounterLowMask + 1;

std::uint32_t low24(std::uint64_t counter) {
  return static_cast<std::uint32_t>(counter & wire::kCounterLowMask);
}

// The rule ReplayWindow must implement, written the slow, obvious way.
class ReferenceWindow {
 public:
  bool accept(std::uint64_t counter) {
    if (counter >= wire::kRejectAfterMessages) return false;
    if (counter <= highest_ && highest_ - counter >= kWindow) return false;
    if (!seen_.insert(counter).second) return false;
    if (counter > highest_) highest_ = counter;
    return true;
  }
  std::uint64_t highest() const { return highest_; }

 private:
  std::set<std::uint64_t> seen_;
  std::uint64_t highest_ = 0;
};

}  // namespace

TEST_CASE("replay window accepts counters in order", "[replay]") {
  ReplayWindow window;
  for (std::uint64_t c = 0; c < 5000; ++c) {
    REQUIRE(window.would_accept(c));
    REQUIRE(window.accept(c));
    REQUIRE(window.highest() == c);
  }
  CHECK(window.duplicates() == 0);
  CHECK(window.too_old() == 0);
}

TEST_CASE("replay window accepts reordering within the window", "[replay]") {
  ReplayWindow window;
  for (std::uint64_t c : {5u, 3u, 4u, 0u, 9u, 1u, 2u, 8u, 6u, 7u}) REQUIRE(window.accept(c));
  CHECK(window.highest() == 9);
  for (std::uint64_t c = 0; c <= 9; ++c) CHECK_FALSE(window.would_accept(c));
}

TEST_CASE("replay window rejects and counts duplicates", "[replay]") {
  ReplayWindow window;
  REQUIRE(window.accept(0));
  REQUIRE(window.accept(10));
  REQUIRE(window.accept(7));
  CHECK_FALSE(window.would_accept(7));
  CHECK_FALSE(window.accept(7));
  CHECK_FALSE(window.accept(10));
  CHECK_FALSE(window.accept(0));
  CHECK(window.duplicates() == 3);
  CHECK(window.too_old() == 0);
  CHECK(window.highest() == 10);
}

TEST_CASE("replay window rejects counters older than the window", "[replay]") {
  ReplayWindow window;
  const std::uint64_t top = 10000;
  REQUIRE(window.accept(top));
  CHECK(window.would_accept(top - (kWindow - 1)));
  CHECK_FALSE(window.would_accept(top - kWindow));
  CHECK_FALSE(window.accept(top - kWindow));
  CHECK_FALSE(window.accept(0));
  CHECK(window.too_old() == 2);
  CHECK(window.accept(top - (kWindow - 1)));
  CHECK(window.duplicates() == 0);
}

TEST_CASE("replay window remembers counters right up to the window edge", "[replay]") {
  ReplayWindow window;
  REQUIRE(window.accept(100));
  REQUIRE(window.accept(100 + kWindow - 1));  // 100 is now the oldest remembered counter
  CHECK_FALSE(window.accept(100));
  CHECK(window.duplicates() == 1);
  REQUIRE(window.accept(100 + kWindow));  // and now it is out of the window
  CHECK_FALSE(window.accept(100));
  CHECK(window.too_old() == 1);
}

TEST_CASE("replay window jump far ahead then older within window", "[replay]") {
  ReplayWindow window;
  for (std::uint64_t c = 0; c < 50; ++c) REQUIRE(window.accept(c));
  const std::uint64_t far = 1'000'000;
  REQUIRE(window.accept(far));
  CHECK(window.highest() == far);
  // Bits left from before the jump must not leak into the reused blocks.
  for (std::uint64_t c = far - kWindow + 1; c < far; ++c) REQUIRE(window.would_accept(c));
  CHECK(window.accept(far - 100));
  CHECK(window.accept(far - kWindow + 1));
  CHECK_FALSE(window.accept(far - 100));
  CHECK_FALSE(window.accept(25));
  CHECK(window.duplicates() == 1);
  CHECK(window.too_old() == 1);
}

TEST_CASE("replay window keeps seen bits when the top moves less than a window", "[replay]") {
  ReplayWindow window;
  REQUIRE(window.accept(100));
  REQUIRE(window.accept(1600));
  CHECK_FALSE(window.accept(100));
  REQUIRE(window.accept(2100));
  CHECK_FALSE(window.accept(1600));
  CHECK(window.accept(1599));
  CHECK(window.duplicates() == 2);
}

TEST_CASE("replay window refuses counters at the reject limit", "[replay]") {
  ReplayWindow window;
  CHECK_FALSE(window.would_accept(wire::kRejectAfterMessages));
  CHECK_FALSE(window.accept(wire::kRejectAfterMessages));
  CHECK_FALSE(window.accept(~std::uint64_t{0}));
  CHECK(window.over_limit() == 2);
  CHECK(window.highest() == 0);
  CHECK(window.accept(wire::kRejectAfterMessages - 1));
  CHECK_FALSE(window.accept(wire::kRejectAfterMessages));
}

TEST_CASE("replay window would_accept changes nothing", "[replay]") {
  ReplayWindow window;
  REQUIRE(window.accept(3));
  CHECK(window.would_accept(1'000'000));
  CHECK(window.highest() == 3);
  CHECK(window.would_accept(2));
  CHECK(window.accept(2));
  CHECK(window.duplicates() == 0);
}

TEST_CASE("replay window reconstructs the full counter from the low 24 bits", "[replay]") {
  ReplayWindow window;
  SECTION("before any packet the highest counter is taken as 0") {
    CHECK(window.reconstruct(0) == 0);
    CHECK(window.reconstruct(12345) == 12345);
    CHECK(window.reconstruct(low24(kLowSpan - 1)) == kLowSpan - 1);
  }
  SECTION("only the low 24 bits of the argument count") {
    CHECK(window.reconstruct(0xff000005u) == 5);
  }
  SECTION("highest just below the 24-bit wrap") {
    const std::uint64_t top = kLowSpan - 10;
    REQUIRE(window.accept(top));
    CHECK(window.reconstruct(low24(top)) == top);
    CHECK(window.reconstruct(low24(top - 500)) == top - 500);
    CHECK(window.reconstruct(5) == kLowSpan + 5);
    CHECK(window.reconstruct(low24(kLowSpan + 1000)) == kLowSpan + 1000);
  }
  SECTION("highest just past the 24-bit wrap") {
    const std::uint64_t top = kLowSpan + 3;
    REQUIRE(window.accept(top));
    CHECK(window.reconstruct(low24(kLowSpan - 2)) == kLowSpan - 2);
    CHECK(window.reconstruct(0) == kLowSpan);
    CHECK(window.reconstruct(low24(top + 7)) == top + 7);
  }
  SECTION("high counters reconstruct to the nearest candidate") {
    const std::uint64_t top = 5 * kLowSpan + 7;
    REQUIRE(window.accept(top));
    CHECK(window.reconstruct(low24(top - 100)) == top - 100);
    CHECK(window.reconstruct(low24(top + 100)) == top + 100);
    CHECK(window.reconstruct(low24(top - kLowSpan / 2 + 1)) == top - kLowSpan / 2 + 1);
    CHECK(window.reconstruct(low24(top + kLowSpan / 2 - 1)) == top + kLowSpan / 2 - 1);
  }
}

TEST_CASE("replay window matches a reference model under random reordering", "[replay]") {
  std::mt19937_64 rng(0x5eed1234);
  ReplayWindow window;
  ReferenceWindow reference;

  // Packets sent in order, delivered shuffled within a bounded span (some beyond the window),
  // with duplicates and occasional large jumps of the sender's counter.
  std::vector<std::uint64_t> sent;
  std::uint64_t next = kLowSpan - 30000;  // cross the 24-bit wrap on the way
  for (int i = 0; i < 60000; ++i) {
    if (rng() % 5000 == 0) next += 100000 + rng() % 3000;
    sent.push_back(next++);
  }
  std::vector<std::uint64_t> delivered;
  for (std::size_t start = 0; start < sent.size(); start += 3000) {
    const std::size_t end = std::min(sent.size(), start + 3000);
    std::vector<std::uint64_t> chunk(sent.begin() + static_cast<std::ptrdiff_t>(start),
                                     sent.begin() + static_cast<std::ptrdiff_t>(end));
    for (std::size_t d = 0; d < chunk.size() / 10; ++d)
      chunk.push_back(chunk[rng() % chunk.size()]);
    std::shuffle(chunk.begin(), chunk.end(), rng);
    delivered.insert(delivered.end(), chunk.begin(), chunk.end());
  }

  std::uint64_t accepted = 0;
  for (const std::uint64_t counter : delivered) {
    // What the receiver sees on the wire is the low 24 bits; the span of disorder (<= 3000 +
    // 3000 + jumps of ~100000) is far below 2^23, so reconstruction must be exact.
    const std::uint64_t full = window.reconstruct(low24(counter));
    REQUIRE(full == counter);
    const bool expected = reference.accept(counter);
    REQUIRE(window.would_accept(counter) == expected);
    REQUIRE(window.accept(counter) == expected);
    REQUIRE(window.highest() == reference.highest());
    if (expected) ++accepted;
  }
  CHECK(accepted + window.duplicates() + window.too_old() == delivered.size());
  CHECK(window.duplicates() > 0);
  CHECK(window.too_old() > 0);
}
