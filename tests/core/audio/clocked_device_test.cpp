#include "core/audio/clocked_device.hpp"

#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cmath>
#include <thread>
#include <vector>

#include "core/util/error.hpp"
#include "tests/support/signal_compare.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::audio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

PcmBuffer ramp(std::size_t n) {
  PcmBuffer pcm;
  for (std::size_t i = 0; i < n; ++i)
    pcm.samples.push_back(static_cast<std::int16_t>(i % 30000 + 1));
  return pcm;
}

std::vector<std::int16_t> drain(SpscReader<std::int16_t> ring) {
  std::vector<std::int16_t> out(ring.available_read());
  out.resize(ring.read(out));
  return out;
}

// Fails once it has been asked for more than `limit` samples.
class ThrowingSource final : public SampleSource {
 public:
  explicit ThrowingSource(std::size_t limit) : limit_(limit) {}
  void fill(std::span<std::int16_t> out) override {
    if (given_ + out.size() > limit_) throw Error("microphone unplugged");
    std::fill(out.begin(), out.end(), std::int16_t{7});
    given_ += out.size();
  }
  std::string description() const override { return "throwing source"; }

 private:
  std::size_t limit_;
  std::size_t given_ = 0;
};

// Fails on its third call; counts calls in an atomic so a test can watch it from outside.
class ThrowingSink final : public SampleSink {
 public:
  void consume(std::span<const std::int16_t>) override {
    if (calls_.fetch_add(1) + 1 == 3) throw Error("disk full");
  }
  std::string description() const override { return "throwing sink"; }
  int calls() const { return calls_.load(); }

 private:
  std::atomic<int> calls_{0};
};

