#include "tests/bench/chirp_match.hpp"

#include <algorithm>
#include <cmath>

#include "core/audio/audio_format.hpp"

namespace hotline::bench {

Peak find_pattern(std::span<const std::int16_t> signal, std::span<const std::int16_t> pattern) {
  Peak best;
  if (pattern.empty() || signal.size() < pattern.size()) return best;
  double pattern_energy = 0;
  for (const std::int16_t p : pattern) pattern_energy += static_cast<double>(p) * p;
  const std::size_t lags = signal.size() - pattern.size() + 1;
  std::vector<double> r(lags, 0.0);
  double window_energy = 0;
  for (std::size_t n = 0; n < pattern.size(); ++n) {
    window_energy += static_cast<double>(signal[n]) * signal[n];
  }
  // Below about one LSB of RMS the window is silence, where the ratio means nothing.
  const double floor = static_cast<double>(pattern.size());
  std::size_t best_lag = 0;
  for (std::size_t lag = 0; lag < lags; ++lag) {
    if (lag > 0) {
      const double out = signal[lag - 1];
      const double in = signal[lag + pattern.size() - 1];
      window_energy = std::max(0.0, window_energy - out * out + in * in);
    }
    if (window_energy > floor && pattern_energy > 0) {
      double dot = 0;
      for (std::size_t n = 0; n < pattern.size(); ++n) {
        dot += static_cast<double>(signal[lag + n]) * pattern[n];
      }
      r[lag] = dot / std::sqrt(window_energy * pattern_energy);
    }
    if (r[lag] > r[best_lag]) best_lag = lag;
  }
  best.position = static_cast<double>(best_lag);
  best.correlation = r[best_lag];
  if (best_lag > 0 && best_lag + 1 < lags) {
    const double a = r[best_lag - 1];
    const double b = r[best_lag];
    const double c = r[best_lag + 1];
    const double denom = a - 2 * b + c;
    if (denom < 0) best.position += std::clamp(0.5 * (a - c) / denom, -0.5, 0.5);
  }
  return best;
}

std::vector<ChirpMatch> match_chirps(const TimestampedSource& source, const TimestampedSink& sink,
                                     const MatchConfig& config) {
  std::vector<ChirpMatch> matches;
  const auto recording = sink.recording();
  const std::span<const std::int16_t> chirp = source.chirp();
  for (std::size_t i = config.first_chirp; i < config.first_chirp + config.chirps; ++i) {
    ChirpMatch m;
    m.chirp = i;
    const auto start = static_cast<double>(source.chirp_start(i));
    const double injected_s = source.log().time_of(start);
    const bool played = source.produced() >= source.chirp_start(i) + chirp.size();
    const double from = sink.log().index_at(injected_s);
    const double to = sink.log().index_at(injected_s + config.window_s);
    const auto begin = static_cast<std::size_t>(std::floor(from));
    const auto end = static_cast<std::size_t>(std::ceil(to)) + chirp.size();
    m.analysable = played && injected_s >= 0 && end <= recording.size() &&
                   to - from >= 0.9 * config.window_s * audio::kSampleRate;
    if (m.analysable) {
      const Peak p = find_pattern(recording.subspan(begin, end - begin), chirp);
      m.correlation = p.correlation;
      m.found = p.correlation >= config.threshold;
      const double heard_s = sink.log().time_of(static_cast<double>(begin) + p.position);
      m.delay_ms = 1000.0 * (heard_s - injected_s);
    }
    matches.push_back(m);
  }
  return matches;
}

DelaySummary summarise(const std::vector<ChirpMatch>& matches) {
  DelaySummary s;
  std::vector<double> delays;
  s.lowest_correlation = 1.0;
  for (const ChirpMatch& m : matches) {
    if (!m.analysable) continue;
    ++s.injected;
    if (!m.found) continue;
    ++s.found;
    delays.push_back(m.delay_ms);
    s.lowest_correlation = std::min(s.lowest_correlation, m.correlation);
  }
  if (delays.empty()) {
    s.lowest_correlation = 0;
    return s;
  }
  std::sort(delays.begin(), delays.end());
  const auto rank = [&](double q) {
    const auto r = static_cast<std::size_t>(std::ceil(q * static_cast<double>(delays.size())));
    return delays[std::clamp<std::size_t>(r, 1, delays.size()) - 1];
  };
  s.min_ms = delays.front();
  s.max_ms = delays.back();
  const std::size_t n = delays.size();
  s.median_ms = n % 2 == 1 ? delays[n / 2] : 0.5 * (delays[n / 2 - 1] + delays[n / 2]);
  s.p95_ms = rank(0.95);
  return s;
}

}  // namespace hotline::bench
