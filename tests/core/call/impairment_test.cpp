// Whole calls through the impairment relay, one network condition each, asserting on what the
// receiving console's statistics say happened and on the speech still matching.

#include <catch2/catch_test_macros.hpp>
#include <thread>

#include "core/audio/wav.hpp"
#include "tests/support/realtime_check.hpp"
#include "tests/support/signal_compare.hpp"
#include "tests/support/test_console.hpp"
#include "tests/support/test_paths.hpp"
#include "tests/support/udp_relay.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using test::TestConsole;

namespace {

struct Outcome {
  call::CallStats receiver;  // Singapore's final statistics
  double correlation = 0;
};

// Beijing talks to Singapore through the relay (both directions impaired); Singapore's
// recording is compared with what Beijing played.
Outcome call_through(const test::Impairment& impairment, std::uint64_t seed) {
  TestConsole a{"Beijing"};
  TestConsole b{"Singapore"};
  a.start();
  b.start();
  test::UdpRelay relay(net::to_udp(b.endpoint()), impairment, seed);
  relay.start();
  a.add_peer(b, net::from_udp(relay.endpoint()));
  b.add_peer(a);

  // 11 s of speech. The first second carries no FEC yet: the first receiver report, a second
  // into the call, is what tells the sender about the loss.
  const auto speech = audio::read_wav(test::data_file("speech-16k.wav"));
  a.set_play(speech);

  const auto id = a.engine().call("Singapore", {});
  b.answer_incoming();
  a.wait_state(CallState::kConnected);
  std::this_thread::sleep_for(speech.duration() + 1500ms);
  a.engine().hangup(id);
  a.wait_ended();
  Outcome out;
  out.receiver = b.wait_ended();
  out.correlation = test::align_envelopes(speech.samples, b.last_recording(), 48000).correlation;
  const auto& m = out.receiver.media;
  UNSCOPED_INFO("received " << m.voice_packets_received << " lost " << m.lost << " fec_recovered "
                            << m.fec_recovered << " late " << m.late << " concealment_events "
                            << m.concealment_events << " interruptions " << m.interruptions
                            << " stretches " << m.delay_stretches << " target "
                            << m.jitter_buffer_target_ms << " ms delay " << m.jitter_buffer_delay_ms
                            << " ms correlation " << out.correlation);
  return out;
}

}  // namespace

TEST_CASE("5 % loss: FEC rebuilds lost frames and nothing is interrupted", "[impairment]") {
  test::Impairment net;
  net.loss = 0.05;
  net.delay = 5ms;
  const auto o = call_through(net, 5);
  const auto& m = o.receiver.media;
  CHECK(m.lost > 10);
  CHECK(m.fec_recovered > 0);
  CHECK_REALTIME(m.interruptions == 0);
  CHECK(o.correlation > 0.85);
}

TEST_CASE("10 % loss at 32 kb/s: most lost frames are rebuilt by FEC", "[impairment]") {
  test::Impairment net;
  net.loss = 0.10;
  net.delay = 5ms;
  const auto o = call_through(net, 10);
  const auto& m = o.receiver.media;
  CHECK(m.lost > 30);
  CHECK(2 * m.fec_recovered > m.lost);
  CHECK(o.correlation > 0.8);
}

TEST_CASE("20 % loss: concealed, still recognisably the same speech", "[impairment]") {
  test::Impairment net;
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
  test::Impairment net;
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
  test::Impairment net;
  net.delay = 30ms;
  net.jitter = 30ms;
  const auto o = call_through(net, 60);
  const auto& m = o.receiver.media;
  CHECK(m.jitter_buffer_target_ms > 40.0);
  CHECK(m.interarrival_jitter_ms > 5.0);
  CHECK_REALTIME(m.late * 50 < m.voice_packets_received);  // under 2 %
  CHECK(o.correlation > 0.85);
}

TEST_CASE("reordering and duplication are undone", "[impairment]") {
  test::Impairment net;
  net.delay = 5ms;
  net.reorder = 0.05;
  net.reorder_delay = 25ms;
  net.duplicate = 0.05;
  const auto o = call_through(net, 7);
  const auto& m = o.receiver.media;
  CHECK(o.receiver.link.replays_dropped > 10);  // duplicates stop at the replay window
  CHECK_REALTIME(m.late * 50 < m.voice_packets_received);
  CHECK_REALTIME(m.interruptions == 0);
  CHECK(o.correlation > 0.85);
}
