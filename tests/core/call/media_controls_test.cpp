// What officials hear around the voice itself: mute, the locally generated call-progress
// tones, and echo cancellation working through the engine's real media path (rings, device
// periods, Opus, the network).

#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "core/audio/clocked_device.hpp"
#include "core/audio/wav.hpp"
#include "tests/support/realtime_check.hpp"
#include "tests/support/signal_compare.hpp"
#include "tests/support/sim_network.hpp"
#include "tests/support/test_console.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using call::CallState;
using test::TestConsole;

namespace {

constexpr std::size_t kMs = 48;

// Starts two consoles that know each other directly.
void start_pair(TestConsole& a, TestConsole& b) {
  a.start();
  b.start();
  a.add_peer(b);
  b.add_peer(a);
}

// Level of each 100 ms window.
std::vector<double> window_levels(const std::vector<std::int16_t>& pcm) {
  std::vector<double> levels;
  for (std::size_t i = 0; i + 100 * kMs <= pcm.size(); i += 100 * kMs) {
    levels.push_back(test::rms_dbfs(std::span(pcm).subspan(i, 100 * kMs)));
  }
  return levels;
}

// Magnitude of one frequency in a block, relative to the block's energy (Goertzel).
double tone_share(std::span<const std::int16_t> pcm, double hz) {
  const double w = 2.0 * M_PI * hz / 48000.0;
  double s1 = 0, s2 = 0, energy = 0;
  for (const std::int16_t x : pcm) {
    const double s0 = x + 2.0 * std::cos(w) * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += static_cast<double>(x) * x;
  }
  const double power = s1 * s1 + s2 * s2 - 2.0 * std::cos(w) * s1 * s2;
  return energy > 0 ? power / (energy * static_cast<double>(pcm.size()) / 2.0) : 0.0;
}

// A room around one console: what its speaker plays comes back into its microphone 40 ms
// later at half amplitude, with a weaker reflection 10 ms after that. Both run on the device
// thread (the source fills before the sink consumes in each tick).
class EchoRoom {
 public:
  static constexpr std::size_t kDelay = 40 * kMs;
  static constexpr std::size_t kReflection = 50 * kMs;

  explicit EchoRoom(std::size_t samples) : played_(samples), heard_(samples) {}

  class Mic final : public audio::SampleSource {
   public:
    explicit Mic(EchoRoom& room) : room_(room) {}
    void fill(std::span<std::int16_t> out) override { room_.capture(out); }
    std::string description() const override { return "echo room microphone"; }

   private:
    EchoRoom& room_;
  };
  class Speaker final : public audio::SampleSink {
   public:
    explicit Speaker(EchoRoom& room) : room_(room) {}
    void consume(std::span<const std::int16_t> in) override { room_.play(in); }
    std::string description() const override { return "echo room speaker"; }

   private:
    EchoRoom& room_;
  };

  std::vector<std::int16_t> heard() const {
    std::lock_guard lock(mutex_);
    return std::vector<std::int16_t>(heard_.begin(), heard_.begin() + static_cast<long>(mic_));
  }

 private:
  void capture(std::span<std::int16_t> out) {
    std::lock_guard lock(mutex_);  // only shared with the test thread reading afterwards
    for (std::int16_t& s : out) {
      const double echo = 0.5 * at(mic_, kDelay) + 0.2 * at(mic_, kReflection);
      s = static_cast<std::int16_t>(std::lround(echo));
      if (mic_ < heard_.size()) heard_[mic_] = s;
      ++mic_;
    }
  }
  void play(std::span<const std::int16_t> in) {
    std::lock_guard lock(mutex_);
    for (const std::int16_t s : in) {
      if (speaker_ < played_.size()) played_[speaker_] = s;
      ++speaker_;
    }
  }
  double at(std::size_t index, std::size_t delay) const {
    if (index < delay || index - delay >= speaker_ || index - delay >= played_.size()) return 0;
    return played_[index - delay];
  }

