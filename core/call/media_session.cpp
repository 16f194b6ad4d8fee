#include "core/call/media_session.hpp"

#include <algorithm>
#include <cmath>

#include "core/util/error.hpp"

namespace hotline::call {

namespace {

// Frames the jitter buffer holds before playout starts; the adaptive policy replaces this.
constexpr std::size_t kJitterTargetFrames = 2;
// The device drains the playback ring in periods of up to 10 ms; one frame plus one period
// keeps it from running dry between two engine ticks.
constexpr std::size_t kDevicePeriodSamples = 480;

}  // namespace

MediaSession::MediaSession(const CallOptions& options, std::shared_ptr<audio::AudioDevice> device)
    : device_(std::move(device)),
      encoder_(options.frame_ms, options.bitrate),
      decoder_(options.frame_ms),
      jitter_(kJitterTargetFrames),
      frame_samples_(static_cast<std::size_t>(encoder_.frame_samples())),
      opus_frame_bytes_(encoder_.packet_bytes()),
      pcm_(frame_samples_),
      encoded_(opus_frame_bytes_) {
  if (!device_) throw Error("no audio device for the call");
  device_->start();
}

MediaSession::~MediaSession() {
  device_->stop();
}

void MediaSession::pump_capture(const SendFrame& send) {
  auto& ring = device_->capture();
  while (ring.available_read() >= frame_samples_) {
    ring.read(pcm_);
    // Muted calls keep sending frames of the same size at the same rate (RFC 6562).
    if (muted_) std::fill(pcm_.begin(), pcm_.end(), std::int16_t{0});
    const std::size_t n = encoder_.encode(pcm_, encoded_);
    send(ByteSpan(encoded_.data(), n));
  }
}

void MediaSession::on_voice_packet(std::uint64_t counter, ByteSpan opus_frame,
                                   Clock::time_point now) {
  jitter_.insert(counter, opus_frame, now);
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
  auto& ring = device_->playback();
  while (ring.available_read() < frame_samples_ + kDevicePeriodSamples &&
         ring.available_write() >= frame_samples_) {
    const audio::Playout playout = jitter_.pop(now);
    std::size_t produced = 0;
    switch (playout.kind) {
      case audio::PlayoutKind::kFrame:
        produced = decoder_.decode(playout.payload, pcm_);
        break;
      case audio::PlayoutKind::kFecFromNext:
        produced = decoder_.decode_fec(playout.payload, pcm_);
        break;
      case audio::PlayoutKind::kMissing:
        break;
      case audio::PlayoutKind::kNotStarted:
        std::fill(pcm_.begin(), pcm_.end(), std::int16_t{0});
        produced = frame_samples_;
        break;
    }
    if (produced == 0) {  // lost, or a packet the decoder refused: conceal
      produced = decoder_.conceal(pcm_);
      ++counters_.concealed_frames;
    }
    ring.write(std::span<const std::int16_t>(pcm_.data(), std::min(produced, pcm_.size())));
  }
}

void MediaSession::set_expected_loss_percent(int percent) {
  encoder_.set_expected_loss_percent(std::clamp(percent, 0, 100));
}

MediaCounters MediaSession::counters() const {
  MediaCounters c = counters_;
  const audio::JitterBufferStats j = jitter_.stats();
  c.voice_packets_received = j.received;
  c.late = j.late;
  c.lost = j.lost;
  c.duplicates = j.duplicates;
  c.fec_recovered = j.fec_recovered;
  c.decode_errors = decoder_.failed_packets();
  c.jitter_buffer_delay_ms = j.mean_delay_ms;
  c.interarrival_jitter_ms = jitter_us_ / 1000.0;
  c.highest_voice_counter = highest_counter_;
  return c;
}

}  // namespace hotline::call
