// Whole calls on the real protocol core in simulated time (tests/support/sim_network.hpp),
// one network condition each, asserting on what the receiving console's statistics say
// happened and on the speech still matching. Deterministic from the seed, so what the
// wall-clock versions could only report (interruptions, late packets) is asserted here.
// tests/core/call/link_resilience_test.cpp keeps an end-to-end call through the UDP relay
// on real sockets with all these impairments at once.

#include <catch2/catch_test_macros.hpp>

#include "core/audio/wav.hpp"
#include "tests/support/signal_compare.hpp"
#include "tests/support/sim_network.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using call::CallStats;

namespace {

struct Outcome {
  CallStats receiver;  // Singapore's final statistics
  double correlation = 0;
};

// Beijing talks to Singapore (both directions impaired); Singapore's sound card's recording is
// compared with what Beijing's microphone heard.
Outcome call_through(const test::PathImpairment& impairment, std::uint32_t seed) {
  test::SimNetwork net(seed);
  test::SimConsole& beijing = net.add_console("Beijing");
  test::SimConsole& singapore = net.add_console("Singapore");
  beijing.add_peer(singapore);
  singapore.add_peer(beijing);
  net.path("Beijing", "Singapore") = impairment;
  net.path("Singapore", "Beijing") = impairment;
  // 11 s of speech. The first second carries no FEC yet: the first receiver report, a second
  // into the call, is what tells the sender about the loss.
  const auto speech = audio::read_wav(test::data_file("speech-16k.wav"));
  beijing.set_play(speech);
  beijing.start();
  singapore.start();

  const call::CallId id = beijing.call("Singapore");
  const auto ringing = [&] {
    return singapore.find([](const CallStats& s) { return s.state == CallState::kRinging; });
  };
  REQUIRE(net.run_until([&] { return ringing().has_value(); }, 10s));
  singapore.answer(ringing()->id);
  REQUIRE(net.run_until(
      [&] {
        return beijing.find([](const CallStats& s) { return s.state == CallState::kConnected; })
            .has_value();
      },
      10s));
  net.run_for(speech.duration() + 1500ms);
  beijing.hangup(id);
  REQUIRE(net.run_until([&] { return singapore.ended().has_value(); }, 15s));
  Outcome out;
  out.receiver = *singapore.ended();
  REQUIRE_FALSE(singapore.devices().empty());
  out.correlation =
      test::align_envelopes(speech.samples, singapore.devices().back()->recording(), 48000)
          .correlation;
  const auto& m = out.receiver.media;
  UNSCOPED_INFO("received " << m.voice_packets_received << " lost " << m.lost << " fec_recovered "
                            << m.fec_recovered << " late " << m.late << " concealment_events "
                            << m.concealment_events << " interruptions " << m.interruptions
                            << " stretches " << m.delay_stretches << " target "
                            << m.jitter_buffer_target_ms << " ms delay " << m.jitter_buffer_delay_ms
                            << " ms correlation " << out.correlation);
  CHECK(out.receiver.end_reason == call::EndReason::kRemoteHangup);
  return out;
}

}  // namespace

TEST_CASE("5 % loss: FEC rebuilds lost frames and nothing is interrupted", "[impairment]") {
  test::PathImpairment net;
  net.loss = 0.05;
  net.delay = 5ms;
  const auto o = call_through(net, 5);
  const auto& m = o.receiver.media;
  CHECK(m.lost > 10);
  CHECK(m.fec_recovered > 0);
  CHECK(m.interruptions == 0);
  CHECK(o.correlation > 0.85);
}

TEST_CASE("10 % loss at 32 kb/s: most lost frames are rebuilt by FEC", "[impairment]") {
  test::PathImpairment net;
  net.loss = 0.10;
  net.delay = 5ms;
  const auto o = call_through(net, 10);
  const auto& m = o.receiver.media;
  CHECK(m.lost > 30);
  CHECK(2 * m.fec_recovered > m.lost);
  CHECK(o.correlation > 0.8);
}

TEST_CASE("20 % loss: concealed, still recognisably the same speech", "[impairment]") {
  test::PathImpairment net;
  net.loss = 0.20;
  net.delay = 5ms;
  const auto o = call_through(net, 20);
  const auto& m = o.receiver.media;
  CHECK(m.lost > 60);
  CHECK(m.fec_recovered > 0);
  CHECK(m.concealment_events > 0);
  CHECK(o.correlation > 0.7);
}

TEST_CASE("bursts of loss are concealed without breaking the call", "[impairment]") {
  test::PathImpairment net;
  net.burst_loss_enter = 0.03;  // mean burst of 3 packets, about 8 % lost
  net.burst_loss_exit = 1.0 / 3;
  net.delay = 5ms;
  const auto o = call_through(net, 30);
  const auto& m = o.receiver.media;
  CHECK(m.lost > 10);
  CHECK(m.concealment_events > 0);
  CHECK(o.correlation > 0.75);
}

TEST_CASE("0-60 ms of jitter: the delay target rises and late packets stay rare", "[impairment]") {
  test::PathImpairment net;
  net.jitter = 60ms;  // 0-60 ms on top of no fixed delay
  const auto o = call_through(net, 60);
  const auto& m = o.receiver.media;
  CHECK(m.jitter_buffer_target_ms > 40.0);
  CHECK(m.interarrival_jitter_ms > 5.0);
  CHECK(m.late * 50 < m.voice_packets_received);  // under 2 %
  CHECK(o.correlation > 0.85);
}

TEST_CASE("reordering and duplication are undone", "[impairment]") {
  test::PathImpairment net;
  net.delay = 5ms;
  net.reorder = 0.05;
  net.reorder_delay = 25ms;
  net.duplicate = 0.05;
  const auto o = call_through(net, 7);
  const auto& m = o.receiver.media;
  CHECK(o.receiver.link.replays_dropped > 10);  // duplicates stop at the replay window
  CHECK(m.late * 50 < m.voice_packets_received);
  CHECK(m.interruptions == 0);
  CHECK(o.correlation > 0.85);
}
