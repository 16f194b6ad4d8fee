// hotline-delay-probe: mouth-to-ear delay through the whole software pipeline of a call between
// two in-process consoles on loopback (capture ring -> encode -> seal -> UDP -> open -> jitter
// buffer and playout -> decode -> playback ring), with clocked virtual sound cards. The
// caller's "microphone" plays a chirp every 1.5 s after a warm-up; each chirp is found in the
// callee's "speaker" recording by normalised cross-correlation, and both positions are turned
// into steady-clock times through the device threads' block stamps. docs/performance.md says
// what the figure includes and how the published table was made (scripts/measure-delay.sh).

#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/audio/clocked_device.hpp"
#include "core/util/error.hpp"
#include "tests/bench/chirp_match.hpp"
#include "tests/bench/probe_options.hpp"
#include "tests/bench/probe_report.hpp"
#include "tests/bench/timestamped_io.hpp"
#include "tests/support/test_console.hpp"
#include "tests/support/udp_relay.hpp"

using namespace hotline;
using namespace std::chrono_literals;

namespace {

constexpr double kChirpInterval = 1.5;  // s; far apart enough that windows never overlap
constexpr double kThreshold = 0.5;

// Polls the console's events; unlike TestConsole::wait_for it needs no Catch2 session.
call::CallStats wait_event(const test::TestConsole& console,
                           const std::function<bool(const call::CallStats&)>& match,
                           const char* what) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& e : console.events()) {
      if (match(e)) return e;
    }
    std::this_thread::sleep_for(10ms);
  }
  throw Error(console.name() + ": timed out waiting for " + what);
}

bool ended(const call::CallStats& s) {
  return s.state == call::CallState::kEnded;
}