// Polls `done` until it holds or 10 s pass (a bound for a stuck device, not a timing check).
template <typename Done>
bool wait_for(Done done) {
  const auto give_up = Clock::now() + 10s;
  while (!done()) {
    if (Clock::now() > give_up) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace

TEST_CASE("clocked device moves samples at its clock rate, in order") {
  auto source = std::make_unique<PcmSource>(ramp(48000), "ramp");
  auto sink = std::make_unique<MemorySink>(48000);
  MemorySink* memory = sink.get();
  ClockedDevice dev(std::move(source), std::move(sink), {.max_catch_up = 10s});
  CHECK_THAT(dev.description(), Catch::Matchers::ContainsSubstring("ramp"));

  // Playback content queued before start comes out first, then zeros (counted underruns).
  std::vector<std::int16_t> queued(1000);
  for (std::size_t i = 0; i < queued.size(); ++i)
    queued[i] = static_cast<std::int16_t>(-1 - static_cast<int>(i));
  REQUIRE(dev.playback().write(queued) == queued.size());

  const Clock::time_point before_start = Clock::now();
  dev.start();
  const Clock::time_point after_start = Clock::now();
  std::this_thread::sleep_until(after_start + 300ms);
  const Clock::time_point before_stop = Clock::now();
  dev.stop();
  const Clock::time_point after_stop = Clock::now();

  // The device moves one period per 10 ms of its own clock between start() and stop(); the
  // bounds come from when those calls happened, so a slow machine cannot fail this.
  const auto period_samples = [](Clock::duration d) {
    return static_cast<std::int64_t>(
               std::chrono::duration_cast<std::chrono::microseconds>(d).count()) *
           48 / 1000;
  };
  const std::int64_t lo = period_samples(before_stop - after_start) - 480;
  const std::int64_t hi = period_samples(after_stop - before_start) + 480;
  const ClockedDeviceStats stats = dev.stats();
  CHECK(stats.clock_slips == 0);
  CHECK(static_cast<std::int64_t>(stats.samples) >= lo);
  CHECK(static_cast<std::int64_t>(stats.samples) <= hi);
  CHECK(stats.samples == stats.ticks * 480);
  CHECK(stats.capture_overrun_samples == 0);

  const std::vector<std::int16_t> captured = drain(dev.capture());
  REQUIRE(captured.size() == stats.samples);
  const PcmBuffer expected = ramp(captured.size());
  CHECK(captured == expected.samples);

  const std::vector<std::int16_t> played = memory->samples();
  REQUIRE(played.size() == stats.samples);
  CHECK(std::equal(queued.begin(), queued.end(), played.begin()));
  CHECK(std::all_of(played.begin() + 1000, played.end(), [](std::int16_t s) { return s == 0; }));
  CHECK(stats.playback_underrun_samples == stats.samples - 1000);
  CHECK(stats.playback_underruns >= stats.ticks - 3);
  // What a call's statistics see of the same device.
  const DeviceCounters counters = dev.counters();
  CHECK(counters.playback_underruns == stats.playback_underruns);
  CHECK(counters.capture_overruns == 0);
  CHECK(counters.host_xruns == 0);
}

TEST_CASE("clocked device counts the ticks whose capture did not fit") {
  auto source = std::make_unique<PcmSource>(ramp(48000), "ramp");
  ClockedDevice dev(std::move(source), std::make_unique<DiscardSink>(), {.max_catch_up = 10s});
  dev.start();
  // Nobody reads the microphone: once its ring is full, every tick overruns.
  REQUIRE(wait_for([&] { return dev.counters().capture_overruns >= 3; }));
  dev.stop();
  const ClockedDeviceStats stats = dev.stats();
  CHECK(stats.capture_overruns == dev.counters().capture_overruns);
  CHECK(stats.capture_overrun_samples >= stats.capture_overruns);
  CHECK(dev.capture().available_read() > 0);
}

TEST_CASE("clocked device restarts and keeps counting") {
  ClockedDevice dev(std::make_unique<SilenceSource>(), std::make_unique<DiscardSink>(),
                    {.period = 5ms, .max_catch_up = 10s});
  dev.start();
  dev.start();  // no-op
  std::this_thread::sleep_for(30ms);
  dev.stop();
  const auto first = dev.stats().samples;
  dev.stop();  // no-op
  dev.start();
  std::this_thread::sleep_for(30ms);
  dev.stop();
  CHECK(dev.stats().samples > first);
  CHECK(dev.stats().samples == dev.stats().ticks * 240);
}

TEST_CASE("clocked device clock-rate factor skews the sample count") {
  ClockedDevice dev(std::make_unique<SilenceSource>(), std::make_unique<DiscardSink>(),
                    {.clock_rate = 1.01, .max_catch_up = 10s});
  dev.start();
  std::this_thread::sleep_for(250ms);
  dev.stop();
  const auto stats = dev.stats();
  REQUIRE(stats.ticks >= 10);
  CHECK(stats.samples ==
        static_cast<std::uint64_t>(std::floor(static_cast<double>(stats.ticks) * 480 * 1.01)));
  CHECK(stats.samples > stats.ticks * 480);
}

TEST_CASE("clocked device records playback to a WAV sink") {
  test::TempDir dir;
  const auto path = dir.path() / "out.wav";
  ClockedDevice dev(std::make_unique<ToneSource>(1000.0, -6.0), std::make_unique<WavSink>(path),
                    {.max_catch_up = 10s});
  const auto tone = test::speech_like(4800, 9);
  REQUIRE(dev.playback().write(tone) == tone.size());
  dev.start();
  std::this_thread::sleep_for(150ms);
  dev.stop();
  const PcmBuffer recorded = read_wav(path);
  REQUIRE(recorded.samples.size() == dev.stats().samples);
  REQUIRE(recorded.samples.size() >= tone.size());
  CHECK(std::equal(tone.begin(), tone.end(), recorded.samples.begin()));
}

TEST_CASE("clocked device: a failing sink fails playback only") {
  auto sink = std::make_unique<ThrowingSink>();
  ThrowingSink* throwing = sink.get();
  ClockedDevice dev(std::make_unique<ToneSource>(1000.0, -6.0), std::move(sink),
                    {.period = 1ms, .max_catch_up = 10s});
  CHECK(dev.health().problem.empty());
  dev.start();
  REQUIRE(wait_for([&] { return dev.failed(); }));
  const DeviceHealth health = dev.health();
  CHECK(health.capture_ok);
  CHECK_FALSE(health.playback_ok);
  CHECK_THAT(health.problem, Catch::Matchers::ContainsSubstring("playback to throwing sink") &&
                                 Catch::Matchers::ContainsSubstring("disk full"));

  // Capture keeps flowing after the failure; the sink is not called again.
  const std::size_t captured_at_failure = dev.capture().available_read();
  CHECK(wait_for([&] { return dev.capture().available_read() > captured_at_failure + 4800; }));
  CHECK_NOTHROW(dev.stop());
  CHECK(throwing->calls() == 3);
  CHECK(dev.stats().ticks > 10);
  CHECK_FALSE(dev.health().playback_ok);  // stays failed
}

TEST_CASE("clocked device: a failing source fails capture only") {
  auto sink = std::make_unique<MemorySink>(48000);
  MemorySink* memory = sink.get();
  ClockedDevice dev(std::make_unique<ThrowingSource>(4800), std::move(sink),
                    {.period = 1ms, .max_catch_up = 10s});
  const auto tone = test::speech_like(24000, 3);
  REQUIRE(dev.playback().write(tone) == tone.size());
  dev.start();
  REQUIRE(wait_for([&] { return dev.failed(); }));
  const DeviceHealth health = dev.health();
  CHECK_FALSE(health.capture_ok);
  CHECK(health.playback_ok);
  CHECK_THAT(health.problem, Catch::Matchers::ContainsSubstring("capture from throwing source") &&
                                 Catch::Matchers::ContainsSubstring("microphone unplugged"));

  // Playback carries on to the end of what was queued; nothing more reaches the capture ring.
  CHECK(wait_for([&] { return dev.stats().samples > tone.size() + 4800; }));
  CHECK_NOTHROW(dev.stop());
  const std::vector<std::int16_t> captured = drain(dev.capture());
  CHECK(captured.size() == 4800);  // whole 1 ms ticks up to the limit, none after
  CHECK(std::all_of(captured.begin(), captured.end(), [](std::int16_t s) { return s == 7; }));
  const std::vector<std::int16_t> played = memory->samples();
  REQUIRE(played.size() >= tone.size());
  CHECK(std::equal(tone.begin(), tone.end(), played.begin()));
}

TEST_CASE("clocked device validates its options") {
  auto make = [](ClockedDeviceOptions o) {
    ClockedDevice dev(std::make_unique<SilenceSource>(), std::make_unique<DiscardSink>(), o);
  };
  CHECK_THROWS_AS(make({.period = 0ms}), Error);
  CHECK_THROWS_AS(make({.period = 200ms}), Error);
  CHECK_THROWS_AS(make({.clock_rate = 2.0}), Error);
  CHECK_THROWS_AS(ClockedDevice(nullptr, std::make_unique<DiscardSink>()), Error);
}

TEST_CASE("sample sources produce what they promise") {
  ToneSource tone(1000.0, -6.0);
  std::vector<std::int16_t> buf(48000);
  tone.fill(std::span(buf).first(1000));  // phase continues across calls
  tone.fill(std::span(buf).subspan(1000));
  int crossings = 0;
  for (std::size_t i = 1; i < buf.size(); ++i) crossings += (buf[i - 1] < 0) != (buf[i] < 0);
  CHECK(std::abs(crossings - 2000) <= 2);
  CHECK(std::abs(test::rms_dbfs(buf) - (-6.0 - 3.01)) < 0.05);
  CHECK_THROWS_AS(ToneSource(30000.0, -6.0), Error);
  CHECK_THROWS_AS(ToneSource(1000.0, 3.0), Error);

  PcmSource pcm(ramp(700));
  std::vector<std::int16_t> out(500);
  pcm.fill(out);
  CHECK_FALSE(pcm.finished());
  CHECK(out[499] == 500);
  pcm.fill(out);
  CHECK(pcm.finished());
  CHECK(out[199] == 700);
  CHECK(out[200] == 0);
  CHECK(out[499] == 0);

  SilenceSource silence;
  std::fill(out.begin(), out.end(), std::int16_t{5});
  silence.fill(out);
  CHECK(std::all_of(out.begin(), out.end(), [](std::int16_t s) { return s == 0; }));
}
