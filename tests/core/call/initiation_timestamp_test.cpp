// Initiation timestamps from the future (docs/protocol.md §3.5): a peer whose clock runs far
// ahead, or a stored timestamp from such a run, must not lock that peer's later calls out.
// On the real core in simulated time (tests/support/sim_network.hpp).

#include <catch2/catch_test_macros.hpp>

#include "core/crypto/tai64n.hpp"
#include "core/wire/wire.hpp"
#include "tests/support/sim_network.hpp"

using namespace std::chrono_literals;
using hotline::call::CallState;
using hotline::call::CallStats;
using hotline::call::EndReason;
using hotline::test::SimConsole;
using hotline::test::SimNetwork;
namespace crypto = hotline::crypto;
namespace wire = hotline::wire;

namespace {

// Beijing calls Singapore; true when it rang there (answered at once), false when the call
// ended unreachable.
bool call_rings(SimNetwork& net, SimConsole& beijing, SimConsole& singapore) {
  const std::size_t events_before = singapore.events().size();
  const auto id = beijing.call("Singapore");
  const auto rang = [&] {
    for (std::size_t i = events_before; i < singapore.events().size(); ++i) {
      if (singapore.events()[i].state == CallState::kRinging) return true;
    }
    return false;
  };
  const auto over = [&] {
    const auto last = beijing.latest(id);
    return rang() || (last && last->state == CallState::kEnded);
  };
  REQUIRE(net.run_until(over, 10s));
  if (!rang()) {
    CHECK(beijing.latest(id)->end_reason == EndReason::kUnreachable);
    return false;
  }
  beijing.hangup(id);
  REQUIRE(net.run_until([&] { return beijing.latest(id)->state == CallState::kEnded; }, 5s));
  net.run_for(5s);  // both sides forget the association
  return true;
}

// Beijing and Singapore, each in the other's directory, not started.
struct UnstartedPair {
  SimNetwork net;
  SimConsole& beijing = net.add_console("Beijing");
  SimConsole& singapore = net.add_console("Singapore");
  UnstartedPair() {
    beijing.add_peer(singapore);
    singapore.add_peer(beijing);
  }
};

}  // namespace

TEST_CASE("initiation timestamps: a peer's clock an hour ahead does not lock its calls out",
          "[call][replay]") {
  // The attack as demonstrated: one genuine initiation dated +1 hour was accepted and stored,
  // and every later call from that peer, dated correctly, was refused as a replay.
  UnstartedPair p;
  auto& [net, beijing, singapore] = p;
  beijing.start();
  singapore.start();

  beijing.set_wall_clock_offset(std::chrono::hours(1));
  CHECK_FALSE(call_rings(net, beijing, singapore));  // refused: dated beyond the bound
  CHECK(singapore.core().counters().future_initiations >= 1);
  CHECK(singapore.core().counters().replayed_initiations == 0);

  beijing.set_wall_clock_offset(0s);  // its clock is put right
  CHECK(call_rings(net, beijing, singapore));

  // Within the bound a clock ahead is accepted (consoles are never perfectly in step) ...
  beijing.set_wall_clock_offset(wire::kMaxInitiationAhead - 5s);
  CHECK(call_rings(net, beijing, singapore));
  // ... and what it stored refuses the peer's correct clock for at most that long.
  beijing.set_wall_clock_offset(0s);
  CHECK_FALSE(call_rings(net, beijing, singapore));
  net.run_for(wire::kMaxInitiationAhead);
  CHECK(call_rings(net, beijing, singapore));
}

TEST_CASE("initiation timestamps: one stored ten years ahead expires within the bound",
          "[call][replay]") {
  // A profile that stored a far-future timestamp before the bound existed (or whose own clock
  // was set back since): at start the core brings it back to the bound.
  UnstartedPair p;
  auto& [net, beijing, singapore] = p;
  const auto now = singapore.config().wall_clock.tai64n();
  singapore.config().initiation_timestamps[beijing.config().identity->public_key()] =
      crypto::tai64n_add_seconds(now, 10LL * 365 * 24 * 3600);
  beijing.start();
  singapore.start();

  CHECK_FALSE(call_rings(net, beijing, singapore));  // still refused as a replay for now
  CHECK(singapore.core().counters().replayed_initiations >= 1);
  net.run_for(wire::kMaxInitiationAhead);
  CHECK(call_rings(net, beijing, singapore));
}
