// Soak: a 30-minute call (HOTLINE_SOAK_MINUTES) on the real protocol core in simulated time
// (tests/support/sim_network.hpp). The caller re-keys with a real Noise handshake every 2
// minutes, the two sound cards run 0.1 % apart and the network adds 30-34 ms. Nothing may be
// lost or concealed at a re-key, the playout delay must not drift, and the heap must not grow.
// The sanitizer builds, where a simulated minute costs 4-8 s instead of 1.5, run fewer
// (HOTLINE_SOAK_MINUTES, set by tests/CMakeLists.txt): 10 minutes (5 re-keys) under ASan, 4
// (2 re-keys) under TSan, which reports races between threads and the simulation runs on one.

#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <cstdlib>
#include <string>

#include "tests/core/audio/allocation_counter.hpp"
#include "tests/support/sim_network.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;

namespace {

// An even number of minutes from 4 to 30 (30 unless HOTLINE_SOAK_MINUTES says otherwise).
int soak_minutes() {
  const char* text = std::getenv("HOTLINE_SOAK_MINUTES");
  if (text == nullptr) return 30;
  const int minutes = std::atoi(text);
  if (minutes < 4 || minutes > 30 || minutes % 2 != 0) {
    FAIL("HOTLINE_SOAK_MINUTES must be an even number from 4 to 30, not '" << text << "'");
  }
  return minutes;
}

}  // namespace

TEST_CASE(
    "soak: 30 simulated minutes (fewer under the sanitizers), re-keyed every 2 minutes, "
    "clocks 0.1 % apart",
    "[soak]") {
  const double skew = 0.001;  // both directions: audio "playout follows a +-0.1 % clock skew"
  test::SimNetwork net(7);
  test::SimConsole& beijing = net.add_console("Beijing");
  test::SimConsole& singapore = net.add_console("Singapore");
  beijing.add_peer(singapore);
  singapore.add_peer(beijing);
  beijing.set_device_clock_rate(1.0 + skew / 2);
  singapore.set_device_clock_rate(1.0 - skew / 2);
  beijing.set_record_sent(false);
  singapore.set_record_sent(false);
  for (auto* a : {"Beijing", "Singapore"}) {
    for (auto* b : {"Beijing", "Singapore"}) {
      if (a == b) continue;
      net.path(a, b).delay = 30ms;
      net.path(a, b).jitter = 4ms;
    }
  }
  beijing.start();
  singapore.start();

  const call::CallId out = beijing.call("Singapore");
  const auto ringing = [&] {
    return singapore.find([](const call::CallStats& s) { return s.state == CallState::kRinging; });
  };
  REQUIRE(net.run_until([&] { return ringing().has_value(); }, 5s));
  const call::CallId in = ringing()->id;
  singapore.answer(in);
  REQUIRE(net.run_until(
      [&] { return beijing.latest(out) && beijing.latest(out)->state == CallState::kConnected; },
      5s));

  // Minute by minute: the live heap blocks (what was allocated and not yet freed), and the
  // callee's statistics.
  std::vector<std::ptrdiff_t> live_per_minute;
  std::vector<call::CallStats> callee_per_minute;
  const int minutes = soak_minutes();
  const auto rekeys = static_cast<std::uint64_t>(minutes / 2);
  for (int minute = 1; minute <= minutes; ++minute) {
    net.run_for(1min);
    live_per_minute.push_back(test::live_allocation_count());
    REQUIRE(singapore.latest(in));
    callee_per_minute.push_back(*singapore.latest(in));
  }
  // The last re-key (the 15th of 30 minutes) falls about a second after the last minute (each
  // one starts 120 s after the previous completed, a round trip later); the callee counts it
  // when it switches.
  net.run_for(2s);
  const call::CallStats end = *singapore.latest(in);
  const auto& early = callee_per_minute.at(1);  // minute 2
  const auto& half_minute = callee_per_minute.at(0);
  const auto [least, most] =
      std::minmax_element(live_per_minute.begin() + 2, live_per_minute.end());
  WARN("skew " << skew * 100 << " %: " << end.link.rekeys << " re-keys; playout target "
               << early.media.jitter_buffer_target_ms << " ms in minute 2, "
               << end.media.jitter_buffer_target_ms << " ms in minute " << minutes
               << "; rate adjust " << end.media.playout_rate_adjust << "; live heap blocks "
               << *least << ".." << *most << " from minute 3 on");
  CHECK(end.state == CallState::kConnected);
  CHECK(end.link.rekeys == rekeys);
  CHECK(beijing.latest(out)->link.rekeys == rekeys);
  CHECK(beijing.latest(out)->rekeys_refused == 0);
  CHECK(end.link.auth_failures == 0);
  CHECK(end.link.replays_dropped == 0);
  CHECK(end.interruptions_of_link == 0);
  // Every frame sent arrived, opened and was played: no gap at any of the key changes.
  CHECK(end.media.lost == 0);
  CHECK(end.media.late == 0);
  CHECK(end.media.interruptions == 0);
  CHECK(end.media.concealed_samples == half_minute.media.concealed_samples);
  // 0.1 % over 30 minutes is 1.8 s of drift without correction (0.6 s over 10).
  CHECK(std::abs(end.media.jitter_buffer_target_ms - early.media.jitter_buffer_target_ms) < 5.0);
  CHECK(std::abs(std::abs(end.media.playout_rate_adjust) - std::abs(skew)) < 0.0004);
  // The heap is flat: the same blocks live at every minute, give or take the packets in flight.
  CHECK(*most - *least <= 64);
}
