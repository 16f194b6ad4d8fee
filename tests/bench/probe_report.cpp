#include "tests/bench/probe_report.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/audio/audio_format.hpp"
#include "core/util/error.hpp"

namespace hotline::bench {
namespace {

// Mean arrival-to-heard delay of the frames played between two snapshots, from the running
// means the statistics carry (frames counted as received minus late and duplicates).
double playout_mean_between(const call::CallStats& from, const call::CallStats& to) {
  const auto frames = [](const call::CallStats& s) {
    return static_cast<double>(s.media.voice_packets_received - s.media.late - s.media.duplicates);
  };
  const double n = frames(to) - frames(from);
  if (n <= 0) return to.media.jitter_buffer_delay_ms;
  return (to.media.jitter_buffer_delay_ms * frames(to) -
          from.media.jitter_buffer_delay_ms * frames(from)) /
         n;
}

// Both over the measurement only (after the warm-up).
double concealed_ms(const ProbeResult& r) {
  return static_cast<double>(r.at_end.media.concealed_samples -
                             r.at_warmup.media.concealed_samples) /
         audio::kSamplesPerMs;
}

std::uint64_t underruns(const ProbeResult& r) {
  return r.ear.playback_underruns - r.ear_at_warmup.playback_underruns;
}

std::string network_label(const ProbeOptions& o) {
  if (o.network_delay_ms == 0) return "clean loopback";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d ms +- %g ms jitter", o.network_delay_ms,
                o.network_delay_ms / 2.0);
  return buf;
}

nlohmann::json to_json(const ProbeOptions& o, const ProbeResult& r) {
  const auto& s = r.summary;
  const auto& m = r.at_end.media;
  nlohmann::json j;
  j["frame_ms"] = o.frame_ms;
  j["network"] = network_label(o);
  j["network_delay_ms"] = o.network_delay_ms;
  j["device_period_ms"] = o.device_period_ms;
  j["voice_processing"] = o.voice_processing;
  j["warmup_s"] = o.warmup_s;
  j["seconds"] = o.seconds;
  j["window_ms"] = o.window_ms;
  j["chirps"] = s.injected;
  j["found"] = s.found;
  j["lowest_correlation"] = s.lowest_correlation;
  j["min_ms"] = s.min_ms;
  j["median_ms"] = s.median_ms;
  j["p95_ms"] = s.p95_ms;
  j["max_ms"] = s.max_ms;
  auto& each = j["delays_ms"] = nlohmann::json::array();
  for (const auto& c : r.matches) {
    if (c.found) each.push_back(std::round(c.delay_ms * 10) / 10);
  }
  j["playout_target_at_warmup_ms"] = r.at_warmup.media.jitter_buffer_target_ms;
  j["playout_target_ms"] = m.jitter_buffer_target_ms;
  j["playout_delay_mean_ms"] = playout_mean_between(r.at_warmup, r.at_end);
  j["late"] = m.late;
  j["lost"] = m.lost;
  j["concealed_ms"] = concealed_ms(r);
  j["delay_stretches"] = m.delay_stretches;
  j["playback_underruns"] = underruns(r);
  j["capture_overrun_samples"] = r.mouth.capture_overrun_samples;
  j["clock_slips"] = r.mouth.clock_slips + r.ear.clock_slips;
  j["stamps_dropped"] = r.stamps_dropped;
  j["codec_delay_ms"] = r.codec.delay_ms;
  j["playout_resampler_delay_ms"] = r.resampler.delay_ms;
  j["voice_processing_delay_ms"] = r.processing.delay_ms;
  j["voice_processing_correlation"] = r.processing.correlation;
  return j;
}

void print_text(const ProbeOptions& o, const ProbeResult& r) {
  const auto& s = r.summary;
  const auto& m = r.at_end.media;
  std::printf(
      "Mouth-to-ear delay, software only: %d ms frames, %s, device period %d ms, "
      "voice processing %s\n",
      o.frame_ms, network_label(o).c_str(), o.device_period_ms, o.voice_processing ? "on" : "off");
  std::printf("  warm-up %g s, then %zu chirps over %g s: %zu found (lowest correlation %.2f)\n",
              o.warmup_s, s.injected, o.seconds, s.found, s.lowest_correlation);
  std::printf("  delay: min %.1f  median %.1f  p95 %.1f  max %.1f ms\n  each:", s.min_ms,
              s.median_ms, s.p95_ms, s.max_ms);
  for (const auto& c : r.matches) {
    if (c.found) std::printf(" %.1f", c.delay_ms);
  }
  std::printf(
      "\n  receiver: playout target %.1f ms at warm-up end, %.1f ms at the end; mean "
      "arrival-to-heard %.1f ms; late %llu, lost %llu, stretches %llu\n",
      r.at_warmup.media.jitter_buffer_target_ms, m.jitter_buffer_target_ms,
      playout_mean_between(r.at_warmup, r.at_end), static_cast<unsigned long long>(m.late),
      static_cast<unsigned long long>(m.lost), static_cast<unsigned long long>(m.delay_stretches));
  std::printf(
      "  after the warm-up: %.0f ms concealed, %llu playback underruns (both 0 unless an "
      "engine thread ran late by several ms)\n",
      concealed_ms(r), static_cast<unsigned long long>(underruns(r)));
  std::printf(
      "  whole run: playback underruns %llu, capture overrun samples %llu, clock slips %llu\n",
      static_cast<unsigned long long>(r.ear.playback_underruns),
      static_cast<unsigned long long>(r.mouth.capture_overrun_samples),
      static_cast<unsigned long long>(r.mouth.clock_slips + r.ear.clock_slips));
  std::printf(
      "  offline, by algorithm alone: Opus %.1f ms, playout resampler %.1f ms, voice "
      "processing (AEC+NS) %.1f ms at correlation %.2f\n",
      r.codec.delay_ms, r.resampler.delay_ms, r.processing.delay_ms, r.processing.correlation);
  // Where the median goes: the stages measured on their own, and what is left for the engine
  // tick, sealing, the network and opening.
  const double framing = o.frame_ms;
  const double playout = playout_mean_between(r.at_warmup, r.at_end);
  const double processing = o.voice_processing ? r.processing.delay_ms : 0.0;
  const double accounted = framing + r.codec.delay_ms + playout + r.resampler.delay_ms + processing;
  std::printf(
      "  breakdown of the median %.1f ms: framing %.1f + Opus look-ahead %.1f + jitter buffer and "
      "playback queue %.1f (of which the device buffer, one %d ms period + a 2 ms tick, at most "
      "%d) + playout resampler %.1f + voice processing %.1f + the rest (engine tick, seal, "
      "network, open) %.1f\n",
      s.median_ms, framing, r.codec.delay_ms, playout, o.device_period_ms, o.device_period_ms + 2,
      r.resampler.delay_ms, processing, s.median_ms - accounted);
}

}  // namespace

