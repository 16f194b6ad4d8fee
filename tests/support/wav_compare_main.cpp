// hotline-wav-compare: does a recording carry the reference speech? Compares loudness
// envelopes (tests/support/signal_compare.hpp), which survive codecs, resampling and
// concealment where waveforms do not.
// Usage: hotline-wav-compare REFERENCE.wav RECORDED.wav MIN_CORRELATION [MAX_LAG_SECONDS]
// Prints "correlation C lag L s reference R dBFS recorded D dBFS"; exits 0 when C reaches
// MIN_CORRELATION, 1 when it does not, 2 on a usage or file error.
//    or: hotline-wav-compare --seconds REFERENCE.wav RECORDED.wav MIN_CORRELATION
// Scores each second of the reference on its own (test::score_speech), so that a delay that
// changed part-way (an xrun, a stalled process) spoils one second rather than the whole
// recording. Prints a line per second and a summary "carried C of S seconds, U unexplained";
// exits 0 when the score passes (SpeechScore::passed), 1 when it does not, 2 on an error.
// Built with a sanitizer, it allows one unexplained second in ten, as the call tests do
// (tests/support/speech_check.cpp).
//    or: hotline-wav-compare --level RECORDED.wav [FROM_SECONDS [TO_SECONDS]]
// Prints "level D dBFS from F s to T s, median M dBFS": the RMS level of that part (default:
// all of it; an end past the recording stops at its end) and the median of its half-second
// pieces' levels, which one loud moment does not decide; exits 0, or 2 on a usage or file
// error.

#include <algorithm>
#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include "core/audio/wav.hpp"
#include "tests/support/realtime_check.hpp"
#include "tests/support/signal_compare.hpp"

namespace {

using namespace hotline;

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s REFERENCE.wav RECORDED.wav MIN_CORRELATION [MAX_LAG_SECONDS]\n"
               "   or: %s --seconds REFERENCE.wav RECORDED.wav MIN_CORRELATION\n"
               "   or: %s --level RECORDED.wav [FROM_SECONDS [TO_SECONDS]]\n",
               program, program, program);
  return 2;
}

int print_level(int argc, char** argv) {
  const audio::PcmBuffer recorded = audio::read_wav(argv[2]);
  const double length_s = static_cast<double>(recorded.samples.size()) / audio::kSampleRate;
  const double from_s = argc >= 4 ? std::stod(argv[3]) : 0.0;
  const double to_s = std::min(argc >= 5 ? std::stod(argv[4]) : length_s, length_s);
  if (!(from_s >= 0.0 && from_s < to_s)) {
    std::fprintf(stderr, "need 0 <= FROM_SECONDS < TO_SECONDS (the recording lasts %.3f s)\n",
                 length_s);
    return 2;
  }
  const auto first = static_cast<std::size_t>(from_s * audio::kSampleRate);
  const auto last = static_cast<std::size_t>(to_s * audio::kSampleRate);
  const auto part = std::span<const std::int16_t>(recorded.samples).subspan(first, last - first);
  std::vector<double> pieces;
  constexpr std::size_t kPiece = audio::kSampleRate / 2;
  for (std::size_t at = 0; at + kPiece <= part.size(); at += kPiece) {
    pieces.push_back(test::rms_dbfs(part.subspan(at, kPiece)));
  }
  if (pieces.empty()) pieces.push_back(test::rms_dbfs(part));
  std::sort(pieces.begin(), pieces.end());
  const std::size_t mid = pieces.size() / 2;
  const double median = pieces.size() % 2 ? pieces[mid] : (pieces[mid - 1] + pieces[mid]) / 2.0;
  std::printf("level %.1f dBFS from %.3f s to %.3f s, median %.1f dBFS\n", test::rms_dbfs(part),
              from_s, to_s, median);
  return 0;
}

int compare(int argc, char** argv) {
  const double threshold = std::stod(argv[3]);
  const double max_lag_s = argc == 5 ? std::stod(argv[4]) : 5.0;
  if (!(max_lag_s > 0.0 && max_lag_s <= 600.0)) {
    std::fprintf(stderr, "MAX_LAG_SECONDS must be in (0, 600]\n");
    return 2;
  }
  const audio::PcmBuffer reference = audio::read_wav(argv[1]);
  const audio::PcmBuffer recorded = audio::read_wav(argv[2]);
  const test::Alignment a = test::align_envelopes(reference.samples, recorded.samples,
                                                  static_cast<int>(max_lag_s * audio::kSampleRate));
  std::printf("correlation %.3f lag %.3f s reference %.1f dBFS recorded %.1f dBFS\n", a.correlation,
              static_cast<double>(a.lag_samples) / audio::kSampleRate,
              test::rms_dbfs(reference.samples), test::rms_dbfs(recorded.samples));
  return a.correlation >= threshold ? 0 : 1;
}

int compare_seconds(char** argv) {
  const double threshold = std::stod(argv[4]);
  const audio::PcmBuffer reference = audio::read_wav(argv[2]);
  const audio::PcmBuffer recorded = audio::read_wav(argv[3]);
  const test::SpeechScore score =
      test::score_speech(reference.samples, recorded.samples, threshold);
  const std::size_t allowed = test::kRealtimeJudged ? 0 : score.seconds / 10;
  std::printf("%scarried %zu of %zu seconds, %zu unexplained (%zu allowed)\n", score.table.c_str(),
              score.carried, score.seconds, score.unexplained, allowed);
  return score.passed(allowed) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc >= 2 ? argv[1] : "";
  const bool level = mode == "--level";
  const bool seconds = mode == "--seconds";
  if (level ? (argc < 3 || argc > 5) : seconds ? argc != 5 : (argc != 4 && argc != 5)) {
    return usage(argv[0]);
  }
  try {
    if (seconds) return compare_seconds(argv);
    return level ? print_level(argc, argv) : compare(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hotline-wav-compare: %s\n", e.what());
    return 2;
  }
}