bench::ProbeResult run(const bench::ProbeOptions& o) {
  const auto rate = static_cast<double>(audio::kSampleRate);
  const auto first_chirp = static_cast<std::uint64_t>(o.warmup_s * rate);
  const auto interval = static_cast<std::uint64_t>(kChirpInterval * rate);
  const auto chirps = static_cast<std::size_t>(std::ceil(o.seconds / kChirpInterval));
  const std::uint64_t last_needed =
      first_chirp + (chirps - 1) * interval +
      static_cast<std::uint64_t>((o.window_ms / 1000.0 + 0.25) * rate);
  // Everything the run can play, with room for call set-up and hang-up.
  const auto capacity = static_cast<std::size_t>(last_needed + 20 * audio::kSampleRate);
  const audio::ClockedDeviceOptions device{std::chrono::milliseconds(o.device_period_ms)};
  const std::size_t blocks = capacity / audio::samples_for(device.period) + 64;

  auto chirper = std::make_unique<bench::TimestampedSource>(bench::make_chirp(), first_chirp,
                                                            interval, blocks);
  auto recorder = std::make_unique<bench::TimestampedSink>(capacity, blocks);
  const bench::TimestampedSource& source = *chirper;
  const bench::TimestampedSink& sink = *recorder;
  auto mouth = std::make_shared<audio::ClockedDevice>(
      std::move(chirper), std::make_unique<audio::DiscardSink>(), device);
  auto ear = std::make_shared<audio::ClockedDevice>(std::make_unique<audio::SilenceSource>(),
                                                    std::move(recorder), device);

  test::TestConsole a{"Mouth"};
  test::TestConsole b{"Ear"};
  audio::VoiceOptions voice;
  voice.echo_cancellation = voice.noise_suppression = o.voice_processing;
  voice.tones = o.voice_processing;
  for (auto* c : {&a, &b}) c->set_voice(voice);
  a.set_device_factory([mouth] { return mouth; });
  b.set_device_factory([ear] { return ear; });
  a.start();
  b.start();
  std::unique_ptr<test::UdpRelay> relay;
  if (o.network_delay_ms > 0) {
    test::Impairment net;
    net.delay = std::chrono::milliseconds(o.network_delay_ms);
    net.jitter = std::chrono::microseconds(o.network_delay_ms * 500);
    relay = std::make_unique<test::UdpRelay>(net::to_udp(b.endpoint()), net, o.seed);
    relay->start();
    a.add_peer(b, net::from_udp(relay->endpoint()));
  } else {
    a.add_peer(b);
  }
  b.add_peer(a);

  const call::CallOptions options{o.frame_ms, o.bitrate};
  const call::CallId id = a.engine().call("Ear", options);
  const call::CallId incoming =
      wait_event(
          b, [](const call::CallStats& s) { return s.state == call::CallState::kRinging; },
          "the call to ring")
          .id;
  b.engine().answer(incoming);
  wait_event(
      a, [](const call::CallStats& s) { return s.state == call::CallState::kConnected; },
      "the call to connect");

  bench::ProbeResult r;
  std::ofstream trace;
  if (!o.trace_file.empty()) {
    trace.open(o.trace_file);
    trace << "mouth_s,playout_target_ms,rate_adjust,late,lost,concealed_samples,ear_underruns\n";
  }
  const auto stats = [&] {
    const auto s = b.engine().call_stats(incoming);
    if (!s) throw Error("the callee has no statistics for the call");
    return *s;
  };
  const auto poll_until = [&](std::uint64_t produced) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration<double>(static_cast<double>(produced) / rate) + 30s;
    for (int polls = 0; source.produced() < produced; ++polls) {
      if (std::chrono::steady_clock::now() > deadline) throw Error("the mouth device stalled");
      if (!b.events().empty() && ended(b.events().back())) throw Error("the call ended early");
      if (trace.is_open() && polls % 5 == 0) {  // statistics are published every 100 ms
        const call::MediaCounters m = stats().media;
        trace << static_cast<double>(source.produced()) / rate << ',' << m.jitter_buffer_target_ms
              << ',' << m.playout_rate_adjust << ',' << m.late << ',' << m.lost << ','
              << m.concealed_samples << ',' << ear->stats().playback_underruns << '\n';
      }
      std::this_thread::sleep_for(20ms);
    }
    return stats();
  };
  r.at_warmup = poll_until(first_chirp);
  r.ear_at_warmup = ear->stats();
  r.at_end = poll_until(last_needed);

  a.engine().hangup(id);
  wait_event(a, ended, "the caller to hang up");
  wait_event(b, ended, "the callee to see the hang-up");
  a.stop();
  b.stop();
  mouth->stop();
  ear->stop();

  bench::MatchConfig match{0, chirps, o.window_ms / 1000.0, kThreshold};
  r.matches = bench::match_chirps(source, sink, match);
  r.summary = bench::summarise(r.matches);
  r.mouth = mouth->stats();
  r.ear = ear->stats();
  r.stamps_dropped = source.log().dropped() + sink.log().dropped() + sink.dropped_samples();
  r.codec = bench::codec_delay(o.frame_ms, o.bitrate);
  r.resampler = bench::playout_resampler_delay(o.frame_ms);
  r.processing = bench::voice_processing_delay(o.frame_ms);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::ProbeOptions options = bench::parse_probe_options(argc, argv);
  try {
    const bench::ProbeResult r = run(options);
    bench::print_result(options, r);
    if (options.assert_median_below_ms > 0) {
      const auto& s = r.summary;
      if (s.injected == 0 || s.found != s.injected) {
        std::cerr << "hotline-delay-probe: found " << s.found << " of " << s.injected
                  << " chirps\n";
        return 1;
      }
      if (!(s.median_ms < options.assert_median_below_ms)) {
        std::cerr << "hotline-delay-probe: median delay " << s.median_ms << " ms is not below "
                  << options.assert_median_below_ms << " ms\n";
        return 1;
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "hotline-delay-probe: " << e.what() << "\n";
    return 1;
  }
}
