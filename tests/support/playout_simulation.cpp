#include "tests/support/playout_simulation.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <queue>

#include "core/audio/opus_codec.hpp"
#include "core/audio/spsc_ring.hpp"
#include "tests/support/signal_compare.hpp"

namespace hotline::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kPacketPool = 250;

std::vector<Bytes> encode_pool(int frame_ms, int loss_percent) {
  audio::OpusVoiceEncoder encoder(frame_ms, 32000);
  encoder.set_expected_loss_percent(loss_percent);
  const auto frame = static_cast<std::size_t>(encoder.frame_samples());
  const auto speech = speech_like(frame * kPacketPool, 7);
  std::vector<Bytes> pool;
  Bytes out(encoder.packet_bytes());
  for (std::size_t k = 0; k < kPacketPool; ++k) {
    const std::size_t n = encoder.encode(std::span(speech).subspan(k * frame, frame), out);
    pool.emplace_back(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return pool;
}

struct Arrival {
  double at_s;
  std::uint64_t seq;
  Bytes packet;  // sealed, when the simulation has a transport
  bool operator>(const Arrival& o) const { return at_s > o.at_s; }
};

}  // namespace

PlayoutSimulationResult simulate(const PlayoutSimulation& sim) {
  const auto pool = encode_pool(sim.frame_ms, sim.expected_loss_percent);
  const auto period_samples = static_cast<std::size_t>(sim.device_period.count() * 48);
  // What the engine keeps queued for such a device.
  const std::size_t lead = call::MediaSession::playback_lead_for(period_samples);
  audio::VoicePlayout playout(sim.frame_ms, lead);
  audio::SpscRing<std::int16_t> ring(8192);
  const Clock::time_point epoch = Clock::time_point{} + std::chrono::hours(1000);
  const auto at = [&](double s) {
    return epoch + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  };

  const double frame_s = sim.frame_ms / 1000.0 / sim.sender_clock;
  const double period_s =
      static_cast<double>(sim.device_period.count()) / 1000.0 / sim.receiver_clock;
  const double tick_s = static_cast<double>(sim.engine_tick.count()) / 1e6;
  const double end_s = static_cast<double>(sim.duration.count());

  std::priority_queue<Arrival, std::vector<Arrival>, std::greater<>> in_flight;
  std::vector<std::int16_t> pulled(period_samples);
  Bytes opened;
  PlayoutSimulationResult result;
  std::uint64_t next_seq = 0;
  // Start the three clocks at different phases, as real ones would be.
  double next_send = 0.0, next_pull = 0.0037, next_tick = 0.0011;
  double second_end = 1.0, buffered_sum = 0.0;
  std::size_t buffered_samples = 0;

  while (true) {
    const double next_arrival = in_flight.empty() ? end_s : in_flight.top().at_s;
    const double t = std::min({next_send, next_pull, next_tick, next_arrival});
    if (t >= end_s) break;
    if (t == next_send) {
      const std::uint64_t seq = next_seq++;
      const auto delay_ms = sim.network ? sim.network(seq, t) : std::optional<double>(1.0);
      if (delay_ms) {
        const ByteSpan opus = pool[seq % kPacketPool];
        Bytes packet = sim.transport ? sim.transport->seal(seq, opus, at(t)) : Bytes{};
        if (sim.duplicate && sim.duplicate(seq))
          in_flight.push({t + *delay_ms / 1000.0 + 0.002, seq, packet});
        in_flight.push({t + *delay_ms / 1000.0, seq, std::move(packet)});
      }
      next_send += frame_s;
    } else if (t == next_arrival) {
      const Arrival a = in_flight.top();
      in_flight.pop();
      if (!sim.transport) {
        playout.insert(a.seq, pool[a.seq % kPacketPool], at(t));
      } else if (const auto seq = sim.transport->open(a.packet, at(t), opened)) {
        playout.insert(*seq, opened, at(t));
      }
    } else if (t == next_pull) {
      if (ring.read(pulled) < period_samples && playout.stats().samples_played > 0) {
        ++result.device_underruns;
      }
      next_pull += period_s;
    } else {
      while (ring.available_read() < lead) {
        ring.write(playout.next(at(t), ring.available_read()));
      }
      const auto s = playout.stats();
      buffered_sum += s.current_delay_ms;
      ++buffered_samples;
      if (t >= second_end) {
        result.seconds.push_back({buffered_sum / static_cast<double>(buffered_samples),
                                  s.concealed_samples, s.jitter_buffer_target_ms, s.rate_adjust});
        buffered_sum = 0.0;
        buffered_samples = 0;
        second_end += 1.0;
        if (sim.each_second) sim.each_second(result.seconds.size());
      }
      next_tick += tick_s;
    }
  }
  result.stats = playout.stats();
  if (buffered_samples > 0) {  // the last second
    result.seconds.push_back({buffered_sum / static_cast<double>(buffered_samples),
                              result.stats.concealed_samples, result.stats.jitter_buffer_target_ms,
                              result.stats.rate_adjust});
  }
  if (std::getenv("HOTLINE_PLAYOUT_TRACE")) {
    for (std::size_t i = 0; i < result.seconds.size(); ++i) {
      const auto& s = result.seconds[i];
      std::fprintf(stderr,
                   "%3zu s: buffered %6.1f ms target %6.1f ms adjust %+.4f concealed %llu\n", i + 1,
                   s.buffered_ms, s.target_ms, s.rate_adjust,
                   static_cast<unsigned long long>(s.concealed_samples));
    }
  }
  return result;
}

}  // namespace hotline::test
