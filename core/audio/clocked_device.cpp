#include "core/audio/clocked_device.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/util/error.hpp"
#include "core/util/realtime_thread.hpp"

namespace hotline::audio {

ClockedDevice::ClockedDevice(std::unique_ptr<SampleSource> source, std::unique_ptr<SampleSink> sink,
                             ClockedDeviceOptions options)
    : source_(std::move(source)), sink_(std::move(sink)), options_(options) {
  using std::chrono::milliseconds;
  if (!source_ || !sink_) throw Error("clocked device needs a source and a sink");
  if (options_.period < milliseconds(1) || options_.period > milliseconds(100)) {
    throw Error("clocked device period must be 1..100 ms");
  }
  if (!(options_.clock_rate >= 0.9 && options_.clock_rate <= 1.1)) {
    throw Error("clocked device clock rate must be within 0.9..1.1");
  }
  const double per_tick = static_cast<double>(samples_for(options_.period)) * options_.clock_rate;
  const auto max_tick = static_cast<std::size_t>(std::ceil(per_tick)) + 1;
  capture_buf_.resize(max_tick);
  playback_buf_.resize(max_tick);
}

ClockedDevice::~ClockedDevice() {
  halt_thread();
  finish_sink();
}

void ClockedDevice::start() {
  if (thread_.joinable()) return;
  stop_requested_.store(false, std::memory_order_relaxed);
  const Clock::time_point start = Clock::now();
  thread_ = std::thread([this, start] {
    name_this_thread("hotline-card");
    request_realtime_priority();  // a virtual sound card keeps time like a real one
    run(start);
  });
}

void ClockedDevice::stop() {
  if (!thread_.joinable()) return;
  halt_thread();
  finish_sink();
}

template <typename Call>
bool ClockedDevice::guarded(bool capture, Call&& call) noexcept {
  try {
    call();
    return true;
  } catch (const std::exception& e) {
    fail(capture, e.what());
  } catch (...) {
    fail(capture, "unknown error");
  }
  return false;
}

void ClockedDevice::finish_sink() noexcept {
  if (!playback_failed_.load(std::memory_order_relaxed)) guarded(false, [&] { sink_->finish(); });
}

void ClockedDevice::fail(bool capture, const char* what) noexcept {
  try {
    std::string message =
        capture ? "capture from " + source_->description() : "playback to " + sink_->description();
    message += " failed: ";
    message += what;
    std::lock_guard lock(health_mutex_);
    (capture ? health_.capture_ok : health_.playback_ok) = false;
    health_.problem += (health_.problem.empty() ? "" : "; ") + message;
  } catch (...) {
    // Out of memory while describing a failure: the flag below still records it.
  }
  (capture ? capture_failed_ : playback_failed_).store(true, std::memory_order_release);
}

DeviceHealth ClockedDevice::health() const {
  std::lock_guard lock(health_mutex_);
  return health_;
}

void ClockedDevice::halt_thread() noexcept {
  if (!thread_.joinable()) return;
  stop_at_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  stop_requested_.store(true, std::memory_order_release);
  thread_.join();
}

std::string ClockedDevice::description() const {
  return "clocked device (" + source_->description() + " -> capture, playback -> " +
         sink_->description() + ")";
}

ClockedDeviceStats ClockedDevice::stats() const {
  ClockedDeviceStats s;
  s.ticks = ticks_.load(std::memory_order_relaxed);
  s.samples = samples_.load(std::memory_order_relaxed);
  s.capture_overruns = overruns_.load(std::memory_order_relaxed);
  s.capture_overrun_samples = overrun_samples_.load(std::memory_order_relaxed);
  s.playback_underruns = underruns_.load(std::memory_order_relaxed);
  s.playback_underrun_samples = underrun_samples_.load(std::memory_order_relaxed);
  s.clock_slips = slips_.load(std::memory_order_relaxed);
  return s;
}

void ClockedDevice::run(Clock::time_point start) {
  const double per_tick = static_cast<double>(samples_for(options_.period)) * options_.clock_rate;
  std::uint64_t tick_index = 0;  // since `start`
  std::uint64_t done = 0;        // samples moved since `start`
  for (;;) {
    const Clock::time_point deadline = start + options_.period * (tick_index + 1);
    if (stop_requested_.load(std::memory_order_acquire)) {
      // Finish the ticks already due when stop() was called, then leave.
      const Clock::time_point stop_at{Clock::duration(stop_at_.load(std::memory_order_relaxed))};
      if (deadline > stop_at) break;
    } else {
      next_tick_.store(deadline.time_since_epoch().count(), std::memory_order_release);
      std::this_thread::sleep_until(deadline);
      if (stop_requested_.load(std::memory_order_acquire)) continue;  // re-check vs stop_at
      const Clock::time_point now = Clock::now();
      if (now - deadline > options_.max_catch_up) {
        // Give up on the missed ticks: restart the schedule from now.
        slips_.fetch_add(1, std::memory_order_relaxed);
        start = now - options_.period;
        tick_index = 0;
        done = 0;
        continue;
      }
    }
    const auto due =
        static_cast<std::uint64_t>(std::floor(per_tick * static_cast<double>(tick_index + 1)));
    tick(static_cast<std::size_t>(due - done));
    periods_done_.fetch_add(1, std::memory_order_release);
    done = due;
    ++tick_index;
  }
  next_tick_.store(0, std::memory_order_release);
}

DeviceCounters ClockedDevice::counters() const {
  return {underruns_.load(std::memory_order_relaxed), overruns_.load(std::memory_order_relaxed), 0,
          0, 0.0};
}

std::optional<AudioDevice::PeriodClock> ClockedDevice::period_clock() const {
  const std::uint64_t periods = periods_done_.load(std::memory_order_acquire);
  const Clock::rep next = next_tick_.load(std::memory_order_acquire);
  if (next == 0) return std::nullopt;
  return PeriodClock{periods, Clock::time_point(Clock::duration(next))};
}

void ClockedDevice::tick(std::size_t samples) {
  // A failed direction no longer touches its ring, like a sound card that has gone away.
  std::size_t captured = 0;
  if (!capture_failed_.load(std::memory_order_relaxed)) {
    const std::span<std::int16_t> cap(capture_buf_.data(), samples);
    if (guarded(true, [&] { source_->fill(cap); })) {
      const std::size_t written = capture_.write(cap);
      captured = written;
      if (written < samples) {
        overruns_.fetch_add(1, std::memory_order_relaxed);
        overrun_samples_.fetch_add(samples - written, std::memory_order_relaxed);
      }
    }
  }

  const std::span<std::int16_t> play(playback_buf_.data(), samples);
  if (playback_failed_.load(std::memory_order_relaxed)) {
    std::fill(play.begin(), play.end(), std::int16_t{0});
  } else {
    const std::size_t got = playback_.read(play);
    if (got < samples) {
      std::fill(play.begin() + static_cast<std::ptrdiff_t>(got), play.end(), std::int16_t{0});
      underruns_.fetch_add(1, std::memory_order_relaxed);
      underrun_samples_.fetch_add(samples - got, std::memory_order_relaxed);
    }
    guarded(false, [&] { sink_->consume(play); });
  }
  // In step with capture: what played while these samples were recorded.
  played_.write(play.first(captured));

  ticks_.fetch_add(1, std::memory_order_relaxed);
  samples_.fetch_add(samples, std::memory_order_relaxed);
}

}  // namespace hotline::audio
