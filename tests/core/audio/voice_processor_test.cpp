#include "core/audio/voice_processor.hpp"

#include <algorithm>
#include <array>
#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/audio/wav.hpp"
#include "core/util/error.hpp"
#include "tests/support/signal_compare.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::audio;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kFrame = 960;  // the engine's 20-ms Opus frame
constexpr std::size_t kSecond = 48000;
constexpr std::size_t kRingDelay = 960 + 480;  // true playback_queued + capture_backlog
constexpr std::size_t kConverged = 3 * kSecond;

std::vector<std::int16_t> speech(std::size_t samples, double gain = 1.0) {
  const PcmBuffer pcm = read_wav(test::data_file("speech-16k.wav"));
  REQUIRE(!pcm.samples.empty());
  std::vector<std::int16_t> out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    out[i] = static_cast<std::int16_t>(
        std::lrint(gain * static_cast<double>(pcm.samples[i % pcm.samples.size()])));
  }
  return out;
}

// White noise with the given RMS level, reproducible (xorshift32).
std::vector<std::int16_t> noise(std::size_t samples, double rms_dbfs, std::uint32_t seed) {
  const double half_width = std::sqrt(3.0) * 32768.0 * std::pow(10.0, rms_dbfs / 20.0);
  std::uint32_t state = seed * 2654435761u + 1u;
  std::vector<std::int16_t> out(samples);
  for (auto& s : out) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    const double u = static_cast<double>(state) / 4294967296.0 * 2.0 - 1.0;
    s = static_cast<std::int16_t>(std::lrint(u * half_width));
  }
  return out;
}

struct Tap {
  std::size_t delay;
  double gain;
};
// A small room: 40 ms from speaker to microphone, direct path at -6 dB and a few reflections.
constexpr std::array<Tap, 5> kEchoPath{
    {{1920, 0.5}, {2064, -0.2}, {2400, 0.12}, {2976, -0.07}, {3840, 0.04}}};

// What the microphone hears when played[i] (everything the engine wrote, in order) leaves the
// speaker at mic time i + ring_delay, plus whatever else is in the room.
std::vector<std::int16_t> microphone(const std::vector<std::int16_t>& played, std::size_t samples,
                                     const std::vector<std::int16_t>& room_sound,
                                     std::size_t ring_delay) {
  std::vector<std::int16_t> mic(samples);
  for (std::size_t s = 0; s < samples; ++s) {
    double v = s < room_sound.size() ? room_sound[s] : 0.0;
    for (const Tap& tap : kEchoPath) {
      const std::size_t lag = ring_delay + tap.delay;
      if (s >= lag && s - lag < played.size()) v += tap.gain * played[s - lag];
    }
    mic[s] = static_cast<std::int16_t>(std::lrint(std::clamp(v, -32768.0, 32767.0)));
  }
  return mic;
}

struct Report {
  std::size_t capture_backlog;
  std::size_t playback_queued;
};

// Runs the engine loop: per frame, write the next far-end frame (plus `extra` samples of
// silence once, at frame `extra_at`), then process one mic frame with the ring levels `report`
// gives. The device plays everything written `ring_delay` samples after capturing alongside.
struct Run {
  std::vector<std::int16_t> mic;
  std::vector<std::int16_t> out;
};
Run run_engine(VoiceProcessor& vp, const std::vector<std::int16_t>& far,
               const std::vector<std::int16_t>& room_sound, std::size_t frames,
               const std::function<Report(std::size_t frame)>& report, std::size_t extra = 0,
               std::size_t extra_at = 0, std::size_t ring_delay = kRingDelay) {
  std::vector<std::int16_t> played;  // the far end as the playback ring sees it
  for (std::size_t f = 0; f < frames; ++f) {
    if (f == extra_at && extra > 0) played.insert(played.end(), extra, std::int16_t{0});
    played.insert(played.end(), far.begin() + static_cast<std::ptrdiff_t>(f * kFrame),
                  far.begin() + static_cast<std::ptrdiff_t>((f + 1) * kFrame));
  }
  Run run;
  run.mic = microphone(played, frames * kFrame, room_sound, ring_delay);
  run.out = run.mic;
  std::size_t written = 0;
  for (std::size_t f = 0; f < frames; ++f) {
    const std::size_t n = kFrame + (f == extra_at ? extra : 0);
    vp.on_playback(std::span(played).subspan(written, n));
    written += n;
    const Report r = report(f);
    vp.process_capture(std::span(run.out).subspan(f * kFrame, kFrame), r.capture_backlog,
                       r.playback_queued);
  }
  return run;
}

double erle_db(const Run& run, std::size_t from) {
  double mic = 0, out = 0;
  for (std::size_t i = from; i < run.mic.size(); ++i) {
    mic += static_cast<double>(run.mic[i]) * run.mic[i];
    out += static_cast<double>(run.out[i]) * run.out[i];
  }
  return 10.0 * std::log10(mic / std::max(out, 1.0));
}

