#pragma once
// Command line of hotline-delay-probe. A bad flag prints the problem and the usage to stderr
// and exits with status 2.

#include <cstdint>
#include <string>

namespace hotline::bench {

enum class OutputFormat { kText, kJson, kMarkdown };

struct ProbeOptions {
  int frame_ms = 20;
  // 0: consoles talk directly on loopback. N: through the impairment relay, N ms one way
  // with uniform jitter of +-N/2 ms (20 gives the "20 ms +- 10 ms" case), both directions.
  int network_delay_ms = 0;
  int device_period_ms = 5;       // a low-latency sound card
  double seconds = 30;            // measured, after the warm-up
  double warmup_s = 15;           // the adaptive playout settles in 10-15 s on a clean link
  int window_ms = 300;            // searched for each chirp after its injection
  bool voice_processing = false;  // on: the console defaults (AEC, NS, tones)
  int bitrate = 32000;
  std::uint64_t seed = 1;  // relay randomness
  OutputFormat format = OutputFormat::kText;
  std::string json_file;
  std::string trace_file;  // non-empty: CSV of the callee's playout statistics every 100 ms  //
                           // non-empty: also append the JSON object to this file
  // > 0: exit 1 unless every chirp is found and the median is below this (smoke test).
  double assert_median_below_ms = 0;
};

ProbeOptions parse_probe_options(int argc, char** argv);

}  // namespace hotline::bench
