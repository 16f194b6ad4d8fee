#pragma once
// The voice path of one connected call, run on the engine thread: capture ring -> echo
// cancellation and noise suppression -> Opus encoder -> (caller seals and sends); (caller
// opens) -> VoicePlayout (jitter buffer, decoder, FEC, concealment, adaptive delay) ->
// playback ring. The audio device's own thread only touches the rings. A device direction
// that fails mid-call is replaced by the clock: silence frames keep going out at the frame
// rate, and received audio is played out into nothing, so the call itself carries on.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/audio/audio_device.hpp"
#include "core/audio/level_meter.hpp"
#include "core/audio/opus_codec.hpp"
#include "core/audio/voice_options.hpp"
#include "core/audio/voice_playout.hpp"
#include "core/audio/voice_processor.hpp"
#include "core/call/call_stats.hpp"
#include "core/call/call_types.hpp"

namespace hotline::call {

class MediaSession {
 public:
  using Clock = std::chrono::steady_clock;
  using SendFrame = std::function<void(ByteSpan opus_frame)>;

  // The device is running already (the engine's shell opened and started it, for the ring
  // tone or for this call) and is stopped by the shell when the call is done with it.
  MediaSession(const CallOptions& options, const audio::VoiceOptions& voice,
               std::shared_ptr<audio::AudioDevice> device, Clock::time_point now);
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  // Encodes every whole frame waiting in the capture ring and hands each to `send`.
  void pump_capture(Clock::time_point now, const SendFrame& send);
  void on_voice_packet(std::uint64_t counter, ByteSpan opus_frame, Clock::time_point now);
  // Keeps the playback ring topped up with decoded, recovered or concealed audio.
  void pump_playback(Clock::time_point now);

  // The call ended (see VoicePlayout::end); before the last counters() are read.
  void end(bool peer_hung_up) { playout_.end(peer_hung_up); }
  void set_muted(bool muted) { muted_ = muted; }
  // Loudspeaker volume, 0 (silent) .. 1 (as received); applied before the echo reference.
  void set_output_gain(double gain);
  // The loss the encoder plans redundancy for, from the peer's receiver reports.
  void set_expected_loss_percent(int percent);
  // What it plans for until the first report, a second into the call: libopus codes in-band
  // FEC only while it expects loss, and at 0 % the frames lost before that report could not
  // be rebuilt. A clean link costs a second of slightly coarser frames; measured in
  // docs/audio.md ("Loss, FEC and concealment").
  static constexpr int kExpectedLossBeforeReports = 10;
  std::size_t opus_frame_bytes() const { return opus_frame_bytes_; }
  MediaCounters counters() const;
  // A device problem not yet reported, once.
  std::optional<std::string> take_device_problem();

  // Samples kept queued for a device that takes `period_samples` at a time, up to
  // `jitter_samples` ahead of its schedule: one period, one engine tick (2 ms) and the jitter,
  // and no more, since every queued sample is delay. A device that claims a period or jitter
  // longer than kMaxPeriodSamples (50 ms) gets that much. Simulations that stand in for the
  // engine use it too.
  static constexpr std::size_t kMaxPeriodSamples = 48 * 50;
  // How often the engine services the rings while voice flows (ProtocolCore::kVoiceTick).
  static constexpr auto kServiceInterval = std::chrono::milliseconds(2);
  static constexpr std::size_t kEngineTickSamples = 48 * kServiceInterval.count();
  static constexpr std::size_t playback_lead_for(std::size_t period_samples,
                                                 std::size_t jitter_samples = 0) {
    return std::min(kMaxPeriodSamples, period_samples) + kEngineTickSamples +
           std::min(kMaxPeriodSamples, jitter_samples);
  }
  static std::size_t playback_lead_for(const audio::AudioDevice& device) {
    return playback_lead_for(device.period_samples(), device.period_jitter_samples());
  }

 private:
  void check_device(Clock::time_point now);
  // Reads one frame of capture, and of what was played meanwhile if the device can say.
  bool read_capture_frame();
  void send_frame(const SendFrame& send);

  std::shared_ptr<audio::AudioDevice> device_;
  audio::OpusVoiceEncoder encoder_;
  audio::VoicePlayout playout_;
  audio::VoiceProcessor processor_;
  audio::LevelMeter input_level_;
  audio::LevelMeter output_level_;
  std::size_t frame_samples_;
  std::size_t opus_frame_bytes_;
  std::vector<std::int16_t> pcm_;
  std::vector<std::int16_t> reference_;
  std::vector<std::int16_t> scaled_;  // playout scaled by the output gain
  std::int32_t output_gain_q15_ = 32768;
  std::size_t playback_lead_;
  Bytes encoded_;
  bool muted_ = false;

  audio::DeviceHealth health_;
  bool problem_reported_ = true;
  // Where a failed direction's frames are timed from, and how many were timed since.
  Clock::time_point capture_clock_start_{};
  std::uint64_t capture_clock_frames_ = 0;
  Clock::time_point playback_clock_start_{};
  std::uint64_t playback_clock_frames_ = 0;

  std::optional<Clock::time_point> last_arrival_;
  std::uint64_t last_counter_ = 0;
  std::uint64_t highest_counter_ = 0;
  double jitter_us_ = 0;
  MediaCounters counters_;
};

}  // namespace hotline::call
