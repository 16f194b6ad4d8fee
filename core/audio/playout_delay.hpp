#pragma once
// How much delay the receiver should keep, learned from when packets arrive. A packet's
// transit offset is its arrival time minus the time its sequence number says it was sent;
// its lateness is how much that exceeds the smallest offset of the last two seconds. The
// short baseline lets clock skew between the consoles (2 ms per 2 s at 0.1 %) and lasting
// route changes drop out. A high percentile of lateness over a longer window is the jitter
// to ride out. The target follows a rise at once and falls back only slowly, so a network
// that spikes now and then does not make playout hunt. Engine thread; no allocation after
// construction.

#include <chrono>
#include <cstdint>
#include <vector>

namespace hotline::audio {

struct PlayoutDelayConfig {
  int frame_ms = 20;
  std::chrono::milliseconds window{10000};   // arrivals the percentile looks at
  std::chrono::milliseconds baseline{2000};  // arrivals the fastest offset is taken from
  double percentile = 0.97;
  // Playout runs in steps of one engine tick, so even a packet that is exactly on time may
  // wait up to a tick after it is needed: this much is added to the measured jitter.
  double safety_ms = 3.0;
  double decay_ms_per_s = 3.0;    // how fast the target falls after jitter subsides
  double initial_target_ms = 40;  // before anything is measured
};

class PlayoutDelayEstimator {
 public:
  using Clock = std::chrono::steady_clock;

  explicit PlayoutDelayEstimator(const PlayoutDelayConfig& config);

  // Every arriving voice packet, late ones included (they are the ones that matter).
  void on_arrival(std::uint64_t seq, Clock::time_point arrival);
  // How much later than the fastest recent packet this one arrived, in ms (>= 0).
  double lateness_ms(std::uint64_t seq, Clock::time_point arrival) const;
  // The percentile of lateness over the window.
  double jitter_ms() const { return jitter_ms_; }
  // Target for the delay from a punctual packet's arrival to the start of its playout, given
  // the delay playout needs on top of the jitter (the most samples that can be queued for the
  // device when a frame is decoded, and a frame more while FEC is in use). Call once per frame
  // played; `now` drives the slow fall.
  double update_target(double added_ms, Clock::time_point now);
  double target_ms() const { return target_ms_; }
  // Whether the target is what the jitter asks for now, not still falling from a higher one.
  bool target_settled() const { return target_ms_ - wanted_ms_ < kSettledMs; }
  static constexpr double kSettledMs = 1.0;

 private:
  std::int64_t send_offset_us(std::uint64_t seq, Clock::time_point arrival) const;
  void recompute();

  PlayoutDelayConfig config_;
  std::int64_t frame_us_;
  std::vector<std::int64_t> offsets_;  // the baseline's arrivals, circular
  std::size_t offsets_next_ = 0;
  std::size_t offsets_count_ = 0;
  std::int64_t min_offset_us_ = 0;
  std::vector<double> lateness_ms_;  // the window's arrivals, circular
  std::vector<double> scratch_;
  std::size_t next_ = 0;
  std::size_t count_ = 0;
  double jitter_ms_ = 0.0;
  double target_ms_;
  double wanted_ms_ = 0.0;
  bool measured_ = false;
  Clock::time_point last_update_{};
};

}  // namespace hotline::audio
