#pragma once
// The voice path of one connected call, run on the engine thread: capture ring -> Opus
// encoder -> (caller seals and sends); (caller opens) -> jitter buffer -> Opus decoder, FEC or
// concealment -> playback ring. The audio device's own thread only touches the rings.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/audio/audio_device.hpp"
#include "core/audio/jitter_buffer.hpp"
#include "core/audio/opus_codec.hpp"
#include "core/call/call_stats.hpp"
#include "core/call/call_types.hpp"

namespace hotline::call {

class MediaSession {
 public:
  using Clock = std::chrono::steady_clock;
  using SendFrame = std::function<void(ByteSpan opus_frame)>;

  MediaSession(const CallOptions& options, std::shared_ptr<audio::AudioDevice> device);
  ~MediaSession();
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  // Encodes every whole frame waiting in the capture ring and hands each to `send`.
  void pump_capture(const SendFrame& send);
  void on_voice_packet(std::uint64_t counter, ByteSpan opus_frame, Clock::time_point now);
  // Keeps the playback ring topped up with decoded, recovered or concealed frames.
  void pump_playback(Clock::time_point now);

  void set_muted(bool muted) { muted_ = muted; }
  void set_expected_loss_percent(int percent);
  std::size_t opus_frame_bytes() const { return opus_frame_bytes_; }
  MediaCounters counters() const;

 private:
  std::shared_ptr<audio::AudioDevice> device_;
  audio::OpusVoiceEncoder encoder_;
  audio::OpusVoiceDecoder decoder_;
  audio::JitterBuffer jitter_;
  std::size_t frame_samples_;
  std::size_t opus_frame_bytes_;
  std::vector<std::int16_t> pcm_;
  Bytes encoded_;
  bool muted_ = false;
  std::optional<Clock::time_point> last_arrival_;
  std::uint64_t last_counter_ = 0;
  std::uint64_t highest_counter_ = 0;
  double jitter_us_ = 0;
  MediaCounters counters_;
};

}  // namespace hotline::call
