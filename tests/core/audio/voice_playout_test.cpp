// Adaptive playout driven by synthetic arrival traces in simulated time: steady, jittery,
// spiky, lossy and drifting-clock networks.

#include "core/audio/voice_playout.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <cmath>
#include <random>

#include "core/audio/opus_codec.hpp"
#include "core/call/media_session.hpp"
#include "tests/support/playout_simulation.hpp"
#include "tests/support/signal_compare.hpp"

using namespace hotline;
using namespace hotline::test;
using namespace std::chrono_literals;

namespace {

double mean_buffered(const PlayoutSimulationResult& r, std::size_t from_s, std::size_t to_s) {
  double sum = 0;
  for (std::size_t s = from_s; s < to_s; ++s) sum += r.seconds.at(s).buffered_ms;
  return sum / static_cast<double>(to_s - from_s);
}

std::uint64_t concealed_between(const PlayoutSimulationResult& r, std::size_t from_s,
                                std::size_t to_s) {
  return r.seconds.at(to_s - 1).concealed_samples - r.seconds.at(from_s - 1).concealed_samples;
}

}  // namespace

TEST_CASE("playout on a clean link settles at the playback lead plus the safety margin",
          "[playout]") {
  const int frame_ms = GENERATE(10, 20);
  PlayoutSimulation sim;
  sim.frame_ms = frame_ms;
  sim.duration = 30s;
  const auto r = simulate(sim);
  // What the engine keeps queued for the simulation's 10 ms device periods (MediaSession's
  // own rule, not a copy of it).
  const double lead_ms = static_cast<double>(call::MediaSession::playback_lead_for(480)) / 48.0;
  const double wanted = lead_ms + audio::PlayoutDelayConfig{}.safety_ms;  // no jitter at all
  CAPTURE(frame_ms, r.stats.jitter_buffer_target_ms, r.seconds.back().buffered_ms);
  CHECK(r.stats.jitter_buffer_target_ms == wanted);
  CHECK(r.device_underruns == 0);
  CHECK(r.stats.jitter.lost == 0);
  CHECK(r.stats.jitter.late == 0);
  CHECK(r.stats.concealed_samples == 0);
  CHECK(r.stats.jitter.underruns == 0);
  // Started at the cautious initial target and came down to it without concealing, and
  // without overshooting into an underrun on the way.
  CHECK(r.seconds.front().buffered_ms > r.seconds.back().buffered_ms + 10);
  CHECK(std::abs(r.seconds.back().buffered_ms - wanted) < 2.0);
}

TEST_CASE("playout follows a +-0.1 % clock skew for ten minutes", "[playout][skew]") {
  const double skew = GENERATE(0.001, -0.001);
  PlayoutSimulation sim;
  sim.sender_clock = 1.0 + skew;
  sim.duration = 600s;
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> jitter(0.0, 4.0);
  sim.network = [&](std::uint64_t, double) { return std::optional<double>(5.0 + jitter(rng)); };
  const auto r = simulate(sim);

  const double early = mean_buffered(r, 30, 60);
  const double late = mean_buffered(r, 570, 600);
  CAPTURE(skew, early, late, r.stats.rate_adjust, r.stats.concealment_events, r.stats.stretches);
  UNSCOPED_INFO("skew " << skew * 100 << " %: buffered " << early << " ms at 30-60 s, " << late
                        << " ms at 570-600 s; playout rate adjust " << r.stats.rate_adjust);
  // Without correction 0.1 % over ten minutes is 600 ms of drift.
  CHECK(std::abs(late - early) < 5.0);
  CHECK(r.device_underruns == 0);
  CHECK(concealed_between(r, 30, 600) == 0);
  CHECK(r.stats.jitter.late == 0);
  // The integrator learned the skew: playing faster for a fast sender, slower for a slow one.
  CHECK(std::abs(r.stats.rate_adjust + skew) < 0.0004);
}

