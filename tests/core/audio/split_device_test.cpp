#include "core/audio/split_device.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <thread>
#include <vector>

#include "core/audio/clocked_device.hpp"
#include "core/util/error.hpp"

using namespace hotline;
using namespace hotline::audio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A device the test drives by hand: its rings, health and period clock are whatever the test
// sets, and it counts what the split device asks of it.
class HandDevice final : public AudioDevice {
 public:
  explicit HandDevice(std::string name) : name_(std::move(name)) {}
  void start() override { ++starts; }
  void stop() override { ++stops; }
  void service() override { ++services; }
  DeviceHealth health() const override { return health_now; }
  DeviceCounters counters() const override { return counters_now; }
  std::optional<PeriodClock> period_clock() const override { return clock; }
  std::size_t period_samples() const override { return period; }
  std::string description() const override { return name_; }

  // The far ends of the rings, as the device's own thread would hold them.
  SpscWriter<std::int16_t> microphone() { return SpscWriter<std::int16_t>(capture_); }
  SpscReader<std::int16_t> loudspeaker() { return SpscReader<std::int16_t>(playback_); }

  int starts = 0, stops = 0, services = 0;
  DeviceHealth health_now;
  DeviceCounters counters_now;
  std::optional<PeriodClock> clock;
  std::size_t period = 480;

 protected:
  SpscRing<std::int16_t>& capture_ring() override { return capture_; }
  SpscRing<std::int16_t>& playback_ring() override { return playback_; }

 private:
  std::string name_;
  SpscRing<std::int16_t> capture_{kDeviceRingSamples};
  SpscRing<std::int16_t> playback_{kDeviceRingSamples};
};

std::vector<std::int16_t> drain(SpscReader<std::int16_t> ring) {
  std::vector<std::int16_t> out(ring.available_read());
  out.resize(ring.read(out));
  return out;
}

}  // namespace

TEST_CASE("split device: the microphone of one device, the loudspeaker of the other") {
  auto mic = std::make_shared<HandDevice>("file");
  auto speaker = std::make_shared<HandDevice>("sound card");
  SplitDevice split(mic, speaker);

  const std::vector<std::int16_t> spoken{1, 2, 3, 4};
  const std::vector<std::int16_t> heard{-5, -6, -7};
  REQUIRE(mic->microphone().write(spoken) == spoken.size());
  REQUIRE(speaker->microphone().write(std::vector<std::int16_t>{99, 99}) == 2);  // not used
  CHECK(drain(split.capture()) == spoken);
  REQUIRE(split.playback().write(heard) == heard.size());
  CHECK(drain(speaker->loudspeaker()) == heard);
  CHECK(drain(mic->loudspeaker()).empty());
  CHECK_FALSE(split.played().has_value());  // two clocks: no echo reference

  split.start();
  split.service();
  split.stop();
  CHECK((mic->starts == 1 && speaker->starts == 1));
  CHECK((mic->services == 1 && speaker->services == 1));
  CHECK((mic->stops >= 1 && speaker->stops >= 1));
  CHECK_THAT(split.description(),
             Catch::Matchers::ContainsSubstring("microphone: file") &&
                 Catch::Matchers::ContainsSubstring("loudspeaker: sound card"));
}

TEST_CASE("split device: paced by the loudspeaker's period clock, else the microphone's") {
  auto mic = std::make_shared<HandDevice>("file");
  auto speaker = std::make_shared<HandDevice>("sound card");
  speaker->period = 960;
  SplitDevice split(mic, speaker);
  CHECK(split.period_samples() == 960);
  CHECK_FALSE(split.period_clock().has_value());

  const auto t0 = Clock::now();
  mic->clock = AudioDevice::PeriodClock{7, t0 + 10ms};
  REQUIRE(split.period_clock().has_value());
  CHECK(split.period_clock()->periods == 7);

  speaker->clock = AudioDevice::PeriodClock{3, t0 + 20ms};
  REQUIRE(split.period_clock().has_value());
  CHECK(split.period_clock()->periods == 3);
  CHECK(split.period_clock()->next_end == t0 + 20ms);
}

