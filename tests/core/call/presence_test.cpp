// Line status: background probes find a peer's line up (with its round trip) or down, without
// ringing anything, and a call in progress is not disturbed by them.

#include <catch2/catch_test_macros.hpp>

#include "tests/support/test_console.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using test::TestConsole;

TEST_CASE("probes find a peer online with its round trip, then offline when it stops") {
  TestConsole a("Beijing");
  TestConsole b("Singapore");
  a.set_presence_interval(300ms);
  a.start();
  b.start();
  a.add_peer(b);
  b.add_peer(a);
  // Online at the handshake, then with the round trip of the Ping that follows it.
  const auto up = a.wait_status([](const auto& s) { return s.online && s.rtt_ms > 0; });
  CHECK(up.peer == "Singapore");
  CHECK(up.rtt_ms > 0.0);
  CHECK(up.rtt_ms < 1000.0);
  REQUIRE(up.last_seen_ms);
  CHECK(b.events().empty());  // a probe rings nothing

  b.stop();
  const auto down = a.wait_status([](const auto& s) { return !s.online; }, 10s);
  CHECK(down.peer == "Singapore");
  CHECK(down.last_seen_ms == up.last_seen_ms);  // last seen stays when it was seen

  b.restart();
  test::eventually(
      [&] {
        const auto all = a.statuses();
        return all.back().online;
      },
      10s, "the line to come back up");
}

TEST_CASE("a peer that disabled us looks offline; probes stay within its rate limits") {
  TestConsole a("Beijing");
  TestConsole b("Singapore");
  a.set_presence_interval(200ms);
  a.start();
  b.start();
  a.add_peer(b);
  b.add_peer(a, std::nullopt, nullptr, /*enabled=*/false);
  const auto down = a.wait_status([](const auto& s) { return !s.online; }, 10s);
  CHECK(down.peer == "Singapore");
  CHECK(b.engine().counters().rate_limited == 0);
  CHECK(b.events().size() <= 2);  // refusals only (one per attempt), never a ringing call
  for (const auto& e : b.events()) CHECK(e.end_reason == call::EndReason::kRefused);
}

TEST_CASE("probing does not disturb a call, and the call keeps the line shown up") {
  TestConsole a("Beijing");
  TestConsole b("Singapore");
  a.set_presence_interval(200ms);
  b.set_presence_interval(200ms);
  a.start();
  b.start();
  a.add_peer(b);
  b.add_peer(a);
  a.wait_status([](const auto& s) { return s.online; });
  const auto id = a.engine().call("Singapore", {});
  b.answer_incoming();
  a.wait_state(CallState::kConnected);
  test::eventually(
      [&] {
        const auto s = a.engine().call_stats(id);
        return s && s->media.voice_packets_received > 100;
      },
      10s, "two seconds of voice");
  a.engine().hangup(id);
  const auto end = b.wait_ended();
  CHECK(end.end_reason == call::EndReason::kRemoteHangup);
  CHECK(end.link.auth_failures == 0);
  CHECK(end.media.lost == 0);
  for (const auto& s : a.statuses()) CHECK(s.online);  // never reported down meanwhile
}
