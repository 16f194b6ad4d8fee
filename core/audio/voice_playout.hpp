#pragma once
// The receive side of a call from packets to samples for the speaker: jitter buffer, Opus
// decoding with FEC and concealment, and adaptive playout delay. The delay a punctual packet
// waits (arrival to the start of its playout, the device queue included) is steered towards
// PlayoutDelayEstimator's target: the lateness percentile plus a safety margin plus the
// playback lead. The lead, not the queue found at this frame, because the queue a frame
// finds depends on the phase of the device's periods, and a delay that only covers a short
// queue leaves no margin for the frame that finds a long one. The target never asks a frame
// to be played before its packet is in hand. The integrating term learns only a steady skew:
// after a step in the delay (start, an underrun, a stretch, buffering afresh) it waits until
// the delay has first come back to the target, as integrating the way back would overshoot
// it and run the buffer dry; and it stops while the target is still falling after jitter
// subsided, as following that ramp would read as a skew. too little and playout conceals a frame
// without skipping any (fast growth); too much, or a sender whose sound card runs fast, and playout
// runs up to 1 % faster through a resampler (slow, inaudible shrinking); a slow sender, the other
// way. An integrating term learns a steady clock skew so the delay does not sit off target. While
// packets are being lost the target holds one frame more, so that the packet after a lost one is
// there in time for its FEC data to rebuild it. Engine thread; nothing allocates after
// construction.

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "core/audio/jitter_buffer.hpp"
#include "core/audio/opus_codec.hpp"
#include "core/audio/playout_delay.hpp"
#include "core/audio/resampler.hpp"

namespace hotline::audio {

struct VoicePlayoutStats {
  JitterBufferStats jitter;          // packet-level counts (received, late, lost, ...)
  std::uint64_t fec_recovered = 0;   // lost frames rebuilt from the next packet's FEC data
  std::uint64_t samples_played = 0;  // everything produced once playout started
  std::uint64_t concealed_samples = 0;
  std::uint64_t concealment_events = 0;  // runs of concealed samples
  std::uint64_t interruptions = 0;       // concealment runs of >= 150 ms (see end())
  double interruption_ms = 0.0;          // total duration of those runs
  std::uint64_t stretches = 0;           // frames concealed on purpose to grow the delay
  std::uint64_t decode_errors = 0;       // packets Opus refused (then concealed)
  double jitter_buffer_delay_ms = 0.0;   // mean, arrival to start of playout
  double jitter_buffer_target_ms = 0.0;  // current target for that delay
  double current_delay_ms = 0.0;         // smoothed delay of a punctual packet, now
  double jitter_ms = 0.0;                // the lateness percentile the target is built on
  double rate_adjust = 0.0;              // current playout speed change (+0.001 = 0.1 % slower)
};

class VoicePlayout {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr double kInterruptionMs = 150.0;
  static constexpr double kMaxRateAdjust = 0.01;
  // How long after a loss the target keeps room for FEC.
  static constexpr std::chrono::seconds kFecHold{10};

  // `playback_lead` is the most samples the playback queue can hold when next() is called:
  // the caller refills it only when it has fallen below that.
  VoicePlayout(int frame_ms, std::size_t playback_lead, const PlayoutDelayConfig& delay = {});

  void insert(std::uint64_t seq, ByteSpan payload, Clock::time_point arrival);
  // One frame's worth of playout (about frame_ms of samples, a little more or less while the
  // rate is adjusted). `device_queue` is how many samples already wait in the playback ring:
  // that is how long the new samples will wait before they are heard. The span stays valid
  // until the next call.
  std::span<const std::int16_t> next(Clock::time_point now, std::size_t device_queue);
  // Most samples next() can return.
  std::size_t max_chunk() const { return out_.size(); }

  // The call ended. A run of concealment still going on is an interruption too, unless the
  // peer ended the call: then the packets stopped because it hung up, and the run is only
  // the time its hang-up took to arrive.
  void end(bool peer_hung_up);

  VoicePlayoutStats stats() const;

 private:
  enum class Source { kDecoded, kConcealed, kSilence };
  Source produce(Clock::time_point now, double queue_ms);
  void steer(const Playout& p, Clock::time_point now, double queue_ms);
  void account(Source source, std::size_t samples);
  void close_run();
  void note_loss(Clock::time_point now);
  void delay_stepped() { settle_error_ = 0.0, settling_ = true; }

  int frame_ms_;
  std::size_t frame_samples_;
  double playback_lead_ms_;
  JitterBuffer jitter_;
  OpusVoiceDecoder decoder_;
  PlayoutDelayEstimator delay_;
  Resampler resampler_;
  std::vector<std::int16_t> pcm_;
  std::vector<std::int16_t> out_;

  bool started_ = false;
  double base_delay_ms_ = -1.0;  // smoothed delay of a punctual packet; < 0 until measured
  double integral_ = 0.0;
  bool settling_ = true;       // since the last step in the delay; no integrating meanwhile
  double settle_error_ = 0.0;  // the first error seen after that step (its sign matters)
  Clock::time_point last_steer_{};
  Clock::time_point last_stretch_{};
  Clock::time_point last_loss_{};
  bool lost_any_ = false;
  std::uint64_t delay_count_ = 0;
  double delay_sum_ms_ = 0.0;
  std::size_t concealed_run_ = 0;

  VoicePlayoutStats stats_;
};

}  // namespace hotline::audio
