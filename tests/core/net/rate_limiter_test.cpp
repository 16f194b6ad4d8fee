#include "core/net/rate_limiter.hpp"

#include <asio.hpp>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/wire/wire.hpp"

using namespace std::chrono_literals;
using hotline::net::ByteArrayHash;
using hotline::net::Clock;
using hotline::net::RateLimit;
using hotline::net::RateLimiter;
namespace wire = hotline::wire;

namespace {
const Clock::time_point t0 = Clock::time_point{} + 1000h;

int count_allowed(RateLimiter<std::string>& limiter, const std::string& key, Clock::time_point now,
                  int attempts) {
  int allowed = 0;
  for (int i = 0; i < attempts; ++i) allowed += limiter.allow(key, now) ? 1 : 0;
  return allowed;
}
}  // namespace

TEST_CASE("rate limiter allows a burst, then refills at the rate", "[rate]") {
  RateLimiter<std::string> limiter(RateLimit{10.0, 5.0});
  CHECK(count_allowed(limiter, "a", t0, 20) == 5);
  // 10 per second: a token takes 100 ms to come back.
  CHECK_FALSE(limiter.allow("a", t0 + 90ms));
  CHECK(limiter.allow("a", t0 + 110ms));
  CHECK_FALSE(limiter.allow("a", t0 + 110ms));
  CHECK(count_allowed(limiter, "a", t0 + 410ms, 10) == 3);
  // A long quiet period refills only up to the burst.
  CHECK(count_allowed(limiter, "a", t0 + 1h, 20) == 5);
}

TEST_CASE("rate limiter sustains exactly its rate under constant pressure", "[rate]") {
  RateLimiter<std::string> limiter(
      RateLimit{wire::kInitiationsPerSecondPerSource, wire::kInitiationBurstPerSource});
  int allowed = 0;
  // One attempt every millisecond for 10 seconds: burst + 10/s * 10 s.
  for (int ms = 0; ms < 10000; ++ms) {
    allowed += limiter.allow("flooder", t0 + std::chrono::milliseconds(ms)) ? 1 : 0;
  }
  CHECK(allowed >= 108);
  CHECK(allowed <= 110);
}

TEST_CASE("rate limiter keys are independent", "[rate]") {
  RateLimiter<std::string> limiter(RateLimit{1.0, 2.0});
  CHECK(count_allowed(limiter, "a", t0, 10) == 2);
  CHECK(count_allowed(limiter, "b", t0, 10) == 2);
  CHECK_FALSE(limiter.allow("a", t0));
  CHECK(limiter.tracked_keys() == 2);
}

TEST_CASE("rate limiter ignores a clock that goes backwards", "[rate]") {
  RateLimiter<std::string> limiter(RateLimit{1.0, 1.0});
  CHECK(limiter.allow("a", t0));
  CHECK_FALSE(limiter.allow("a", t0 - 10s));
  CHECK_FALSE(limiter.allow("a", t0 + 500ms));
  CHECK(limiter.allow("a", t0 + 1100ms));
}

TEST_CASE("rate limiter memory stays bounded under 100k distinct keys", "[rate]") {
  RateLimiter<std::uint32_t> limiter(RateLimit{1.0, 1.0});
  REQUIRE(limiter.max_keys() == 4096);
  for (std::uint32_t key = 0; key < 100000; ++key) {
    // Every spoofed source is new, so each gets its first token.
    REQUIRE(limiter.allow(key, t0));
    REQUIRE(limiter.tracked_keys() <= limiter.max_keys());
  }
  CHECK(limiter.tracked_keys() == 4096);
  // The most recent keys are still tracked (and spent), the oldest were evicted.
  CHECK_FALSE(limiter.allow(99999, t0));
  CHECK(limiter.allow(0, t0));
}

TEST_CASE("rate limiter evicts the stalest key first", "[rate]") {
  RateLimiter<std::string> limiter(RateLimit{0.0, 1.0}, 3);
  CHECK(limiter.allow("a", t0));
  CHECK(limiter.allow("b", t0 + 1s));
  CHECK(limiter.allow("c", t0 + 2s));
  CHECK_FALSE(limiter.allow("a", t0 + 3s));  // touching "a" makes "b" the stalest
  CHECK(limiter.allow("d", t0 + 4s));        // evicts "b"
  CHECK(limiter.tracked_keys() == 3);
  CHECK_FALSE(limiter.allow("a", t0 + 5s));  // still tracked, still spent
  CHECK_FALSE(limiter.allow("c", t0 + 5s));
  CHECK(limiter.allow("b", t0 + 6s));  // forgotten, so it starts with a full bucket again
}

TEST_CASE("rate limiter works with IP addresses and peer keys", "[rate]") {
  RateLimiter<asio::ip::address> per_source(
      RateLimit{wire::kInitiationsPerSecondPerSource, wire::kInitiationBurstPerSource});
  const auto v4 = asio::ip::make_address("192.0.2.7");
  const auto v6 = asio::ip::make_address("2001:db8::7");
  int allowed_v4 = 0;
  for (int i = 0; i < 50; ++i) allowed_v4 += per_source.allow(v4, t0) ? 1 : 0;
  CHECK(allowed_v4 == 10);
  CHECK(per_source.allow(v6, t0));

  RateLimiter<hotline::Key32, ByteArrayHash> per_peer(
      RateLimit{wire::kInitiationsPerSecondPerPeer, wire::kInitiationBurstPerPeer});
  hotline::Key32 alice{};
  hotline::Key32 bob{};
  bob[31] = 1;
  int allowed_alice = 0;
  for (int i = 0; i < 50; ++i) allowed_alice += per_peer.allow(alice, t0) ? 1 : 0;
  CHECK(allowed_alice == 5);
  CHECK(per_peer.allow(bob, t0));
  CHECK(per_peer.tracked_keys() == 2);
}