void print_result(const ProbeOptions& o, const ProbeResult& r) {
  if (!o.json_file.empty()) {
    std::ofstream file(o.json_file, std::ios::app);
    file << to_json(o, r).dump() << "\n";
    if (!file) throw Error("cannot append to " + o.json_file);
  }
  const auto& s = r.summary;
  switch (o.format) {
    case OutputFormat::kJson:
      std::cout << to_json(o, r).dump() << "\n";
      break;
    case OutputFormat::kMarkdown:
      // The last two columns are zero on a quiet machine: anything else means the engine
      // threads were starved of CPU and the run measured the host, not the pipeline.
      std::printf(
          "| %d ms | %s | %d ms | %s | %zu/%zu | %.1f | **%.1f** | %.1f | %.1f | %.1f | %.0f | "
          "%llu "
          "|\n",
          o.frame_ms, network_label(o).c_str(), o.device_period_ms,
          o.voice_processing ? "on" : "off", s.found, s.injected, s.min_ms, s.median_ms, s.p95_ms,
          s.max_ms, playout_mean_between(r.at_warmup, r.at_end), concealed_ms(r),
          static_cast<unsigned long long>(underruns(r)));
      break;
    case OutputFormat::kText:
      print_text(o, r);
      break;
  }
}

}  // namespace hotline::bench