TEST_CASE("playout target rises with jitter and keeps late packets rare", "[playout]") {
  PlayoutSimulation sim;
  sim.duration = 60s;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> jitter(10.0, 30.0);  // 20 ms +- 10 ms
  sim.network = [&](std::uint64_t, double) { return std::optional<double>(jitter(rng)); };
  const auto r = simulate(sim);
  CAPTURE(r.stats.jitter_buffer_target_ms, r.stats.jitter_ms, r.stats.jitter.late,
          r.stats.jitter_buffer_delay_ms);
  CHECK(r.stats.jitter_ms > 15.0);
  CHECK(r.stats.jitter_ms < 20.5);
  CHECK(r.stats.jitter_buffer_target_ms >= r.stats.jitter_ms + 3.0);
  CHECK(r.stats.jitter_buffer_target_ms < 40.0);
  const double received = static_cast<double>(r.stats.jitter.received);
  CHECK(static_cast<double>(r.stats.jitter.late) / received < 0.01);
  CHECK(r.stats.interruptions == 0);
}

TEST_CASE("playout grows at once on a delay spike and shrinks back slowly", "[playout]") {
  PlayoutSimulation sim;
  sim.duration = 60s;
  // At 20 s the path's delay jumps from 5 ms to 125 ms for one second, then recovers.
  sim.network = [](std::uint64_t, double send_s) {
    return std::optional<double>(send_s >= 20.0 && send_s < 21.0 ? 125.0 : 5.0);
  };
  const auto r = simulate(sim);
  CAPTURE(r.stats.concealment_events, r.stats.stretches, r.stats.jitter.late, r.stats.jitter.lost);
  // Nothing was lost: playout waited for the delayed packets instead of skipping them.
  CHECK(r.stats.jitter.lost == 0);
  CHECK(r.stats.jitter.late == 0);
  CHECK(r.seconds.at(21).buffered_ms > 100.0);  // grew by the spike within the second
  // ... holds while the spike is in the 10 s window, then comes down by 3 ms a second.
  CHECK(r.seconds.at(29).buffered_ms > 100.0);
  CHECK(r.seconds.at(45).buffered_ms < r.seconds.at(35).buffered_ms - 20.0);
  CHECK(r.seconds.at(59).buffered_ms < 60.0);
  CHECK(r.stats.interruptions <= 1);
}

TEST_CASE("an interruption counts once audio comes back, not when the sender has stopped",
          "[playout]") {
  PlayoutSimulation sim;
  sim.duration = 12s;
  // 300 ms of packets lost 4 s in; every packet after 10 s lost (the sender hung up and its
  // hang-up has not arrived yet).
  sim.network = [](std::uint64_t, double send_s) {
    const bool gone = (send_s >= 4.0 && send_s < 4.3) || send_s >= 10.0;
    return gone ? std::nullopt : std::optional<double>(5.0);
  };
  const auto r = simulate(sim);
  CAPTURE(r.stats.concealment_events, r.stats.interruption_ms);
  CHECK(r.stats.interruptions == 1);
  CHECK(r.stats.interruption_ms >= 300.0);
  CHECK(r.stats.interruption_ms < 400.0);
  // The two seconds after the sender stopped are concealed, but interrupt nothing.
  CHECK(concealed_between(r, 11, 12) > 0);
}

TEST_CASE("a concealment run the call's end cuts short counts unless the peer hung up",
          "[playout]") {
  for (const bool peer_hung_up : {true, false}) {
    audio::VoicePlayout playout(20, 0);
    audio::OpusVoiceEncoder encoder(20, 32000, 5);
    const auto speech = speech_like(48000, 7);
    std::vector<std::uint8_t> packet(encoder.packet_bytes());
    auto now = std::chrono::steady_clock::time_point{} + 1s;
    for (std::uint64_t seq = 0; seq < 50; ++seq) {
      const auto frame = std::span<const std::int16_t>(speech).subspan(seq * 960, 960);
      const std::size_t n = encoder.encode(frame, MutableByteSpan(packet.data(), packet.size()));
      playout.insert(seq, ByteSpan(packet.data(), n), now);
      playout.next(now, 0);
      now += 20ms;
    }
    for (int i = 0; i < 20; ++i) {  // 400 ms without packets
      playout.next(now, 0);
      now += 20ms;
    }
    CHECK(playout.stats().interruptions == 0);  // still going on
    playout.end(peer_hung_up);
    CAPTURE(peer_hung_up);
    CHECK(playout.stats().interruptions == (peer_hung_up ? 0u : 1u));
    CHECK(playout.stats().concealed_samples >= 18u * 960u);  // most of the 400 ms
  }
}

