// The Echo Test line: a call to it comes back through the whole pipeline, the caller's own
// voice about 1.5 s later.

#include "core/console/echo_line.hpp"

#include <catch2/catch_test_macros.hpp>
#include <thread>

#include "core/audio/delay_line.hpp"
#include "tests/support/realtime_check.hpp"
#include "tests/support/signal_compare.hpp"
#include "tests/support/test_console.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace std::chrono_literals;

TEST_CASE("a delay line gives back what it took, a fixed number of samples later") {
  audio::DelayLine line(5);
  std::vector<std::int16_t> in = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<std::int16_t> out(8);
  line.write(in);
  line.read(out);
  CHECK(out == std::vector<std::int16_t>{0, 0, 0, 0, 0, 1, 2, 3});
  line.write(in);
  line.read(out);
  CHECK(out == std::vector<std::int16_t>{4, 5, 6, 7, 8, 1, 2, 3});
}

TEST_CASE("calling the Echo Test line plays the caller's voice back 1.5 s later") {
  test::TestConsole official("Beijing");
  official.start();
  console::EchoLine echo(official.identity().public_key());
  official.add_entry(echo.peer_entry());
  const auto speech = audio::read_wav(test::data_file("speech-16k.wav"));
  official.set_play(speech);
  audio::VoiceOptions plain;
  plain.echo_cancellation = false;  // the recording is compared with what was played
  plain.noise_suppression = false;
  official.set_voice(plain);
  official.restart();

  const auto id = official.engine().call(console::kEchoTestPeer, {});
  const auto connected = official.wait_state(call::CallState::kConnected, 10s);
  CHECK(connected.peer == console::kEchoTestPeer);
  std::this_thread::sleep_for(speech.duration() + console::EchoLine::kDelay + 1s);
  official.engine().hangup(id);
  official.wait_ended();
  const auto heard = official.last_recording();
  const auto alignment = test::align_envelopes(speech.samples, heard, 3 * 48000);
  INFO("correlation " << alignment.correlation << ", lag " << alignment.lag_samples / 48.0
                      << " ms");
  CHECK(alignment.correlation > 0.8);
  // The line's 1.5 s, plus the way there and back through two jitter buffers and codecs.
  CHECK(alignment.lag_samples > 1500 * 48);
  CHECK_REALTIME(alignment.lag_samples < 1800 * 48);
}
