#pragma once
// An AudioDevice with no hardware: its own thread ticks on the steady clock (absolute
// deadlines, so it does not drift) and each tick moves one period of samples from a
// SampleSource into the capture ring and from the playback ring into a SampleSink.
// A clock-rate factor makes it run fast or slow against the steady clock, to simulate the
// skew between two sound cards.
// A source that throws fails the capture direction (it is not called again and nothing more
// reaches the capture ring); a sink that throws fails playback. The other direction carries
// on, and health() says what happened, as with a real device losing its microphone.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/audio/audio_device.hpp"
#include "core/audio/sample_io.hpp"

namespace hotline::audio {

struct ClockedDeviceOptions {
  std::chrono::microseconds period{10'000};  // 1..100 ms
  double clock_rate = 1.0;                   // samples per tick = period * 48 kHz * clock_rate
  // A device thread further behind than this (stalled process, debugger) skips ahead instead
  // of flooding the rings, as a real sound card would drop samples.
  std::chrono::microseconds max_catch_up{200'000};
};

struct ClockedDeviceStats {
  std::uint64_t ticks = 0;
  std::uint64_t samples = 0;                  // moved in each direction
  std::uint64_t capture_overruns = 0;         // ticks whose capture did not all fit
  std::uint64_t capture_overrun_samples = 0;  // capture ring full: the engine fell behind
  std::uint64_t playback_underruns = 0;       // ticks where the playback ring ran short
  std::uint64_t playback_underrun_samples = 0;
  std::uint64_t clock_slips = 0;  // catch-ups abandoned after max_catch_up
};

class ClockedDevice final : public AudioDevice {
 public:
  using Clock = std::chrono::steady_clock;

  ClockedDevice(std::unique_ptr<SampleSource> source, std::unique_ptr<SampleSink> sink,
                ClockedDeviceOptions options = {});
  ~ClockedDevice() override;  // stops
  ClockedDevice(const ClockedDevice&) = delete;
  ClockedDevice& operator=(const ClockedDevice&) = delete;

  void start() override;  // no-op when running
  // Joins the thread after it has played every tick due up to the moment of the call, then
  // lets the sink finish. Never throws: a failing sink shows in health().
  void stop() override;
  std::size_t period_samples() const override { return capture_buf_.size(); }
  std::optional<PeriodClock> period_clock() const override;
  DeviceHealth health() const override;
  DeviceCounters counters() const override;
  std::string description() const override;

 protected:
  SpscRing<std::int16_t>& capture_ring() override { return capture_; }
  SpscRing<std::int16_t>& playback_ring() override { return playback_; }
  SpscRing<std::int16_t>* played_ring() override { return &played_; }

 public:
  ClockedDeviceStats stats() const;
  bool failed() const {  // either direction
    return capture_failed_.load(std::memory_order_acquire) ||
           playback_failed_.load(std::memory_order_acquire);
  }
  // Only while stopped (the device thread owns them while running).
  SampleSource& source() { return *source_; }
  SampleSink& sink() { return *sink_; }

 private:
  void run(Clock::time_point start);
  void tick(std::size_t samples);
  void halt_thread() noexcept;
  void finish_sink() noexcept;
  // Runs a source (capture) or sink call; an exception fails that direction.
  template <typename Call>
  bool guarded(bool capture, Call&& call) noexcept;
  void fail(bool capture, const char* what) noexcept;

  std::unique_ptr<SampleSource> source_;
  std::unique_ptr<SampleSink> sink_;
  ClockedDeviceOptions options_;
  SpscRing<std::int16_t> capture_{kDeviceRingSamples};
  SpscRing<std::int16_t> playback_{kDeviceRingSamples};
  SpscRing<std::int16_t> played_{kDeviceRingSamples};
  std::vector<std::int16_t> capture_buf_;
  std::vector<std::int16_t> playback_buf_;

  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<Clock::rep> stop_at_{0};  // steady_clock ticks since epoch
  // The device thread's next tick (0 when the thread is not running) and the ticks done,
  // each published once the previous tick's samples are in the rings.
  std::atomic<Clock::rep> next_tick_{0};
  std::atomic<std::uint64_t> periods_done_{0};
  std::atomic<bool> capture_failed_{false};   // written by the device thread only
  std::atomic<bool> playback_failed_{false};  // device thread, or stop() after the join
  mutable std::mutex health_mutex_;
  DeviceHealth health_;

  std::atomic<std::uint64_t> ticks_{0};
  std::atomic<std::uint64_t> samples_{0};
  std::atomic<std::uint64_t> overruns_{0};
  std::atomic<std::uint64_t> overrun_samples_{0};
  std::atomic<std::uint64_t> underruns_{0};
  std::atomic<std::uint64_t> underrun_samples_{0};
  std::atomic<std::uint64_t> slips_{0};
};

}  // namespace hotline::audio