  mutable std::mutex mutex_;
  std::vector<std::int16_t> played_;
  std::vector<std::int16_t> heard_;
  std::size_t speaker_ = 0;
  std::size_t mic_ = 0;
};

// Beijing talks; Singapore sits in an echoing room and says nothing. Returns the level of
// the echo at Singapore's microphone and of what came back to Beijing, over the last 5 s.
std::pair<double, double> echo_levels(bool echo_cancellation) {
  const auto speech = audio::read_wav(test::data_file("speech-16k.wav"));
  auto room = std::make_shared<EchoRoom>(48000 * 30);
  TestConsole a{"Beijing"};
  TestConsole b{"Singapore"};
  audio::VoiceOptions quiet_room;
  quiet_room.echo_cancellation = echo_cancellation;
  quiet_room.noise_suppression = false;  // the canceller alone is under test
  quiet_room.tones = false;
  b.set_voice(quiet_room);
  b.set_device_factory([room] {
    return std::make_shared<audio::ClockedDevice>(std::make_unique<EchoRoom::Mic>(*room),
                                                  std::make_unique<EchoRoom::Speaker>(*room));
  });
  a.set_play(speech);
  start_pair(a, b);
  const auto id = a.engine().call("Singapore", {});
  b.answer_incoming();
  a.wait_state(CallState::kConnected);
  std::this_thread::sleep_for(speech.duration() + 500ms);
  a.engine().hangup(id);
  a.wait_ended();
  b.wait_ended();
  const auto heard = room->heard();
  const auto returned = a.last_recording();
  const std::size_t span = 5 * 48000;
  REQUIRE(heard.size() > span + 48000);
  REQUIRE(returned.size() > span + 48000);
  // The last 5 s of speech, give or take the call's delay: well after the canceller converged.
  const auto tail = [span](const std::vector<std::int16_t>& v) {
    return std::span(v).subspan(v.size() - span - 24000, span);
  };
  return {test::rms_dbfs(tail(heard)), test::rms_dbfs(tail(returned))};
}

// A microphone that stops working after a while.
class DyingMic final : public audio::SampleSource {
 public:
  explicit DyingMic(std::size_t samples) : left_(samples) {}
  void fill(std::span<std::int16_t> out) override {
    if (left_ < out.size()) throw std::runtime_error("microphone unplugged");
    left_ -= out.size();
    for (std::int16_t& s : out) s = static_cast<std::int16_t>((phase_++ % 48) < 24 ? 3000 : -3000);
  }
  std::string description() const override { return "dying microphone"; }

 private:
  std::size_t left_;
  std::size_t phase_ = 0;
};

}  // namespace

TEST_CASE("a microphone failing mid-call is reported and the call goes on send-silent") {
  TestConsole a{"Beijing"};
  TestConsole b{"Singapore"};
  a.set_device_factory([] {
    return std::make_shared<audio::ClockedDevice>(std::make_unique<DyingMic>(2 * 48000),
                                                  std::make_unique<audio::MemorySink>(48000 * 20));
  });
  start_pair(a, b);
  const auto id = a.engine().call("Singapore", {});
  b.answer_incoming();
  a.wait_state(CallState::kConnected);
  const auto failed =
      a.wait_for([](const call::CallStats& s) { return !s.device_problem.empty(); });
  CHECK(failed.device_problem.find("microphone unplugged") != std::string::npos);
  CHECK_FALSE(failed.media.capture_ok);
  CHECK(failed.media.playback_ok);
  CHECK(failed.state == CallState::kConnected);
  std::this_thread::sleep_for(2s);
  a.engine().hangup(id);
  const auto end_a = a.wait_ended();
  const auto end_b = b.wait_ended();
  CHECK(end_a.end_reason == call::EndReason::kLocalHangup);
  // Beijing kept sending at the frame rate (silence after the failure) and kept receiving.
  CHECK_REALTIME(
      std::abs(static_cast<double>(end_a.media.voice_packets_sent) - end_a.duration_s * 50) < 15);
  CHECK(end_b.media.lost == 0);
  CHECK(end_a.media.voice_packets_received > 150);
  CHECK_REALTIME(end_a.media.concealment_events <= 1);
}

