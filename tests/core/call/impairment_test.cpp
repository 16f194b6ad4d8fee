// Whole calls on the real protocol core in simulated time (tests/support/sim_network.hpp),
// one network condition each, asserting on what the receiving console's statistics say
// happened and on the speech still matching. Deterministic from the seed, so what the
// wall-clock versions could only report (interruptions, late packets) is asserted here.
// tests/core/call/link_resilience_test.cpp keeps an end-to-end call through the UDP relay
// on real sockets with all these impairments at once.

#include <catch2/catch_test_macros.hpp>
#include <optional>

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

// Beijing talks to Singapore (both directions impaired, for the whole call or only for the
// first `impaired_for` after it connected); Singapore's sound card's recording is compared with
// what Beijing's microphone heard.
Outcome call_through(const test::PathImpairment& impairment, std::uint32_t seed,
                     std::optional<std::chrono::milliseconds> impaired_for = std::nullopt) {
  test::SimNetwork net(seed);
  test::SimConsole& beijing = net.add_console("Beijing");
  test::SimConsole& singapore = net.add_console("Singapore");
  beijing.add_peer(singapore);
  singapore.add_peer(beijing);
  const auto impair = [&](const test::PathImpairment& how) {
    net.path("Beijing", "Singapore") = how;
    net.path("Singapore", "Beijing") = how;
  };
  if (!impaired_for) impair(impairment);
  // 11 s of speech.
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
  if (impaired_for) {
    impair(impairment);
    net.run_for(*impaired_for);
    impair({});
    net.run_for(speech.duration() + 1500ms - *impaired_for);
  } else {
    net.run_for(speech.duration() + 1500ms);
  }
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

TEST_CASE("loss from the first packet on is rebuilt by FEC before any report", "[impairment]") {
  // The sender learns the loss from the receiver's reports, once a second; until the first
  // it assumes some (MediaSession::kExpectedLossBeforeReports), so the frames lost here,
  // all before that report, can still be rebuilt.
  test::PathImpairment net;
  net.loss = 0.20;
  net.delay = 5ms;
  std::uint64_t lost = 0;
  std::uint64_t rebuilt = 0;
  for (const std::uint32_t seed : {40u, 41u, 42u}) {
    const auto o = call_through(net, seed, 900ms);
    CHECK(o.receiver.media.fec_recovered > 0);
    lost += o.receiver.media.lost;
    rebuilt += o.receiver.media.fec_recovered;
  }
  CAPTURE(lost, rebuilt);
  CHECK(lost > 20);
  CHECK(2 * rebuilt > lost);
}

TEST_CASE("20 % loss and 0-30 ms jitter: FEC rebuilds most lost frames, nothing is interrupted",
          "[impairment]") {
  test::PathImpairment net;
  net.loss = 0.20;
  net.delay = 5ms;
  net.jitter = 30ms;
  std::uint64_t lost = 0;
  std::uint64_t rebuilt = 0;
  for (const std::uint32_t seed : {20u, 21u, 22u}) {
    const auto o = call_through(net, seed);
    const auto& m = o.receiver.media;
    CHECK(m.interruptions == 0);
    CHECK(o.correlation > 0.7);
    lost += m.lost;
    rebuilt += m.fec_recovered;
  }
  // libopus codes redundancy only for frames with speech activity, so the lost frames of the
  // pauses between words cannot be rebuilt (docs/audio.md, "Loss, FEC and concealment").
  CAPTURE(lost, rebuilt);
  CHECK(2 * rebuilt > lost);
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
