#pragma once
// The settings page's sound check: a test tone on the chosen loudspeaker and a live level of
// the chosen microphone, outside any call. Everything PortAudio is done on the tester's own
// thread (PortAudio is not thread-safe), which also services the device every 5 ms; other
// threads only flip the tone and read the level.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace hotline::audio {

class DeviceTester {
 public:
  // Opens and starts the devices ("default", a name, or a unique part of one). Throws
  // hotline::Error naming the device that cannot be used.
  DeviceTester(std::string input, std::string output);
  ~DeviceTester();
  DeviceTester(const DeviceTester&) = delete;
  DeviceTester& operator=(const DeviceTester&) = delete;

  void set_tone(bool on) { tone_.store(on, std::memory_order_relaxed); }
  double input_level_dbfs() const { return level_dbfs_.load(std::memory_order_relaxed); }
  // A device that failed while testing, once (nullopt while all is well).
  std::optional<std::string> problem() const;

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> tone_{false};
  std::atomic<double> level_dbfs_{-100.0};
  std::atomic<bool> failed_{false};
  std::string problem_;  // written before failed_ is set
  std::thread thread_;
};

}  // namespace hotline::audio
