// Outages and roaming on the real protocol core in simulated time: the link is shown
// interrupted and recovers by itself, a long outage ends the call on both sides at the same
// protocol timer and leaves nothing behind, and a call follows a peer that changes address.
// (Loss, jitter and speech through real sockets: link_resilience_test.cpp, impairment_test.cpp.)

#include <catch2/catch_test_macros.hpp>
#include <set>

#include "tests/support/sim_network.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using call::CallStats;
using call::EndReason;

namespace {

struct Pair {
  test::SimNetwork net{3};
  test::SimConsole& beijing = net.add_console("Beijing");
  test::SimConsole& singapore = net.add_console("Singapore");
  Pair() {
    beijing.add_peer(singapore);
    singapore.add_peer(beijing);
    beijing.start();
    singapore.start();
  }
  // Beijing calls, Singapore answers; returns both sides' call ids.
  std::pair<call::CallId, call::CallId> connect() {
    const auto out = beijing.call("Singapore");
    const auto ringing = [&] {
      std::optional<CallStats> found;
      for (const auto& e : singapore.events()) {
        if (e.state == CallState::kRinging && !ended_ids(singapore).contains(e.id.value)) found = e;
      }
      return found;
    };
    REQUIRE(net.run_until([&] { return ringing().has_value(); }, 5s));
    const auto in = ringing()->id;
    singapore.answer(in);
    REQUIRE(net.run_until([&] { return state(beijing, out) == CallState::kConnected; }, 5s));
    return {out, in};
  }
  void outage(bool on) {
    net.path("Beijing", "Singapore").blackout = on;
    net.path("Singapore", "Beijing").blackout = on;
  }
  static std::set<std::uint64_t> ended_ids(const test::SimConsole& c) {
    std::set<std::uint64_t> out;
    for (const auto& e : c.events()) {
      if (e.state == CallState::kEnded) out.insert(e.id.value);
    }
    return out;
  }
  static std::optional<CallState> state(const test::SimConsole& c, call::CallId id) {
    const auto s = c.latest(id);
    return s ? std::optional<CallState>(s->state) : std::nullopt;
  }
};

}  // namespace

TEST_CASE("outage: 5 s without a packet interrupts the call, which then resumes by itself",
          "[call][outage]") {
  Pair p;
  const auto [out, in] = p.connect();
  p.net.run_for(2s);
  p.outage(true);
  p.net.run_for(5s);
  CHECK(p.beijing.latest(out)->link_interrupted);
  CHECK(p.singapore.latest(in)->link_interrupted);
  p.outage(false);
  const auto received_in_outage = p.singapore.latest(in)->media.voice_packets_received;
  p.net.run_for(2s);
  // Voice flows again: about 100 frames in those 2 s.
  CHECK(p.singapore.latest(in)->media.voice_packets_received > received_in_outage + 90);
  const CallStats a = *p.beijing.latest(out);
  CHECK(a.state == CallState::kConnected);
  CHECK_FALSE(a.link_interrupted);
  p.beijing.hangup(out);
  p.net.run_for(1s);
  CHECK(p.beijing.ended()->end_reason == EndReason::kLocalHangup);
  const CallStats b = *p.singapore.ended();
  CHECK(b.end_reason == EndReason::kRemoteHangup);
  // Exactly one interruption each: in simulated time nothing stalls, so the count is exact.
  CHECK(p.beijing.ended()->interruptions_of_link == 1);
  CHECK(b.interruptions_of_link == 1);
}

TEST_CASE("outage: 15 s ends the call on both sides at 10 s; the next call connects",
          "[call][outage]") {
  Pair p;
  p.connect();
  p.net.run_for(1s);
  p.outage(true);
  const auto cut = p.net.now();
  p.net.run_for(15s);
  REQUIRE(p.beijing.ended());
  REQUIRE(p.singapore.ended());
  CHECK(p.beijing.ended()->end_reason == EndReason::kConnectionLost);
  CHECK(p.singapore.ended()->end_reason == EndReason::kConnectionLost);
  const auto ended = [](const CallStats& s) { return s.state == CallState::kEnded; };
  CHECK(*p.beijing.when(ended) - cut <= 10s);
  CHECK(*p.beijing.when(ended) - cut > 10s - 40ms);  // the last packet came just before the cut
  // Nothing is left running that the link's return could wake.
  CHECK(p.beijing.core().associations() == 0);
  CHECK(p.singapore.core().associations() == 0);
  p.outage(false);
  const auto [out, in] = p.connect();
  p.beijing.hangup(out);
  p.net.run_for(1s);
  CHECK(p.beijing.latest(out)->end_reason == EndReason::kLocalHangup);
  CHECK(p.singapore.latest(in)->end_reason == EndReason::kRemoteHangup);
}

TEST_CASE("roaming: the caller's address changes mid-call and the call follows it",
          "[call][outage]") {
  Pair p;
  const auto [out, in] = p.connect();
  p.net.run_for(500ms);
  p.beijing.set_address(asio::ip::udp::endpoint(asio::ip::make_address("127.0.9.9"), 5000));
  const auto before = p.beijing.latest(out)->media.voice_packets_received;
  p.net.run_for(3s);
  CHECK(p.beijing.latest(out)->media.voice_packets_received > before + 100);
  CHECK_FALSE(p.beijing.latest(out)->link_interrupted);
  p.beijing.hangup(out);
  p.net.run_for(1s);
  const CallStats b = *p.singapore.ended();
  CHECK(b.end_reason == EndReason::kRemoteHangup);
  CHECK(b.link.roams == 1);
  CHECK(b.interruptions_of_link == 0);
}