TEST_CASE("playout puts reordered and duplicated packets back in order", "[playout]") {
  PlayoutSimulation sim;
  sim.duration = 20s;
  // Every 7th packet is overtaken by the next one; every 11th arrives twice.
  sim.network = [](std::uint64_t seq, double) {
    return std::optional<double>(seq % 7 == 3 ? 27.0 : 5.0);
  };
  sim.duplicate = [](std::uint64_t seq) { return seq % 11 == 0; };
  const auto r = simulate(sim);
  // At most the first overtaken packet, before any lateness has been measured, comes too late.
  CHECK(r.stats.jitter.late <= 1);
  CHECK(r.stats.jitter.lost == r.stats.jitter.late);
  CHECK(r.stats.jitter.duplicates > 80);
  CHECK(r.stats.interruptions == 0);
}

TEST_CASE("playout rebuilds most single losses from FEC", "[playout]") {
  PlayoutSimulation sim;
  sim.duration = 60s;
  sim.expected_loss_percent = 10;
  std::mt19937 rng(5);
  std::bernoulli_distribution lost(0.10);
  sim.network = [&](std::uint64_t, double) {
    return lost(rng) ? std::nullopt : std::optional<double>(5.0);
  };
  const auto r = simulate(sim);
  const double lost_frames = static_cast<double>(r.stats.jitter.lost);
  CAPTURE(r.stats.jitter.lost, r.stats.fec_recovered, r.stats.concealment_events);
  CHECK(lost_frames > 200);
  // A lost frame is rebuilt when the next packet came in time and carries FEC: here about
  // 90 % of next packets come, and about 70 % of packets of this speech carry FEC.
  CHECK(static_cast<double>(r.stats.fec_recovered) > 0.5 * lost_frames);
  CHECK(r.stats.interruptions == 0);
}

TEST_CASE("playout conceals rather than fakes FEC when packets carry none", "[playout]") {
  PlayoutSimulation sim;
  sim.duration = 20s;
  sim.expected_loss_percent = 0;  // the encoder adds no redundancy
  sim.network = [](std::uint64_t seq, double) {
    return seq % 10 == 5 ? std::nullopt : std::optional<double>(5.0);
  };
  const auto r = simulate(sim);
  CHECK(r.stats.jitter.lost > 50);
  CHECK(r.stats.fec_recovered == 0);
  CHECK(r.stats.concealment_events >= r.stats.jitter.lost);
}

TEST_CASE("Opus packets say whether they carry FEC", "[playout]") {
  for (const int loss : {0, 20}) {
    audio::OpusVoiceEncoder encoder(20, 32000);
    encoder.set_expected_loss_percent(loss);
    const auto speech = speech_like(960 * 100, 9);
    Bytes out(encoder.packet_bytes());
    int with_fec = 0;
    for (std::size_t k = 0; k < 100; ++k) {
      const std::size_t n = encoder.encode(std::span(speech).subspan(k * 960, 960), out);
      if (audio::opus_packet_carries_fec(ByteSpan(out.data(), n))) ++with_fec;
    }
    CAPTURE(loss, with_fec);
    if (loss == 0) CHECK(with_fec == 0);
    if (loss > 0) CHECK(with_fec > 50);
  }
  CHECK_FALSE(audio::opus_packet_carries_fec({}));
  const std::uint8_t celt_only[] = {0xF8, 0xFF, 0xFF};
  CHECK_FALSE(audio::opus_packet_carries_fec(celt_only));
  const std::uint8_t two_frames[] = {0x09, 0xFF, 0xFF};
  CHECK_FALSE(audio::opus_packet_carries_fec(two_frames));
  const std::uint8_t padded_truncated[] = {0x0B, 0x41, 0xFF};
  CHECK_FALSE(audio::opus_packet_carries_fec(padded_truncated));
}
