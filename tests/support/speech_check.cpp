#include "tests/support/speech_check.hpp"

#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

#include "tests/support/signal_compare.hpp"
#include "tests/support/test_console.hpp"

namespace hotline::test {

namespace {

constexpr std::size_t kSecond = 48000;
constexpr int kMaxLateSamples = 48000;
constexpr int kDelayChangeSamples = 30 * 48;

}  // namespace

void wait_until_heard(TestConsole& listener, call::CallId id, const audio::PcmBuffer& speech) {
  const std::uint64_t frames = speech.samples.size() / 960 + 50;
  eventually(
      [&] {
        const auto now = listener.engine().call_stats(id);
        return now && now->media.voice_packets_received >= frames;
      },
      speech.duration() + std::chrono::seconds(20), "the listener to receive the sentence");
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

SpeechScore check_speech_carried(std::span<const std::int16_t> speech,
                                 std::span<const std::int16_t> recording, double threshold) {
  const SpeechScore score = score_speech(speech, recording, threshold);
  INFO(score.table);
  REQUIRE(score.seconds >= 2);
  CHECK(score.unexplained == 0);
  CHECK(score.carried * 3 >= score.seconds * 2);
  return score;
}

}  // namespace hotline::test
