#include "tests/support/signal_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <optional>
#include <sstream>
#include <vector>

namespace hotline::test {
namespace {

constexpr std::size_t kWindow = 480;  // 10 ms
constexpr std::size_t kHop = 48;      // 1 ms
constexpr std::size_t kSecond = 48000;
constexpr int kMaxLateSamples = 48000;
constexpr int kDelayChangeSamples = 30 * 48;

std::vector<double> envelope(std::span<const std::int16_t> x) {
  std::vector<double> env;
  if (x.size() < kWindow) return env;
  std::vector<double> prefix(x.size() + 1, 0.0);  // running sum of squares
  for (std::size_t i = 0; i < x.size(); ++i) {
    prefix[i + 1] = prefix[i] + static_cast<double>(x[i]) * static_cast<double>(x[i]);
  }
  for (std::size_t start = 0; start + kWindow <= x.size(); start += kHop) {
    env.push_back(std::sqrt((prefix[start + kWindow] - prefix[start]) / kWindow));
  }
  return env;
}

// Pearson correlation of ref[i] with rec[i + lag] over the overlap; NaN when the overlap is
// too short or flat.
double correlation_at(std::span<const double> ref, std::span<const double> rec, long lag,
                      std::size_t min_overlap) {
  const long begin = std::max(0L, -lag);
  const long end = std::min(static_cast<long>(ref.size()), static_cast<long>(rec.size()) - lag);
  if (end - begin < static_cast<long>(min_overlap)) return std::numeric_limits<double>::quiet_NaN();
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (long i = begin; i < end; ++i) {
    const double a = ref[static_cast<std::size_t>(i)];
    const double b = rec[static_cast<std::size_t>(i + lag)];
    sa += a;
    sb += b;
    saa += a * a;
    sbb += b * b;
    sab += a * b;
  }
  const double n = static_cast<double>(end - begin);
  const double cov = sab - sa * sb / n;
  const double va = saa - sa * sa / n;
  const double vb = sbb - sb * sb / n;
  if (va <= 1e-9 * n || vb <= 1e-9 * n) return std::numeric_limits<double>::quiet_NaN();
  return cov / std::sqrt(va * vb);
}

double variance(std::span<const double> x) {
  if (x.empty()) return 0.0;
  double sum = 0, sum_sq = 0;
  for (const double v : x) {
    sum += v;
    sum_sq += v * v;
  }
  const double n = static_cast<double>(x.size());
  return std::max(0.0, sum_sq / n - (sum / n) * (sum / n));
}

}  // namespace

std::vector<SegmentAlignment> align_segments(std::span<const std::int16_t> reference,
                                             std::span<const std::int16_t> recorded,
                                             std::size_t segment_samples, int max_lag_samples) {
  const std::vector<double> ref = envelope(reference);
  const std::vector<double> rec = envelope(recorded);
  const std::size_t length = segment_samples / kHop;
  std::vector<SegmentAlignment> out;
  if (ref.empty() || rec.empty() || length < 2) return out;
  // A pause is a segment whose loudness varies by less than a tenth of the whole reference's.
  const double flat = 0.01 * variance(ref);
  const long max_lag = std::max(0, max_lag_samples) / static_cast<long>(kHop);
  // The last segment may be shorter (down to half), since the envelope is a window shorter.
  for (std::size_t begin = 0; begin + length / 2 <= ref.size(); begin += length) {
    const std::span<const double> segment(ref.data() + begin, std::min(length, ref.size() - begin));
    if (variance(segment) <= flat) continue;
    SegmentAlignment found{begin * kHop, {}};
    found.alignment.correlation = -2.0;
    for (long lag = -max_lag; lag <= max_lag; ++lag) {
      const long at = static_cast<long>(begin) + lag;
      if (at < 0 || at + static_cast<long>(segment.size()) > static_cast<long>(rec.size())) {
        continue;
      }
      const auto heard =
          std::span<const double>(rec).subspan(static_cast<std::size_t>(at), segment.size());
      const double c = correlation_at(segment, heard, 0, segment.size());
      if (!std::isnan(c) && c > found.alignment.correlation) {
        found.alignment = {static_cast<int>(lag * static_cast<long>(kHop)), c};
      }
    }
    if (found.alignment.correlation < -1.5) found.alignment = {};  // nowhere in the recording
    out.push_back(found);
  }
  return out;
}

SpeechScore score_speech(std::span<const std::int16_t> speech,
                         std::span<const std::int16_t> recording, double threshold) {
  const auto seconds = align_segments(speech, recording, kSecond, kMaxLateSamples);
  std::vector<std::optional<int>> carried_lag(seconds.size());
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    const Alignment& a = seconds[i].alignment;
    if (a.correlation > threshold && a.lag_samples > 0) carried_lag[i] = a.lag_samples;
  }
  SpeechScore score;
  score.seconds = seconds.size();
  std::ostringstream table;
  std::optional<int> before;
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    table << "second " << seconds[i].begin_sample / kSecond << ": lag "
          << seconds[i].alignment.lag_samples << ", correlation "
          << seconds[i].alignment.correlation;
    if (carried_lag[i]) {
      ++score.carried;
      before = carried_lag[i];
      table << "\n";
      continue;
    }
    std::optional<int> after;
    for (std::size_t j = i + 1; j < seconds.size() && !after; ++j) after = carried_lag[j];
    const bool excused = !before || !after || std::abs(*after - *before) >= kDelayChangeSamples;
    if (!excused) ++score.unexplained;
    table << (excused ? " (not carried, excused)\n" : " (NOT CARRIED)\n");
  }
  score.table = table.str();
  return score;
}

