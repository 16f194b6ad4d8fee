// Calls through the user-space impairment relay on real sockets: loss and jitter, junk, and
// re-keying in the middle of a call.

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>
#include <thread>

#include "core/audio/wav.hpp"
#include "tests/support/realtime_check.hpp"
#include "tests/support/speech_check.hpp"
#include "tests/support/test_console.hpp"
#include "tests/support/test_paths.hpp"
#include "tests/support/udp_relay.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using call::EndReason;
using test::TestConsole;

namespace {

// Beijing reaches Singapore only through the relay; Singapore answers to wherever the
// authenticated packets come from, so both directions cross the relay.
struct RelayedPair {
  TestConsole a{"Beijing"};
  TestConsole b{"Singapore"};
  std::unique_ptr<test::UdpRelay> relay;

  explicit RelayedPair(test::Impairment impairment = {}, call::EngineTimers timers = {},
                       std::uint64_t seed = 1) {
    a.start(timers);
    b.start(timers);
    relay = std::make_unique<test::UdpRelay>(net::to_udp(b.endpoint()), impairment, seed);
    relay->start();
    a.add_peer(b, net::from_udp(relay->endpoint()));
    b.add_peer(a);
  }

  call::CallId connect() {
    const auto id = a.engine().call("Singapore", {});
    b.answer_incoming();
    a.wait_state(CallState::kConnected);
    b.wait_state(CallState::kConnected);
    return id;
  }
};

}  // namespace

// Outages, a vanishing peer and roaming run on the protocol core in simulated time:
// outage_test.cpp and protocol_timers_test.cpp.

TEST_CASE("re-keying every second keeps the audio gap-free") {
  call::EngineTimers timers;
  timers.rekey_after = 1s;
  RelayedPair p({}, timers);
  const auto id = p.connect();
  std::this_thread::sleep_for(5500ms);
  p.a.engine().hangup(id);
  const auto end_a = p.a.wait_ended();
  const auto end_b = p.b.wait_ended();
  CHECK(end_a.link.rekeys >= 4);
  CHECK(end_b.link.rekeys >= 4);
  CHECK(end_a.sas == end_b.sas);  // the SAS belongs to the call, not to the current keys
  // No frame went missing across five key changes.
  CHECK(end_b.media.lost == 0);
  CHECK(end_a.media.lost == 0);
  CHECK(end_b.link.auth_failures == 0);
}

TEST_CASE("speech stays intelligible through loss, jitter, reordering and duplication") {
  test::Impairment bad;
  bad.loss = 0.05;
  bad.delay = 20ms;
  bad.jitter = 10ms;
  bad.reorder = 0.02;
  bad.duplicate = 0.02;
  RelayedPair p(bad, {}, 42);
  const auto speech = audio::read_wav(test::data_file("speech-16k.wav"));
  p.a.set_play(speech);
  const auto id = p.connect();
  test::wait_until_heard(p.b, p.b.wait_state(CallState::kConnected).id, speech);
  p.a.engine().hangup(id);
  p.a.wait_ended();
  const auto end_b = p.b.wait_ended();
  CHECK(end_b.link.replays_dropped > 0);            // duplicates were caught by the replay window
  CHECK(end_b.media.interarrival_jitter_ms > 1.0);  // the relay's ±10 ms shows up
  CHECK(end_b.media.lost + end_b.media.fec_recovered + end_b.media.late > 0);
  test::check_speech_carried(speech.samples, p.b.last_recording(), 0.8);
}

TEST_CASE("junk at the listening port during a call is dropped and counted") {
  RelayedPair p;
  const auto id = p.connect();
  asio::io_context io;
  asio::ip::udp::socket junk(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto target = net::to_udp(p.b.endpoint());
  std::array<std::uint8_t, wire::kInitiationLen> packet{};
  const auto counted = [&] {
    const auto c = p.b.engine().counters();
    return c.malformed + c.mac_failures + c.unknown_index;
  };
  // In batches, each waited on: a burst bigger than the socket's receive buffer would lose
  // datagrams in the kernel before the console could count them.
  int sent = 0;
  while (counted() < 1000) {
    REQUIRE(sent < 30000);
    const auto before = counted();
    for (int i = 0; i < 200; ++i, ++sent) {
      randombytes_buf(packet.data(), packet.size());
      packet[0] = static_cast<std::uint8_t>(1 + sent % 5);  // every message type, unknown ones
      const std::size_t length = 1 + static_cast<std::size_t>(sent) % packet.size();
      junk.send_to(asio::buffer(packet.data(), length), target);
    }
    test::eventually([&] { return counted() > before; }, 10s, "the junk to be counted");
  }
  const auto counters = p.b.engine().counters();
  CHECK(counters.handshake_failures == 0);  // none got as far as a Diffie-Hellman
  p.a.engine().hangup(id);
  CHECK(p.b.wait_ended().end_reason == EndReason::kRemoteHangup);
}
