// Soak: a 30-minute call on the real protocol core in simulated time (tests/support/
// sim_network.hpp). The caller re-keys with a real Noise handshake every 2 minutes, the two
// sound cards run 0.1 % apart and the network adds 30-34 ms. Nothing may be lost or concealed
// at a re-key, the playout delay must not drift, and the heap must not grow.

#include <catch2/catch_test_macros.hpp>
#include <cmath>

#include "tests/core/audio/allocation_counter.hpp"
#include "tests/support/sim_network.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;

TEST_CASE("soak: 30 minutes in simulated time, re-keyed every 2 minutes, clocks 0.1 % apart",
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
  for (int minute = 1; minute <= 30; ++minute) {
    net.run_for(1min);
    live_per_minute.push_back(test::live_allocation_count());
    REQUIRE(singapore.latest(in));
    callee_per_minute.push_back(*singapore.latest(in));
  }
  // The 15th re-key falls about a second after minute 30 (each one starts 120 s after the
  // previous completed, a round trip later); the callee counts it when it switches.
  net.run_for(2s);
  const call::CallStats end = *singapore.latest(in);
  const auto& early = callee_per_minute.at(1);  // minute 2
  const auto& half_minute = callee_per_minute.at(0);
  const auto [least, most] =
      std::minmax_element(live_per_minute.begin() + 2, live_per_minute.end());
  WARN("skew " << skew * 100 << " %: " << end.link.rekeys << " re-keys; playout target "
               << early.media.jitter_buffer_target_ms << " ms in minute 2, "
               << end.media.jitter_buffer_target_ms << " ms in minute 30; rate adjust "
               << end.media.playout_rate_adjust << "; live heap blocks " << *least << ".." << *most
               << " from minute 3 on");
  CHECK(end.state == CallState::kConnected);
  CHECK(end.link.rekeys == 15);
  CHECK(beijing.latest(out)->link.rekeys == 15);
  CHECK(beijing.latest(out)->rekeys_refused == 0);
  CHECK(end.link.auth_failures == 0);
  CHECK(end.link.replays_dropped == 0);
  CHECK(end.interruptions_of_link == 0);
  // Every frame sent arrived, opened and was played: no gap at any of the 15 key changes.
  CHECK(end.media.lost == 0);
  CHECK(end.media.late == 0);
  CHECK(end.media.interruptions == 0);
  CHECK(end.media.concealed_samples == half_minute.media.concealed_samples);
  // 0.1 % over 30 minutes is 1.8 s of drift without correction.
  CHECK(std::abs(end.media.jitter_buffer_target_ms - early.media.jitter_buffer_target_ms) < 5.0);
  CHECK(std::abs(std::abs(end.media.playout_rate_adjust) - std::abs(skew)) < 0.0004);
  // The heap is flat: the same blocks live at every minute, give or take the packets in flight.
  CHECK(*most - *least <= 64);
}