Alignment align_envelopes(std::span<const std::int16_t> reference,
                          std::span<const std::int16_t> recorded, int max_lag_samples) {
  const std::vector<double> ref = envelope(reference);
  const std::vector<double> rec = envelope(recorded);
  if (ref.empty() || rec.empty()) return {};
  const std::size_t min_overlap = std::max<std::size_t>(1, std::min(ref.size(), rec.size()) / 2);
  const long max_lag = std::max(0, max_lag_samples) / static_cast<long>(kHop);

  std::vector<double> corr(static_cast<std::size_t>(2 * max_lag + 1));
  long best = 0;
  double best_corr = -2.0;
  for (long lag = -max_lag; lag <= max_lag; ++lag) {
    const double c = correlation_at(ref, rec, lag, min_overlap);
    corr[static_cast<std::size_t>(lag + max_lag)] = c;
    if (!std::isnan(c) && c > best_corr) {
      best_corr = c;
      best = lag;
    }
  }
  if (best_corr < -1.5) return {};

  double refined = static_cast<double>(best);
  if (best > -max_lag && best < max_lag) {
    const double l = corr[static_cast<std::size_t>(best - 1 + max_lag)];
    const double r = corr[static_cast<std::size_t>(best + 1 + max_lag)];
    const double denom = l - 2.0 * best_corr + r;
    if (!std::isnan(l) && !std::isnan(r) && denom < 0.0) {
      refined += std::clamp(0.5 * (l - r) / denom, -0.5, 0.5);
    }
  }
  return {static_cast<int>(std::lround(refined * kHop)), best_corr};
}

double rms_dbfs(std::span<const std::int16_t> samples) {
  double sum = 0.0;
  for (const std::int16_t s : samples) sum += static_cast<double>(s) * static_cast<double>(s);
  if (sum == 0.0) return -std::numeric_limits<double>::infinity();
  return 20.0 * std::log10(std::sqrt(sum / static_cast<double>(samples.size())) / 32768.0);
}

std::vector<std::int16_t> speech_like(std::size_t samples, std::uint32_t seed) {
  // xorshift32: std:: distributions are not specified bit-exactly across library versions.
  std::uint32_t state = seed * 2654435761u + 1u;
  auto uniform = [&state] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return static_cast<double>(state) / 4294967296.0;
  };
  constexpr double kRate = 48000.0;
  std::vector<std::int16_t> out(samples, 0);
  double phase = 0.0;
  std::size_t pos = static_cast<std::size_t>(uniform() * 0.05 * kRate);
  while (pos < samples) {
    const auto length = static_cast<std::size_t>((0.08 + 0.22 * uniform()) * kRate);
    const double f_start = 100.0 + 120.0 * uniform();
    const double f_end = 100.0 + 120.0 * uniform();
    const double level = 0.25 + 0.25 * uniform();
    for (std::size_t i = 0; i < length && pos + i < samples; ++i) {
      const double t = static_cast<double>(i) / static_cast<double>(length);
      const double f0 = f_start + (f_end - f_start) * t;
      phase += f0 / kRate;
      phase -= std::floor(phase);
      const double env = std::sin(std::numbers::pi * t);  // smooth attack and decay
      double v = 0.0;
      const int harmonics = static_cast<int>(4000.0 / f0);
      for (int k = 1; k <= harmonics; ++k) {
        v += std::sin(2.0 * std::numbers::pi * k * phase) / k;
      }
      out[pos + i] = static_cast<std::int16_t>(
          std::lrint(std::clamp(v * 0.55 * level * env * 32767.0, -32767.0, 32767.0)));
    }
    pos += length + static_cast<std::size_t>((0.03 + 0.15 * uniform()) * kRate);
  }
  return out;
}

}  // namespace hotline::test
