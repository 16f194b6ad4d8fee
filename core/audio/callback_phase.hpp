#pragma once
// When a live stream's next callback will have run, learnt on the engine thread alone.
//
// The real-time callback only counts (stream_callbacks.hpp): reading a clock there could be a
// system call on some machines. So the engine learns the phase from its own looks: each time
// it sees the count, the callbacks counted since its previous look ran between the two looks.
// The estimate of the latest callback is the previous estimate moved on by whole periods,
// kept inside that interval: a callback that comes late or early (a slow sound server, a
// device clock off the nominal rate) moves the estimate by what the looks proved, no more.
// A look that finds a period already moved proves nothing about how early it came, so each
// prediction is made a little early (kCreep of a period): an estimate that a late callback
// pushed back drifts forward again until a look comes too early and the interval corrects
// it. That costs a look now and then, instead of servicing every period late for good.

#include <chrono>
#include <cstdint>
#include <optional>

namespace hotline::audio {

class CallbackPhase {
 public:
  using Clock = std::chrono::steady_clock;

  explicit CallbackPhase(Clock::duration period) : period_(period) {}

  // The engine looked at `now` and saw `count` callbacks so far.
  void observe(std::uint64_t count, Clock::time_point now);
  // When the callback after the latest one seen should have run; nullopt until one was seen
  // after a look that had seen none (the first look cannot date what it finds).
  std::optional<Clock::time_point> next_end() const;
  Clock::duration period() const { return period_; }

  static constexpr int kCreepDivisor = 128;  // the prediction is early by period / this

 private:
  Clock::duration period_;
  bool looked_ = false;
  std::uint64_t count_ = 0;
  Clock::time_point last_look_;
  std::optional<Clock::time_point> latest_;  // when callback `count_` ran, as estimated
};

}  // namespace hotline::audio
