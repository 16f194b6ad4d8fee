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

struct OutagePair {
  test::SimNetwork net{3};
  test::SimConsole& beijing = net.add_console("Beijing");
  test::SimConsole& singapore = net.add_console("Singapore");
  OutagePair() {
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
  OutagePair p;
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
  OutagePair p;
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
  OutagePair p;
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

namespace {

struct LossyRun {
  CallStats caller;
  CallStats callee;
};

// A 20 s call over a network that loses 5 %, duplicates 2 % and delays 20-60 ms (reordering
// packets), from `seed`; hung up by the caller.
LossyRun lossy_call(std::uint32_t seed) {
  test::SimNetwork net(seed);
  auto& beijing = net.add_console("Beijing");
  auto& singapore = net.add_console("Singapore");
  beijing.add_peer(singapore);
  singapore.add_peer(beijing);
  for (auto [from, to] : {std::pair{"Beijing", "Singapore"}, std::pair{"Singapore", "Beijing"}}) {
    auto& path = net.path(from, to);
    path.loss = 0.05;
    path.duplicate = 0.02;
    path.delay = 20ms;
    path.jitter = 40ms;
  }
  beijing.start();
  singapore.start();
  const auto out = beijing.call("Singapore");
  REQUIRE(net.run_until(
      [&] {
        return singapore.find([](const CallStats& s) { return s.state == CallState::kRinging; })
            .has_value();
      },
      10s));
  const auto in =
      singapore.find([](const CallStats& s) { return s.state == CallState::kRinging; })->id;
  singapore.answer(in);
  net.run_for(20s);
  beijing.hangup(out);
  net.run_for(15s);
  REQUIRE(beijing.latest(out));
  REQUIRE(singapore.latest(in));
  return {*beijing.latest(out), *singapore.latest(in)};
}

}  // namespace

TEST_CASE(
    "impaired network from a seed: loss, reordering and duplication are undone, and the "
    "same seed gives the same call",
    "[call][outage]") {
  const LossyRun first = lossy_call(11);
  CHECK(first.caller.end_reason == EndReason::kLocalHangup);
  CHECK(first.callee.end_reason == EndReason::kRemoteHangup);
  const auto& m = first.callee.media;
  INFO("received " << m.voice_packets_received << ", lost " << m.lost << ", FEC " << m.fec_recovered
                   << ", duplicates " << m.duplicates << ", late " << m.late);
  CHECK(m.voice_packets_received > 850);  // about 1 000 frames sent, 5 % lost
  CHECK(m.lost > 0);
  CHECK(m.lost < 100);
  CHECK(first.callee.link.replays_dropped > 0);  // the duplicates, dropped after authenticating
  CHECK(first.callee.link.auth_failures == 0);
  CHECK(first.caller.interruptions_of_link == 0);
  CHECK(first.callee.interruptions_of_link == 0);
  // Deterministic: the same seed, the same network, the same counts.
  const LossyRun again = lossy_call(11);
  CHECK(again.callee.media.voice_packets_received == m.voice_packets_received);
  CHECK(again.callee.media.lost == m.lost);
  CHECK(again.callee.media.duplicates == m.duplicates);
  CHECK(again.callee.link.replays_dropped == first.callee.link.replays_dropped);
}

TEST_CASE("glare: both consoles dial each other at the same instant and one call connects",
          "[call][outage]") {
  OutagePair p;
  const auto a = p.beijing.call("Singapore");
  const auto b = p.singapore.call("Beijing");
  p.net.run_for(2s);
  // Exactly one call survives, ringing on one side (the larger call id won on both sides).
  std::optional<CallStats> ringing;
  test::SimConsole* callee = nullptr;
  for (auto* c : {&p.beijing, &p.singapore}) {
    for (const auto& e : c->events()) {
      if (e.state == CallState::kRinging && e.direction == call::Direction::kIncoming &&
          !OutagePair::ended_ids(*c).contains(e.id.value)) {
        // A ringing call is published again when its words become known.
        REQUIRE((!ringing || ringing->id.value == e.id.value));
        ringing = e;
        callee = c;
      }
    }
  }
  REQUIRE(ringing);
  const auto caller_id = callee == &p.beijing ? b : a;
  test::SimConsole& caller = callee == &p.beijing ? p.singapore : p.beijing;
  const auto lost_id = callee == &p.beijing ? a : b;
  CHECK(callee->latest(lost_id)->state == CallState::kEnded);
  callee->answer(ringing->id);
  p.net.run_for(1s);
  CHECK(caller.latest(caller_id)->state == CallState::kConnected);
  CHECK(callee->latest(ringing->id)->state == CallState::kConnected);
  // The handshakes crossed, and the tie-break on the static keys settled it on both sides.
  CHECK(p.beijing.core().counters().simultaneous_handshakes == 1);
  CHECK(p.singapore.core().counters().simultaneous_handshakes == 1);
}
