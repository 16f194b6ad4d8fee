#pragma once
// A virtual sound card driven by simulated time: each advance_to() moves one period of
// samples per elapsed period from a tone (or silence) into the capture ring, and out of the
// playback ring into a recording, exactly as a sound card ticking on the simulated clock would.
// No thread: the simulation calls it between the core's inputs.

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/audio/audio_device.hpp"
#include "core/audio/sample_io.hpp"

namespace hotline::test {

class SimDevice final : public audio::AudioDevice {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kPeriodSamples = 480;  // 10 ms at 48 kHz
  static constexpr std::chrono::milliseconds kPeriod{10};

  // `tone_hz` 0: the microphone hears silence. `clock_rate` above 1: this card's crystal runs
  // fast against the simulated clock (its periods come sooner), as two real cards differ.
  explicit SimDevice(double tone_hz = 440.0, double clock_rate = 1.0)
      : tone_hz_(tone_hz), clock_rate_(clock_rate) {}
  // The microphone hears `source` (speech, say) instead of a tone.
  SimDevice(std::unique_ptr<audio::SampleSource> source, double clock_rate)
      : tone_hz_(0), clock_rate_(clock_rate), source_(std::move(source)) {}

  void start() override { running_ = true; }
  void stop() override { running_ = false; }
  std::size_t period_samples() const override { return claimed_period_samples_; }
  // A card that says it takes less at a time than it does, so the engine keeps too little
  // queued and the card runs dry (as PortAudio devices did before they said their period).
  void understate_period(std::size_t claimed) { claimed_period_samples_ = claimed; }
  std::optional<PeriodClock> period_clock() const override {
    if (!running_ || !clock_set_) return std::nullopt;
    return PeriodClock{periods_, next_};
  }
  std::string description() const override { return "simulated sound card"; }

 protected:
  audio::SpscRing<std::int16_t>& capture_ring() override { return capture_; }
  audio::SpscRing<std::int16_t>& playback_ring() override { return playback_; }
  audio::SpscRing<std::int16_t>* played_ring() override { return &played_; }

 public:
  // Runs every period that ends at or before `now`. The first call sets the device's clock.
  void advance_to(Clock::time_point now);
  // When the next period ends (the simulation wakes the device then); max() while stopped.
  Clock::time_point next_period() const;

  bool running() const { return running_; }
  const std::vector<std::int16_t>& recording() const { return recording_; }
  std::uint64_t underrun_periods() const { return underruns_; }
  audio::DeviceCounters counters() const override { return {underruns_, 0, 0, 0, 0.0}; }

 private:
  void tick();

  Clock::time_point period_end(std::uint64_t n) const;

  double tone_hz_;
  double clock_rate_;
  std::unique_ptr<audio::SampleSource> source_;
  Clock::time_point started_{};
  std::uint64_t periods_ = 0;
  bool running_ = false;
  bool clock_set_ = false;
  Clock::time_point next_{};
  std::uint64_t phase_ = 0;
  audio::SpscRing<std::int16_t> capture_{audio::kDeviceRingSamples};
  audio::SpscRing<std::int16_t> playback_{audio::kDeviceRingSamples};
  audio::SpscRing<std::int16_t> played_{audio::kDeviceRingSamples};
  std::vector<std::int16_t> recording_;
  std::uint64_t underruns_ = 0;
  std::size_t claimed_period_samples_ = kPeriodSamples;
};

}  // namespace hotline::test
