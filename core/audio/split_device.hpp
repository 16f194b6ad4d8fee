#pragma once
// An AudioDevice whose two directions are two other devices: the microphone of one and the
// loudspeaker of the other. It lets a call take one side from a file and the other from a
// sound card — a recorded statement played into the call while the peer is heard on the
// loudspeaker, or a live microphone while the peer's words go to a WAV file.
//
// The two devices keep their own clocks, so nothing ties the samples captured to those
// played at the same instant: played() is null (no echo reference, and none is needed — a
// file has no acoustic echo path). The engine is paced by the loudspeaker's device when it
// keeps a period clock, else by the microphone's; samples the other one delivers between two
// of its periods wait at most one period. The unused direction of each device idles: the
// capture device's loudspeaker gets nothing, the playback device's microphone is not read.

#include <memory>

#include "core/audio/audio_device.hpp"

namespace hotline::audio {

class SplitDevice final : public AudioDevice {
 public:
  // Both non-null; they must not be started yet. Throws hotline::Error otherwise.
  SplitDevice(std::shared_ptr<AudioDevice> capture_from, std::shared_ptr<AudioDevice> playback_to);
  ~SplitDevice() override;  // stops both

  void start() override;
  void stop() override;
  void service() override;
  DeviceHealth health() const override;
  DeviceCounters counters() const override;
  std::optional<PeriodClock> period_clock() const override;
  std::size_t period_samples() const override { return playback_to_->period_samples(); }
  std::size_t period_jitter_samples() const override {
    return playback_to_->period_jitter_samples();
  }
  std::string description() const override;

 protected:
  SpscRing<std::int16_t>& capture_ring() override { return capture_from_->capture_ring(); }
  SpscRing<std::int16_t>& playback_ring() override { return playback_to_->playback_ring(); }

 private:
  std::shared_ptr<AudioDevice> capture_from_;
  std::shared_ptr<AudioDevice> playback_to_;
};

}  // namespace hotline::audio
