#include "tests/support/speech_check.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <optional>
#include <vector>

#include "tests/support/signal_compare.hpp"
#include "tests/support/test_console.hpp"

namespace hotline::test {

void wait_until_heard(TestConsole& listener, call::CallId id, const audio::PcmBuffer& speech) {
  const std::uint64_t frames = speech.samples.size() / 960 + 50;
  eventually(
      [&] {
        const auto now = listener.engine().call_stats(id);
        return now && now->media.voice_packets_received >= frames;
      },
      speech.duration() + std::chrono::seconds(20), "the listener to receive the sentence");
}

void check_speech_carried(std::span<const std::int16_t> speech,
                          std::span<const std::int16_t> recording, double threshold) {
  const auto seconds = align_segments(speech, recording, 48000, 48000);
  REQUIRE(seconds.size() >= 2);
  std::vector<std::optional<int>> carried_lag(seconds.size());
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    const Alignment& a = seconds[i].alignment;
    UNSCOPED_INFO("second at " << seconds[i].begin_sample / 48000 << ": lag " << a.lag_samples
                               << ", correlation " << a.correlation);
    if (a.correlation > threshold && a.lag_samples > 0) carried_lag[i] = a.lag_samples;
  }
  std::optional<int> before;
  std::size_t carried = 0;
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    if (carried_lag[i]) {
      // No check that the delays only grow: the second a stall falls in can match somewhere
      // else as well as its neighbours do.
      ++carried;
      before = carried_lag[i];
      continue;
    }
    const auto after = std::find_if(carried_lag.begin() + static_cast<std::ptrdiff_t>(i),
                                    carried_lag.end(), [](const auto& l) { return l.has_value(); });
    INFO("second " << i << " was not carried");
    REQUIRE(before.has_value());
    REQUIRE(after != carried_lag.end());
    CHECK(std::abs(**after - *before) >= 480);
  }
  CHECK(carried * 3 >= seconds.size() * 2);
}

}  // namespace hotline::test
