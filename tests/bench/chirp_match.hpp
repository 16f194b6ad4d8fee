#pragma once
// Finds each injected chirp in the far side's recording and turns the two sample positions
// into a delay, through the block stamps of the source and the sink.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tests/bench/timestamped_io.hpp"

namespace hotline::bench {

struct Peak {
  double position = 0;     // in `signal`, refined between samples by a parabola
  double correlation = 0;  // normalised, -1..1; 0 where the signal is silent
};

// Best match of `pattern` in `signal` by normalised cross-correlation.
Peak find_pattern(std::span<const std::int16_t> signal, std::span<const std::int16_t> pattern);

struct ChirpMatch {
  std::size_t chirp = 0;
  bool analysable = false;  // both ends were recorded far enough to look for it
  bool found = false;       // correlation peak >= the threshold
  double correlation = 0;
  double delay_ms = 0;  // heard minus injected, both on the steady clock
};

struct MatchConfig {
  std::size_t first_chirp = 0;
  std::size_t chirps = 0;
  double window_s = 0.3;  // searched after the injection time
  double threshold = 0.5;
};

std::vector<ChirpMatch> match_chirps(const TimestampedSource& source, const TimestampedSink& sink,
                                     const MatchConfig& config);

struct DelaySummary {
  std::size_t injected = 0;  // analysable chirps
  std::size_t found = 0;
  double lowest_correlation = 0;  // among the found ones
  double min_ms = 0;
  double median_ms = 0;
  double p95_ms = 0;  // nearest rank
  double max_ms = 0;
};

DelaySummary summarise(const std::vector<ChirpMatch>& matches);

}  // namespace hotline::bench