// The device period splits the (constant) true delay differently between the rings each call.
Report consistent(std::size_t frame) {
  const std::size_t backlog = (frame * 7 % 3) * 240;
  return {backlog, kRingDelay - backlog};
}

constexpr VoiceOptions kAecOnly{.echo_cancellation = true, .noise_suppression = false};
constexpr VoiceOptions kNothing{.echo_cancellation = false, .noise_suppression = false};
constexpr double kErleThreshold = 11.0;  // measured 21.6 dB with AEC alone (3..10 s)

}  // namespace

TEST_CASE("voice processor rejects bad settings and reports its options", "[voice]") {
  CHECK_THROWS_AS(VoiceProcessor(VoiceOptions{}, 5ms), Error);
  CHECK_THROWS_AS(VoiceProcessor(VoiceOptions{}, 2000ms), Error);
  VoiceProcessor vp(
      VoiceOptions{.echo_cancellation = true, .noise_suppression = false, .agc = true});
  CHECK(vp.echo_cancellation());
  CHECK_FALSE(vp.noise_suppression());
  CHECK(vp.agc());
  CHECK(vp.echo_tail() == 200ms);
  std::vector<std::int16_t> block(500);
  CHECK_THROWS_AS(vp.process_capture(block, 0, 0), Error);
  block.resize(960);
  vp.process_capture(block, 0, 0);
  CHECK(vp.blocks_processed() == 2);
  const VoiceProcessor off(kNothing, 100ms);
  CHECK_FALSE(off.echo_cancellation());
  CHECK_FALSE(off.noise_suppression());
  CHECK(off.echo_tail() == 100ms);
}

TEST_CASE("voice processor cancels far-end echo", "[voice]") {
  const std::size_t frames = 10 * kSecond / kFrame;
  const auto far = speech(frames * kFrame);
  const auto room = noise(frames * kFrame, -65.0, 1);

  VoiceProcessor aec(kAecOnly);
  const Run with_aec = run_engine(aec, far, room, frames, consistent);
  const double erle = erle_db(with_aec, kConverged);
  WARN("ERLE, AEC alone: " << erle << " dB");
  CHECK(erle > kErleThreshold);
  CHECK(aec.realignments() == 0);
  CHECK(aec.reference_delay_samples() == kRingDelay);

  VoiceProcessor full(VoiceOptions{});
  const double full_erle = erle_db(run_engine(full, far, room, frames, consistent), kConverged);
  WARN("ERLE, AEC + noise/residual-echo suppression: " << full_erle << " dB");
  CHECK(full_erle > erle);

  VoiceProcessor off(kNothing);
  const double off_erle = erle_db(run_engine(off, far, room, frames, consistent), kConverged);
  CHECK(std::abs(off_erle) < 3.0);
}

TEST_CASE("voice processor keeps cancelling when the ring levels jitter", "[voice]") {
  const std::size_t frames = 10 * kSecond / kFrame;
  const auto far = speech(frames * kFrame);
  const auto room = noise(frames * kFrame, -65.0, 2);
  std::uint32_t rng = 99;
  auto jittery = [&rng](std::size_t) {
    rng = rng * 1664525u + 1013904223u;
    const std::size_t delay = kRingDelay - 240 + (rng >> 8) % 481;  // ±240 around the truth
    rng = rng * 1664525u + 1013904223u;
    const std::size_t backlog = (rng >> 8) % 481;
    return Report{backlog, delay - backlog};
  };
  VoiceProcessor aec(kAecOnly);
  const Run run = run_engine(aec, far, room, frames, jittery);
  const double erle = erle_db(run, kConverged);
  WARN("ERLE with ±5 ms alignment jitter: " << erle << " dB, " << aec.realignments()
                                            << " realignment(s)");
  CHECK(erle > kErleThreshold);
  CHECK(aec.realignments() <= 1);  // at most the first measurement's jitter is corrected
  CHECK(aec.reference_delay_samples() >= kRingDelay - 240);
  CHECK(aec.reference_delay_samples() <= kRingDelay);
}

TEST_CASE("voice processor cancels echo behind a playback queue longer than the tail", "[voice]") {
  // 300 ms queued for playback: without alignment the echo would lie outside the 200 ms tail.
  constexpr std::size_t kDeepQueue = 300 * 48;
  const std::size_t frames = 10 * kSecond / kFrame;
  const auto far = speech(frames * kFrame);
  const auto room = noise(frames * kFrame, -65.0, 6);
  auto report = [](std::size_t f) {
    const std::size_t backlog = (f % 2) * 480;
    return Report{backlog, kDeepQueue - backlog};
  };
  VoiceProcessor aec(kAecOnly);
  const double erle =
      erle_db(run_engine(aec, far, room, frames, report, 0, 0, kDeepQueue), kConverged);
  WARN("ERLE behind a 300 ms playback queue: " << erle << " dB");
  CHECK(erle > kErleThreshold);
  CHECK(aec.reference_delay_samples() == kDeepQueue);
}

