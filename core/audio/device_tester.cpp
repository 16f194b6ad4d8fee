#include "core/audio/device_tester.hpp"

#include <chrono>
#include <future>
#include <vector>

#include "core/audio/level_meter.hpp"
#include "core/audio/portaudio_device.hpp"
#include "core/audio/sample_io.hpp"
#include "core/util/error.hpp"

namespace hotline::audio {

DeviceTester::DeviceTester(std::string input, std::string output) {
  std::promise<void> opened;
  auto ready = opened.get_future();
  thread_ = std::thread([this, input = std::move(input), output = std::move(output),
                         opened = std::move(opened)]() mutable {
    std::unique_ptr<PortAudioDevice> device;
    try {
      device = std::make_unique<PortAudioDevice>(
          PortAudioDeviceOptions{.input = input, .output = output, .duplex = false});
      device->start();
    } catch (...) {
      opened.set_exception(std::current_exception());
      return;
    }
    opened.set_value();
    ToneSource tone(440.0, -12.0);
    LevelMeter meter;
    std::vector<std::int16_t> chunk(240);  // 5 ms
    auto next = std::chrono::steady_clock::now();
    while (!stop_.load(std::memory_order_relaxed)) {
      device->service();
      const DeviceHealth health = device->health();
      if ((!health.capture_ok || !health.playback_ok) && !failed_.load()) {
        problem_ = health.problem;
        failed_.store(true);
      }
      auto capture = device->capture();
      while (capture.available_read() >= chunk.size()) {
        capture.read(chunk);
        meter.feed(chunk);
      }
      level_dbfs_.store(meter.level_dbfs(), std::memory_order_relaxed);
      auto playback = device->playback();
      while (playback.queued() < 2 * chunk.size() && playback.available_write() >= chunk.size()) {
        if (tone_.load(std::memory_order_relaxed)) {
          tone.fill(chunk);
        } else {
          std::fill(chunk.begin(), chunk.end(), std::int16_t{0});
        }
        playback.write(chunk);
      }
      next += std::chrono::milliseconds(5);
      std::this_thread::sleep_until(next);
    }
    device->stop();
  });
  try {
    ready.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

DeviceTester::~DeviceTester() {
  stop_.store(true);
  thread_.join();
}

std::optional<std::string> DeviceTester::problem() const {
  if (!failed_.load()) return std::nullopt;
  return problem_.empty() ? std::string("the sound device failed") : problem_;
}

}  // namespace hotline::audio
