#include "core/call/media_session.hpp"

#include <algorithm>
#include <cmath>

#include "core/util/error.hpp"

namespace hotline::call {

namespace {

std::size_t playback_lead(const audio::AudioDevice* device) {
  return device ? MediaSession::playback_lead_for(*device) : 0;
}

}  // namespace

MediaSession::MediaSession(const CallOptions& options, const audio::VoiceOptions& voice,
                           std::shared_ptr<audio::AudioDevice> device, Clock::time_point now)
    : device_(std::move(device)),
      encoder_(options.frame_ms, options.bitrate, voice.encoder_complexity),
      playout_(options.frame_ms, playback_lead(device_.get())),
      processor_(voice),
      frame_samples_(static_cast<std::size_t>(encoder_.frame_samples())),
      opus_frame_bytes_(encoder_.packet_bytes()),
      pcm_(std::max(frame_samples_, playout_.max_chunk())),
      reference_(frame_samples_),
      scaled_(playout_.max_chunk()),
      playback_lead_(playback_lead(device_.get())),
      encoded_(opus_frame_bytes_) {
  if (!device_) throw Error("no audio device for the call");
  encoder_.set_expected_loss_percent(kExpectedLossBeforeReports);
  // Whatever the microphone picked up before the call connected is stale: start from now.
  auto capture = device_->capture();
  capture.discard(capture.available_read());
  if (auto played = device_->played()) played->discard(played->available_read());
  check_device(now);
}

void MediaSession::check_device(Clock::time_point now) {
  device_->service();
  const audio::DeviceHealth h = device_->health();
  if (health_.capture_ok && !h.capture_ok) {
    capture_clock_start_ = now;
    capture_clock_frames_ = 0;
  }
  if (health_.playback_ok && !h.playback_ok) {
    playback_clock_start_ = now;
    playback_clock_frames_ = 0;
  }
  if (h.capture_ok != health_.capture_ok || h.playback_ok != health_.playback_ok) {
    problem_reported_ = false;
  }
  health_ = h;
}

std::optional<std::string> MediaSession::take_device_problem() {
  if (problem_reported_ || (health_.capture_ok && health_.playback_ok)) return std::nullopt;
  problem_reported_ = true;
  return health_.problem.empty() ? std::string("audio device failed") : health_.problem;
}

void MediaSession::send_frame(const SendFrame& send) {
  const std::span<std::int16_t> frame(pcm_.data(), frame_samples_);
  input_level_.feed(frame);
  // Muted calls keep sending frames of the same size at the same rate (RFC 6562).
  if (muted_) std::fill(frame.begin(), frame.end(), std::int16_t{0});
  const std::size_t n = encoder_.encode(frame, encoded_);
  send(ByteSpan(encoded_.data(), n));
}

void MediaSession::pump_capture(Clock::time_point now, const SendFrame& send) {
  check_device(now);
  if (!health_.capture_ok) {
    // No microphone any more: silence, on the clock, so the far side hears a steady stream.
    const auto due = static_cast<std::uint64_t>((now - capture_clock_start_) /
                                                std::chrono::milliseconds(encoder_.frame_ms()));
    for (; capture_clock_frames_ < due; ++capture_clock_frames_) {
      std::fill_n(pcm_.begin(), frame_samples_, std::int16_t{0});
      send_frame(send);
    }
    return;
  }
  while (read_capture_frame()) send_frame(send);
}

bool MediaSession::read_capture_frame() {
  auto capture = device_->capture();
  const std::span<std::int16_t> frame(pcm_.data(), frame_samples_);
  auto played = device_->played();
  if (!played) {
    if (capture.available_read() < frame_samples_) return false;
    capture.read(frame);
    processor_.process_capture(frame, capture.available_read(), device_->playback().queued());
    return true;
  }
  // The device writes both rings in step; equal read totals keep them aligned, whatever was
  // discarded or dropped on either side before.
  if (capture.total_read() < played->total_read()) {
    capture.discard(played->total_read() - capture.total_read());
  } else if (played->total_read() < capture.total_read()) {
    played->discard(capture.total_read() - played->total_read());
  }
  if (capture.available_read() < frame_samples_ || played->available_read() < frame_samples_ ||
      capture.total_read() != played->total_read()) {
    return false;
  }
  capture.read(frame);
  played->read(reference_);
  processor_.process_capture(frame, reference_);
  return true;
}

void MediaSession::on_voice_packet(std::uint64_t counter, ByteSpan opus_frame,
                                   Clock::time_point now) {
  playout_.insert(counter, opus_frame, now);
  // RFC 3550 interarrival jitter: how much the spacing of arrivals differs from the spacing
  // of the frames they carry, smoothed with gain 1/16.
  if (last_arrival_) {
    const double frame_us = 1000.0 * static_cast<double>(frame_samples_) / 48.0;
    const double arrival_gap =
        std::chrono::duration<double, std::micro>(now - *last_arrival_).count();
    const double frame_gap =
        (static_cast<double>(counter) - static_cast<double>(last_counter_)) * frame_us;
    jitter_us_ += (std::abs(arrival_gap - frame_gap) - jitter_us_) / 16.0;
  }
  last_arrival_ = now;
  last_counter_ = counter;
  highest_counter_ = std::max(highest_counter_, counter);
}

void MediaSession::pump_playback(Clock::time_point now) {
  if (!health_.playback_ok) {
    // No speaker any more: play out on the clock into nothing, so statistics and receiver
    // reports stay true and the buffer does not fill up.
    const auto due = static_cast<std::uint64_t>((now - playback_clock_start_) /
                                                std::chrono::milliseconds(encoder_.frame_ms()));
    for (; playback_clock_frames_ < due; ++playback_clock_frames_) {
      output_level_.feed(playout_.next(now, 0));
    }
    return;
  }
  auto ring = device_->playback();
  while (ring.queued() < playback_lead_ && ring.available_write() >= playout_.max_chunk()) {
    std::span<const std::int16_t> chunk = playout_.next(now, ring.queued());
    if (output_gain_q15_ != 32768) {
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        scaled_[i] = static_cast<std::int16_t>((chunk[i] * output_gain_q15_) >> 15);
      }
      chunk = std::span<const std::int16_t>(scaled_.data(), chunk.size());
    }
    processor_.on_playback(chunk);
    output_level_.feed(chunk);
    ring.write(chunk);
  }
  device_->service();
}