TEST_CASE("voice processor follows a lasting change of the playback queue", "[voice]") {
  const std::size_t frames = 12 * kSecond / kFrame;
  const auto far = speech(frames * kFrame);
  const auto room = noise(frames * kFrame, -65.0, 3);
  // At 4 s the engine queues 50 ms of extra silence (say the jitter buffer grew): from then
  // on every far-end sample waits 2400 samples longer in the playback ring.
  constexpr std::size_t kExtra = 2400;
  constexpr std::size_t kAt = 4 * kSecond / kFrame;
  auto report = [](std::size_t f) {
    const Report r = consistent(f);
    return f >= kAt ? Report{r.capture_backlog, r.playback_queued + kExtra} : r;
  };
  VoiceProcessor aec(kAecOnly);
  const Run run = run_engine(aec, far, room, frames, report, kExtra, kAt);
  CHECK(aec.realignments() == 1);
  CHECK(aec.reference_delay_samples() == kRingDelay + kExtra);
  const double erle = erle_db(run, frames * kFrame - kConverged);
  WARN("ERLE in the last 3 s after the queue grew: " << erle << " dB");
  CHECK(erle > kErleThreshold);
}

TEST_CASE("voice processor passes near-end speech through when the far end is silent", "[voice]") {
  const std::size_t frames = 8 * kSecond / kFrame;
  const std::vector<std::int16_t> silence(frames * kFrame, 0);
  auto near = speech(frames * kFrame, 0.7);
  const auto hiss = noise(frames * kFrame, -65.0, 4);
  for (std::size_t i = 0; i < near.size(); ++i)
    near[i] = static_cast<std::int16_t>(near[i] + hiss[i]);

  VoiceProcessor vp(VoiceOptions{});
  const Run run = run_engine(vp, silence, near, frames, consistent);
  const auto in = std::span(run.mic).subspan(kSecond);
  const auto out = std::span(run.out).subspan(kSecond);
  const test::Alignment a = test::align_envelopes(in, out, 4800);
  const double level_change = test::rms_dbfs(out) - test::rms_dbfs(in);
  WARN("near-end through AEC+NS: envelope correlation " << a.correlation << ", level change "
                                                        << level_change << " dB");
  CHECK(a.correlation > 0.95);
  CHECK(std::abs(a.lag_samples - 480) < 96);  // the preprocessor's overlap-add: one block
  CHECK(std::abs(level_change) < 2.0);
}

TEST_CASE("voice processor suppresses steady background noise only when asked", "[voice]") {
  const std::size_t frames = 6 * kSecond / kFrame;
  const std::vector<std::int16_t> silence(frames * kFrame, 0);
  const auto hiss = noise(frames * kFrame, -40.0, 5);
  auto attenuation = [&](const VoiceOptions& options) {
    VoiceProcessor vp(options);
    const Run run = run_engine(vp, silence, hiss, frames, consistent);
    return test::rms_dbfs(std::span(run.mic).subspan(2 * kSecond)) -
           test::rms_dbfs(std::span(run.out).subspan(2 * kSecond));
  };
  const double with_ns = attenuation(VoiceOptions{});
  const double without_ns = attenuation(kAecOnly);
  WARN("-40 dBFS white noise attenuated by " << with_ns << " dB with NS, " << without_ns
                                             << " dB without");
  CHECK(with_ns > 10.0);
  CHECK(std::abs(without_ns) < 1.0);
}

TEST_CASE("voice processor AGC brings quiet and loud speech to one level", "[voice]") {
  const std::size_t frames = 10 * kSecond / kFrame;
  const std::vector<std::int16_t> silence(frames * kFrame, 0);
  auto level_after = [&](double input_dbfs, bool agc) {
    auto talk = speech(frames * kFrame);
    const double gain = std::pow(10.0, (input_dbfs - test::rms_dbfs(talk)) / 20.0);
    for (auto& s : talk) {
      s = static_cast<std::int16_t>(std::lrint(std::clamp(s * gain, -32768.0, 32767.0)));
    }
    VoiceProcessor vp(
        VoiceOptions{.echo_cancellation = false, .noise_suppression = false, .agc = agc});
    const Run run = run_engine(vp, silence, talk, frames, consistent);
    REQUIRE(std::abs(test::rms_dbfs(run.mic) - input_dbfs) < 0.5);
    return test::rms_dbfs(std::span(run.out).subspan(5 * kSecond));
  };
  const double raised = level_after(-35.0, true);
  const double lowered = level_after(-15.0, true);
  const double untouched = level_after(-35.0, false);
  WARN("AGC output: " << raised << " dBFS from -35 dBFS speech, " << lowered
                      << " dBFS from -15 dBFS");
  CHECK(raised > -35.0 + 8.0);
  CHECK(std::abs(raised + 22.0) < 4.0);
  CHECK(std::abs(lowered - raised) < 3.0);
  CHECK(std::abs(untouched + 35.0) < 0.5);
}