TEST_CASE("muting sends silence in frames of the same size at the same rate") {
  // In simulated time (tests/support/sim_network.hpp): the frame rate is then exact.
  test::SimNetwork net(3);
  test::SimConsole& a = net.add_console("Beijing");
  test::SimConsole& b = net.add_console("Singapore");
  a.add_peer(b);
  b.add_peer(a);
  a.set_play(audio::read_wav(test::data_file("speech-16k.wav")));
  a.start();
  b.start();
  const auto id = a.call("Singapore");
  const auto in_state = [](const test::SimConsole& c, CallState state) {
    return c.find([state](const call::CallStats& s) { return s.state == state; });
  };
  REQUIRE(net.run_until([&] { return in_state(b, CallState::kRinging).has_value(); }, 5s));
  b.answer(in_state(b, CallState::kRinging)->id);
  REQUIRE(net.run_until([&] { return in_state(a, CallState::kConnected).has_value(); }, 5s));
  net.run_for(2s);
  a.core().set_muted(id, true);
  net.run_for(3s);
  a.core().set_muted(id, false);
  net.run_for(2s);
  a.hangup(id);
  REQUIRE(net.run_until([&] { return a.ended() && b.ended(); }, 5s));
  const auto sent = *a.ended();
  const auto got = *b.ended();

  // Same packet size throughout and one packet per 20 ms, muted or not.
  REQUIRE(sent.media.voice_packets_sent > 0);
  CHECK(sent.media.voice_bytes_sent % sent.media.voice_packets_sent == 0);
  CHECK(std::abs(static_cast<double>(sent.media.voice_packets_sent) - sent.duration_s * 50) < 3);
  CHECK(got.media.lost == 0);

  // The far side heard speech, then a stretch of silence, then speech again.
  REQUIRE_FALSE(b.devices().empty());
  const auto levels = window_levels(b.devices().back()->recording());
  std::size_t longest_quiet = 0, quiet = 0, loud_before = 0, loud_after = 0;
  for (const double level : levels) {
    if (level < -60) {
      longest_quiet = std::max(longest_quiet, ++quiet);
    } else {
      quiet = 0;
      (longest_quiet >= 25 ? loud_after : loud_before) += level > -40 ? 1 : 0;
    }
  }
  CHECK(longest_quiet >= 25);  // 2.5 s of the 3 s muted; speech has no pauses that long
  CHECK(loud_before > 5);
  CHECK(loud_after > 5);
}

TEST_CASE("ringback and ring tones are generated locally while the call rings") {
  for (const bool tones : {true, false}) {
    TestConsole a{"Beijing"};
    TestConsole b{"Singapore"};
    audio::VoiceOptions voice;
    voice.tones = tones;
    a.set_voice(voice);
    b.set_voice(voice);
    start_pair(a, b);
    const auto id = a.engine().call("Singapore", {});
    a.wait_state(CallState::kRinging);
    std::this_thread::sleep_for(1200ms);  // let both sides ring for a while
    b.answer_incoming();
    a.wait_state(CallState::kConnected);
    std::this_thread::sleep_for(300ms);
    a.engine().hangup(id);
    a.wait_ended();
    b.wait_ended();
    const auto caller = a.last_recording();
    const auto callee = b.last_recording();
    CAPTURE(tones, caller.size(), callee.size());
    if (!tones) {
      // No device is opened until the call connects: nothing was played while it rang.
      CHECK(caller.size() < 48000);
      CHECK(callee.size() < 48000);
      continue;
    }
    REQUIRE(caller.size() > 48000);
    REQUIRE(callee.size() > 48000);
    const auto caller_ringing = std::span(caller).subspan(100 * kMs, 800 * kMs);
    const auto callee_ringing = std::span(callee).subspan(0, 400 * kMs);
    CAPTURE(test::rms_dbfs(caller_ringing), test::rms_dbfs(callee_ringing));
    CHECK_REALTIME(tone_share(caller_ringing, 425.0) > 0.8);  // ringback: 425 Hz, 1 s on
    CHECK(test::rms_dbfs(callee_ringing) > -30.0);            // the ring's first burst
    CHECK(tone_share(callee_ringing, 425.0) < 0.1);           // ... which sounds different
  }
}

TEST_CASE("echo cancellation keeps the far end's voice from coming back to it") {
  const auto [echo_off, returned_off] = echo_levels(false);
  const auto [echo_on, returned_on] = echo_levels(true);
  const double erle_off = echo_off - returned_off;
  const double erle_on = echo_on - returned_on;
  WARN("echo returned through a whole call: " << erle_off << " dB below the echo without AEC, "
                                              << erle_on << " dB with AEC");
  CHECK(erle_off < 3.0);  // Opus carries the echo back more or less intact
  CHECK_REALTIME(erle_on > erle_off + 10.0);
}