void MediaSession::set_output_gain(double gain) {
  output_gain_q15_ = static_cast<std::int32_t>(std::lround(std::clamp(gain, 0.0, 1.0) * 32768.0));
}

void MediaSession::set_expected_loss_percent(int percent) {
  encoder_.set_expected_loss_percent(std::clamp(percent, 0, 100));
}

MediaCounters MediaSession::counters() const {
  MediaCounters c = counters_;
  const audio::VoicePlayoutStats p = playout_.stats();
  c.voice_packets_received = p.jitter.received;
  c.late = p.jitter.late;
  c.lost = p.jitter.lost;
  c.duplicates = p.jitter.duplicates;
  c.fec_recovered = p.fec_recovered;
  c.samples_played = p.samples_played;
  c.concealed_samples = p.concealed_samples;
  c.concealment_events = p.concealment_events;
  c.interruptions = p.interruptions;
  c.interruption_ms = p.interruption_ms;
  c.delay_stretches = p.stretches;
  c.decode_errors = p.decode_errors;
  c.jitter_buffer_delay_ms = p.jitter_buffer_delay_ms;
  c.jitter_buffer_target_ms = p.jitter_buffer_target_ms;
  c.playout_rate_adjust = p.rate_adjust;
  c.interarrival_jitter_ms = jitter_us_ / 1000.0;
  c.highest_voice_counter = highest_counter_;
  c.input_level_dbfs = input_level_.level_dbfs();
  c.output_level_dbfs = output_level_.level_dbfs();
  c.capture_ok = health_.capture_ok;
  c.playback_ok = health_.playback_ok;
  if (device_) c.device = device_->counters();
  return c;
}

}  // namespace hotline::call
