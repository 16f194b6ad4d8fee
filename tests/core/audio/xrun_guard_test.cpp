// When a live stream's xruns or drifting echo reference make it a fault (xrun_guard.hpp).

#include "core/audio/xrun_guard.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using namespace hotline::audio;
using namespace std::chrono_literals;
using Catch::Matchers::ContainsSubstring;

namespace {

const XrunGuard::Clock::time_point kGuardStart{};

}  // namespace

TEST_CASE("xrun guard: a third xrun within 10 s is a fault, two are not") {
  XrunGuard guard;
  CHECK_FALSE(guard.observe(kGuardStart, 0, 0.0));
  CHECK_FALSE(guard.observe(kGuardStart + 1s, 1, 0.0));
  CHECK_FALSE(guard.observe(kGuardStart + 5s, 2, 0.0));
  CHECK_FALSE(guard.observe(kGuardStart + 9s, 2, 0.0));  // no new xrun: nothing changes
  const auto fault = guard.observe(kGuardStart + 10s, 3, 0.0);
  REQUIRE(fault);
  CHECK_THAT(*fault, ContainsSubstring("3 xruns within 9.0 s"));
}

TEST_CASE("xrun guard: xruns spread wider than the window never make a fault") {
  XrunGuard guard;
  std::uint64_t xruns = 0;
  for (int i = 1; i <= 60; ++i) {  // one every 6 s for six minutes: each window holds two
    REQUIRE_FALSE(guard.observe(kGuardStart + i * 6s, ++xruns, 0.0));
  }
  // The window slides over the last three: 354, 360 and 365 s span 11 s; 360, 365 and 366 s
  // span 6.
  CHECK_FALSE(guard.observe(kGuardStart + 365s, ++xruns, 0.0));
  CHECK(guard.observe(kGuardStart + 366s, ++xruns, 0.0));
}

TEST_CASE("xrun guard: a burst found at one look is a fault") {
  XrunGuard guard;
  CHECK_FALSE(guard.observe(kGuardStart, 0, 0.0));
  const auto fault = guard.observe(kGuardStart + 20ms, 5, 0.0);
  REQUIRE(fault);
  CHECK_THAT(*fault, ContainsSubstring("3 xruns within 0.0 s"));
}

TEST_CASE("xrun guard: an echo reference moved by 100 ms or more is a fault") {
  XrunGuard guard;
  CHECK_FALSE(guard.observe(kGuardStart, 0, 0.0));
  CHECK_FALSE(guard.observe(kGuardStart + 1s, 0, 60.0));
  CHECK_FALSE(guard.observe(kGuardStart + 2s, 0, 99.9));
  const auto fault = guard.observe(kGuardStart + 3s, 0, 100.0);
  REQUIRE(fault);
  CHECK_THAT(*fault, ContainsSubstring("round trip grew by 100 ms"));
}

TEST_CASE("xrun guard: a fault is named once; the replacement stream has its own guard") {
  XrunGuard guard;
  REQUIRE(guard.observe(kGuardStart, 3, 0.0));
  CHECK_FALSE(guard.observe(kGuardStart + 1s, 10, 0.0));
  CHECK_FALSE(guard.observe(kGuardStart + 2s, 10, 400.0));
  XrunGuard fresh;  // the new stream's counts start again from zero
  CHECK_FALSE(fresh.observe(kGuardStart + 3s, 1, 0.0));
}

TEST_CASE("xrun guard: a count that goes backwards is not taken for xruns") {
  XrunGuard guard;
  CHECK_FALSE(guard.observe(kGuardStart, 2, 0.0));  // two at the first look
  CHECK_FALSE(guard.observe(kGuardStart + 1s, 1, 0.0));
  CHECK_FALSE(guard.observe(kGuardStart + 2s, 2, 0.0));  // not new: 2 was seen already
  CHECK(guard.observe(kGuardStart + 3s, 3, 0.0));
}

TEST_CASE("xrun guard: xruns it was told to ignore (a stream's start) do not count") {
  XrunGuard guard;
  guard.ignore(2);
  CHECK_FALSE(guard.observe(kGuardStart, 2, 0.0));
  CHECK_FALSE(guard.observe(kGuardStart + 1s, 4, 0.0));  // two new ones
  CHECK(guard.observe(kGuardStart + 2s, 5, 0.0));        // the third new one
}
