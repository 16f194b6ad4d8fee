#include "core/audio/voice_playout.hpp"

#include <algorithm>
#include <cmath>

#include "core/audio/audio_format.hpp"

namespace hotline::audio {
namespace {

// Delay error (ms) at which playout runs at the full kMaxRateAdjust.
constexpr double kFullRateErrorMs = 40.0;
// The integrating term learns a clock skew of 0.1 % in about half a minute.
constexpr double kIntegralGainPerMsS = 2e-5;
constexpr double kMaxIntegral = 0.004;
// Large errors (start-up, a jump in jitter) are for the proportional term and for stretching;
// integrating them would overshoot afterwards.
constexpr double kIntegrateWithinMs = 10.0;
// After a step in the delay, integrating resumes once the error has changed sign or is this small.
constexpr double kSettledWithinMs = 0.5;
// Smoothing of the measured delay: a time constant of about 0.4 s.
constexpr double kDelaySmoothingMs = 400.0;
constexpr auto kMinStretchSpacing = std::chrono::milliseconds(100);
constexpr std::size_t kMaxDepthFrames = 32;

double to_ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

VoicePlayout::VoicePlayout(int frame_ms, std::size_t playback_lead, const PlayoutDelayConfig& delay)
    : frame_ms_(frame_ms),
      frame_samples_(static_cast<std::size_t>(frame_ms * kSamplesPerMs)),
      playback_lead_ms_(static_cast<double>(playback_lead) / kSamplesPerMs),
      jitter_(JitterBufferConfig{}),
      decoder_(frame_ms),
      delay_([&] {
        PlayoutDelayConfig c = delay;
        c.frame_ms = frame_ms;
        return c;
      }()),
      resampler_(kSampleRate, kSampleRate),
      pcm_(frame_samples_),
      out_(static_cast<std::size_t>(
               std::ceil(static_cast<double>(frame_samples_) * (1.0 + Resampler::kMaxAdjust))) +
           16) {
  const double start_depth = std::ceil(delay_.target_ms() / frame_ms_);
  jitter_.set_target_depth(static_cast<std::size_t>(std::clamp(start_depth, 1.0, 8.0)));
}

void VoicePlayout::insert(std::uint64_t seq, ByteSpan payload, Clock::time_point arrival) {
  delay_.on_arrival(seq, arrival);
  jitter_.insert(seq, payload, arrival);
}

std::span<const std::int16_t> VoicePlayout::next(Clock::time_point now, std::size_t device_queue) {
  const double queue_ms = static_cast<double>(device_queue) / kSamplesPerMs;
  const Source source = produce(now, queue_ms);
  const Resampler::Result r = resampler_.process(pcm_, out_);
  account(source, r.produced);
  return std::span<const std::int16_t>(out_.data(), r.produced);
}

VoicePlayout::Source VoicePlayout::produce(Clock::time_point now, double queue_ms) {
  // Fast growth: when the delay sits well under a target that just rose, conceal one frame
  // now rather than wait for the late packets to force it.
  if (started_ && base_delay_ms_ >= 0.0 && base_delay_ms_ < delay_.target_ms() - 0.75 * frame_ms_ &&
      now - last_stretch_ >= kMinStretchSpacing) {
    last_stretch_ = now;
    base_delay_ms_ += frame_ms_;
    ++stats_.stretches;
    delay_stepped();
    decoder_.conceal(pcm_);
    return Source::kConcealed;
  }

  const std::uint64_t lost_before = jitter_.stats().lost;
  const Playout p = jitter_.pop(now);
  if (jitter_.stats().lost != lost_before) note_loss(now);
  switch (p.kind) {
    case PlayoutKind::kNotStarted:
      if (started_) {  // buffering again after an outage: that is concealment too
        delay_stepped();
        break;
      }
      std::fill(pcm_.begin(), pcm_.end(), std::int16_t{0});
      return Source::kSilence;
    case PlayoutKind::kFrame:
      started_ = true;
      steer(p, now, queue_ms);
      if (decoder_.decode(p.payload, pcm_) == frame_samples_) return Source::kDecoded;
      break;
    case PlayoutKind::kFecFromNext:
      if (opus_packet_carries_fec(p.payload) &&
          decoder_.decode_fec(p.payload, pcm_) == frame_samples_) {
        ++stats_.fec_recovered;
        return Source::kDecoded;
      }
      break;
    case PlayoutKind::kUnderrun:  // the delay grows by this frame
      delay_stepped();
      break;
    case PlayoutKind::kMissing:
      break;
  }
  if (decoder_.conceal(pcm_) != frame_samples_) std::fill(pcm_.begin(), pcm_.end(), 0);
  return Source::kConcealed;
}

void VoicePlayout::steer(const Playout& p, Clock::time_point now, double queue_ms) {
  const double delay_ms = to_ms(now - p.arrival) + queue_ms;
  delay_sum_ms_ += delay_ms;
  ++delay_count_;

  // What a packet arriving with no lateness at all would have waited.
  const double punctual_ms = delay_ms + delay_.lateness_ms(p.seq, p.arrival);
  const double alpha = std::min(1.0, frame_ms_ / kDelaySmoothingMs);
  base_delay_ms_ =
      base_delay_ms_ < 0.0 ? punctual_ms : base_delay_ms_ + alpha * (punctual_ms - base_delay_ms_);

  const bool fec_in_use = lost_any_ && now - last_loss_ < kFecHold;
  const double lead_ms = std::max(queue_ms, playback_lead_ms_);
  const double target = delay_.update_target(lead_ms + (fec_in_use ? frame_ms_ : 0.0), now);
  const double depth = std::ceil((target - queue_ms) / frame_ms_);
  jitter_.set_target_depth(
      static_cast<std::size_t>(std::clamp(depth, 1.0, static_cast<double>(kMaxDepthFrames))));

  const double dt_s =
      last_steer_ == Clock::time_point{} ? 0.0 : std::min(0.1, to_ms(now - last_steer_) / 1000.0);
  last_steer_ = now;
  const double error_ms = base_delay_ms_ - target;
  if (settling_) {
    if (settle_error_ == 0.0) {
      settle_error_ = error_ms;
    } else if (settle_error_ * error_ms <= 0.0 || std::abs(error_ms) < kSettledWithinMs) {
      settling_ = false;
    }
  }
  if (!settling_ && delay_.target_settled() && std::abs(error_ms) < kIntegrateWithinMs) {
    integral_ =
        std::clamp(integral_ + kIntegralGainPerMsS * error_ms * dt_s, -kMaxIntegral, kMaxIntegral);
  }
  // Positive error: too much delay, so play faster, i.e. fewer output samples per frame.
  const double adjust = -(kMaxRateAdjust / kFullRateErrorMs * error_ms + integral_);
  resampler_.set_adjust(std::clamp(adjust, -kMaxRateAdjust, kMaxRateAdjust));
}

void VoicePlayout::note_loss(Clock::time_point now) {
  lost_any_ = true;
  last_loss_ = now;
}

void VoicePlayout::account(Source source, std::size_t samples) {
  if (!started_) return;
  stats_.samples_played += samples;
  if (source != Source::kConcealed) {
    close_run();
    return;
  }
  if (concealed_run_ == 0) ++stats_.concealment_events;
  concealed_run_ += samples;
  stats_.concealed_samples += samples;
}

// A run is counted as an interruption when it ends (as NetEq counts them), so that one the
// call's end cuts short can be judged by how the call ended.
void VoicePlayout::close_run() {
  if (concealed_run_ >= static_cast<std::size_t>(kInterruptionMs * kSamplesPerMs)) {
    ++stats_.interruptions;
    stats_.interruption_ms += static_cast<double>(concealed_run_) / kSamplesPerMs;
  }
  concealed_run_ = 0;
}

void VoicePlayout::end(bool peer_hung_up) {
  if (peer_hung_up) concealed_run_ = 0;
  close_run();
}

VoicePlayoutStats VoicePlayout::stats() const {
  VoicePlayoutStats s = stats_;
  s.jitter = jitter_.stats();
  s.decode_errors = decoder_.failed_packets();
  s.jitter_buffer_delay_ms =
      delay_count_ > 0 ? delay_sum_ms_ / static_cast<double>(delay_count_) : 0;
  s.jitter_buffer_target_ms = delay_.target_ms();
  s.current_delay_ms = std::max(0.0, base_delay_ms_);
  s.jitter_ms = delay_.jitter_ms();
  s.rate_adjust = resampler_.adjust();
  return s;
}

}  // namespace hotline::audio
