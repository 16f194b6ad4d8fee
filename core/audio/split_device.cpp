#include "core/audio/split_device.hpp"

#include "core/util/error.hpp"

namespace hotline::audio {

SplitDevice::SplitDevice(std::shared_ptr<AudioDevice> capture_from,
                         std::shared_ptr<AudioDevice> playback_to)
    : capture_from_(std::move(capture_from)), playback_to_(std::move(playback_to)) {
  if (!capture_from_ || !playback_to_) throw Error("a split device needs two devices");
  if (capture_from_ == playback_to_) throw Error("a split device needs two different devices");
}

SplitDevice::~SplitDevice() {
  SplitDevice::stop();
}

void SplitDevice::start() {
  playback_to_->start();
  capture_from_->start();
}

void SplitDevice::stop() {
  capture_from_->stop();
  playback_to_->stop();
}

void SplitDevice::service() {
  capture_from_->service();
  playback_to_->service();
}

DeviceHealth SplitDevice::health() const {
  const DeviceHealth capture = capture_from_->health();
  const DeviceHealth playback = playback_to_->health();
  DeviceHealth health{capture.capture_ok, playback.playback_ok, {}};
  // Each device's problem counts only for the direction it serves here: the other one is
  // absent by design.
  if (!health.capture_ok) health.problem = capture.problem;
  if (!health.playback_ok) {
    health.problem += (health.problem.empty() ? "" : "; ") + playback.problem;
  }
  return health;
}

DeviceCounters SplitDevice::counters() const {
  const DeviceCounters capture = capture_from_->counters();
  const DeviceCounters playback = playback_to_->counters();
  // Two clocks: no echo reference, so nothing shifts it.
  return {playback.playback_underruns, capture.capture_overruns,
          capture.host_xruns + playback.host_xruns, 0, 0.0};
}

std::optional<AudioDevice::PeriodClock> SplitDevice::period_clock() const {
  if (auto clock = playback_to_->period_clock()) return clock;
  return capture_from_->period_clock();
}

std::string SplitDevice::description() const {
  return "microphone: " + capture_from_->description() +
         "; loudspeaker: " + playback_to_->description();
}

}  // namespace hotline::audio
