#pragma once
// Compares what came out of an audio path with what went in, in a way that survives codecs,
// concealment and resampling: the waveforms differ, the loudness envelope does not.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hotline::test {

struct Alignment {
  int lag_samples = 0;       // recorded[n + lag] corresponds to reference[n]
  double correlation = 0.0;  // normalised (Pearson) correlation of the envelopes, -1..1
};

// Envelope: RMS over 10 ms windows every 1 ms, 48 kHz input. Lags in [-max_lag, max_lag] are
// searched with at least half of the shorter envelope overlapping; the peak is refined to
// sub-millisecond precision by parabolic interpolation. Empty or constant input gives
// correlation 0.
Alignment align_envelopes(std::span<const std::int16_t> reference,
                          std::span<const std::int16_t> recorded, int max_lag_samples);

// The same comparison one segment of the reference at a time, so that a recording whose delay
// changed part-way (a stalled device, a jitter buffer that grew) is still scored on its
// content: each segment of `segment_samples` is aligned on its own within
// [-max_lag, max_lag] and must lie wholly inside the recording at that lag (the last segment
// may be as short as half of `segment_samples`). Segments whose envelope is nearly flat
// (pauses) are skipped, since any lag fits them.
struct SegmentAlignment {
  std::size_t begin_sample = 0;  // where the segment starts in the reference
  Alignment alignment;
};
std::vector<SegmentAlignment> align_segments(std::span<const std::int16_t> reference,
                                             std::span<const std::int16_t> recorded,
                                             std::size_t segment_samples, int max_lag_samples);

// Each second of `speech` (pauses skipped) aligned on its own in `recording`, searched up
// to 1 s late: a longer mouth-to-ear delay is a failure, and a wider search lets unrelated
// speech match by chance (up to 0.85 within 3 s). A second is carried when its envelope
// correlation exceeds `threshold`. On a loaded machine a stalled process grows the playout
// delay part-way through, which spoils the second it happens in; a second not carried is
// excused when it sits where the delay changed, between carried seconds whose delays differ
// by 30 ms or more (more than the playout's ±1 % steering and one stretched frame move it in
// a second), or when no carried second precedes or follows it.
struct SpeechScore {
  std::size_t seconds = 0;      // seconds scored
  std::size_t carried = 0;      // above the threshold
  std::size_t unexplained = 0;  // neither carried nor excused
  std::string table;            // per second: lag, correlation, verdict

  // The verdict: at least two seconds scored, at most `unexplained_allowed` unexplained, two
  // thirds carried.
  bool passed(std::size_t unexplained_allowed = 0) const {
    return seconds >= 2 && unexplained <= unexplained_allowed && carried * 3 >= seconds * 2;
  }
};
SpeechScore score_speech(std::span<const std::int16_t> speech,
                         std::span<const std::int16_t> recording, double threshold);

// RMS level relative to a full-scale square wave (a full-scale sine is -3 dBFS); digital
// silence and empty input give -infinity.
double rms_dbfs(std::span<const std::int16_t> samples);

// Deterministic stand-in for speech at 48 kHz: harmonic "syllables" (gliding 100..220 Hz
// fundamental, harmonics to 4 kHz) of 80..300 ms separated by short pauses, peaking near
// -6 dBFS. Same seed, same samples, on every platform.
std::vector<std::int16_t> speech_like(std::size_t samples, std::uint32_t seed);

}  // namespace hotline::test