TEST_CASE("split device: each device's health counts for the direction it serves") {
  auto mic = std::make_shared<HandDevice>("file");
  auto speaker = std::make_shared<HandDevice>("sound card");
  SplitDevice split(mic, speaker);
  // The directions each device does not serve here are absent by design: not a problem.
  mic->health_now = {true, false, "no output device"};
  speaker->health_now = {false, true, "no input device"};
  DeviceHealth h = split.health();
  CHECK(h.capture_ok);
  CHECK(h.playback_ok);
  CHECK(h.problem.empty());

  speaker->health_now = {false, false, "no input device; output stream stalled"};
  h = split.health();
  CHECK(h.capture_ok);
  CHECK_FALSE(h.playback_ok);
  CHECK_THAT(h.problem, Catch::Matchers::ContainsSubstring("output stream stalled"));

  mic->health_now = {false, false, "capture from speech file failed: truncated"};
  h = split.health();
  CHECK_FALSE(h.capture_ok);
  CHECK_THAT(h.problem, Catch::Matchers::ContainsSubstring("truncated") &&
                            Catch::Matchers::ContainsSubstring("stalled"));
}

TEST_CASE("split device: each device's counters count for the direction it serves") {
  auto mic = std::make_shared<HandDevice>("sound card");
  auto speaker = std::make_shared<HandDevice>("file");
  SplitDevice split(mic, speaker);
  // The unused directions underrun and overrun by design; they do not count.
  mic->counters_now = {.playback_underruns = 500, .capture_overruns = 2, .host_xruns = 1};
  speaker->counters_now = {.playback_underruns = 3, .capture_overruns = 400, .host_xruns = 0};
  const DeviceCounters c = split.counters();
  CHECK(c.playback_underruns == 3);
  CHECK(c.capture_overruns == 2);
  CHECK(c.host_xruns == 1);
}

TEST_CASE("split device refuses a missing or shared device") {
  auto one = std::make_shared<HandDevice>("one");
  CHECK_THROWS_AS(SplitDevice(one, nullptr), Error);
  CHECK_THROWS_AS(SplitDevice(nullptr, one), Error);
  CHECK_THROWS_AS(SplitDevice(one, one), Error);
}

TEST_CASE("split device over two clocked devices: a file in, what is played out to another") {
  PcmBuffer speech;
  for (int i = 0; i < 4800; ++i) speech.samples.push_back(static_cast<std::int16_t>(i + 1));
  auto mic = std::make_shared<ClockedDevice>(std::make_unique<PcmSource>(speech, "speech"),
                                             std::make_unique<DiscardSink>());
  auto sink = std::make_unique<MemorySink>(48000);
  MemorySink* played = sink.get();
  auto speaker =
      std::make_shared<ClockedDevice>(std::make_unique<SilenceSource>(), std::move(sink));
  SplitDevice split(mic, speaker);

  std::vector<std::int16_t> queued(480, 321);
  REQUIRE(split.playback().write(queued) == queued.size());
  split.start();
  // Bounded wait for the device threads (not a timing check).
  std::vector<std::int16_t> captured;
  const auto give_up = Clock::now() + 10s;
  while (captured.size() < speech.samples.size() && Clock::now() < give_up) {
    const auto more = drain(split.capture());
    captured.insert(captured.end(), more.begin(), more.end());
    std::this_thread::sleep_for(2ms);
  }
  split.stop();
  REQUIRE(captured.size() >= speech.samples.size());
  captured.resize(speech.samples.size());
  CHECK(captured == speech.samples);  // the file, in order, from the microphone's device
  const std::vector<std::int16_t> out = played->samples();
  REQUIRE(out.size() >= queued.size());
  CHECK(std::vector<std::int16_t>(out.begin(), out.begin() + 480) == queued);
  CHECK(split.health().problem.empty());
}
