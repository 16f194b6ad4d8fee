#pragma once
// What one hotline-delay-probe run measured, and how it is printed: text for people, one JSON
// object (also appended to --json-file), or one row of the Markdown table in
// docs/performance.md.

#include <cstdint>
#include <vector>

#include "core/audio/clocked_device.hpp"
#include "core/call/call_stats.hpp"
#include "tests/bench/chirp_match.hpp"
#include "tests/bench/pipeline_parts.hpp"
#include "tests/bench/probe_options.hpp"

namespace hotline::bench {

struct ProbeResult {
  DelaySummary summary;
  std::vector<ChirpMatch> matches;
  call::CallStats at_warmup;  // the callee's statistics when measuring starts
  call::CallStats at_end;     // and when it ends
  audio::ClockedDeviceStats mouth;
  audio::ClockedDeviceStats ear;
  audio::ClockedDeviceStats ear_at_warmup;
  std::uint64_t stamps_dropped = 0;
  StageDelay codec;  // algorithmic delays, measured offline
  StageDelay resampler;
  StageDelay processing;
};

void print_result(const ProbeOptions& options, const ProbeResult& result);

}  // namespace hotline::bench
