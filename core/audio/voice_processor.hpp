#pragma once
// Microphone-path voice processing on the engine thread: speexdsp acoustic echo cancellation
// followed by the speexdsp preprocessor (denoiser, residual-echo suppressor, optional AGC).
//
// The engine reports everything it writes to the playback ring (on_playback) and hands each
// captured block to process_capture together with the two ring fill levels, from which the
// processor works out which far-end samples were playing while the block was captured. The
// echo canceller then only has to model the acoustic path and the device latency, which the
// echo tail (200 ms by default) covers.
//
// Alignment: with W samples written so far, the far-end sample playing when mic sample k of an
// N-sample block was captured is W - playback_queued - capture_backlog - (N - k). The measured
// delay D = playback_queued + capture_backlog jitters by a device period from call to call, and
// every jump would make the adaptive filter re-converge, so the processor uses a smoothed D:
//  - each measurement is first max-ed with the previous one (a one-call dip is a glitch),
//  - the minimum of that over the current and previous 0.5 s window is the estimate (the
//    lower envelope of the jitter errs toward a newer reference, which keeps echo causal),
//  - the delay in use moves to the estimate only when they differ by more than 5 ms,
//  - and a further 5 ms safety lead is taken off, spending a little of the tail to stay causal.
// A persistent delay decrease is thus followed within a few calls (it would otherwise make the
// echo arrive before its reference); an increase after at most 1 s (the tail absorbs it).
//
// Allocates only in the constructor; no locks. Not thread-safe: engine thread only.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/audio/audio_format.hpp"
#include "core/audio/voice_options.hpp"

struct SpeexEchoState_;
struct SpeexPreprocessState_;

namespace hotline::audio {

class VoiceProcessor {
 public:
  static constexpr std::size_t kBlockSamples = 10 * kSamplesPerMs;  // speexdsp frame
  static constexpr std::chrono::milliseconds kDefaultEchoTail{200};
  static constexpr std::chrono::milliseconds kMinEchoTail{20};
  static constexpr std::chrono::milliseconds kMaxEchoTail{500};
  // Far-end history kept for the reference; a playback queue deeper than this gets no AEC.
  static constexpr std::size_t kHistorySamples = 65536;  // 1.37 s, a power of two
  static_assert(kHistorySamples >= static_cast<std::size_t>(kSampleRate));
  // AGC target in speexdsp's loudness measure (its default, 8000, is tuned for 8..16 kHz and
  // leaves 48 kHz speech near -32 dBFS); this lands speech near -22 dBFS RMS.
  static constexpr int kAgcTarget = 24000;
  static constexpr int kAgcMaxGainDb = 30;

  // Throws hotline::Error for an echo tail outside kMinEchoTail..kMaxEchoTail or when speexdsp
  // refuses a setting.
  explicit VoiceProcessor(const VoiceOptions& options,
                          std::chrono::milliseconds echo_tail = kDefaultEchoTail);
  ~VoiceProcessor();
  VoiceProcessor(VoiceProcessor&&) noexcept;
  VoiceProcessor& operator=(VoiceProcessor&&) noexcept;

  // Everything written to the playback ring, in order, in pieces of any length.
  void on_playback(std::span<const std::int16_t> played);

  // Processes `mic` in place. mic.size() must be a multiple of kBlockSamples (a violated
  // precondition throws hotline::Error). capture_backlog: samples left in the capture ring
  // after this block was read; playback_queued: samples written to the playback ring but not
  // yet played. With NS or AGC on, the output lags the input by one block (10 ms): the
  // preprocessor works by overlap-add.
  void process_capture(std::span<std::int16_t> mic, std::size_t capture_backlog,
                       std::size_t playback_queued);
  // Processes `mic` in place against `reference`: what the device played while it captured
  // these samples, sample for sample (AudioDevice::played()). This is exact where the ring
  // levels above only approximate the alignment, so the echo path the canceller learns stays
  // put. Same size rules as above; on_playback() is not needed with this form.
  void process_capture(std::span<std::int16_t> mic, std::span<const std::int16_t> reference);

  bool echo_cancellation() const { return echo_ != nullptr; }
  bool noise_suppression() const { return noise_suppression_; }
  bool agc() const { return agc_; }
  std::chrono::milliseconds echo_tail() const { return echo_tail_; }

  std::uint64_t blocks_processed() const { return blocks_processed_; }
  // Smoothed playback_queued + capture_backlog in use for alignment (before the safety lead),
  // and how often it moved after far-end audio had started.
  std::size_t reference_delay_samples() const { return delay_in_use_; }
  std::uint64_t realignments() const { return realignments_; }

 private:
  struct EchoDeleter {
    void operator()(SpeexEchoState_* s) const;
  };
  struct PreprocessDeleter {
    void operator()(SpeexPreprocessState_* s) const;
  };

  void update_delay(std::size_t measured, std::size_t blocks);
  void fill_reference(std::int64_t first_index);

  std::unique_ptr<SpeexEchoState_, EchoDeleter> echo_;
  std::unique_ptr<SpeexPreprocessState_, PreprocessDeleter> preprocess_;
  bool noise_suppression_;
  bool agc_;
  std::chrono::milliseconds echo_tail_;

  std::vector<std::int16_t> history_;  // kHistorySamples, indexed by written count & mask
  std::uint64_t written_ = 0;
  bool far_end_started_ = false;         // a non-zero sample has been played
  std::vector<std::int16_t> reference_;  // one block
  std::vector<std::int16_t> cancelled_;  // one block

  bool have_delay_ = false;
  std::size_t previous_measured_ = 0;
  std::size_t window_min_ = 0;
  std::size_t previous_window_min_ = 0;
  std::size_t window_blocks_ = 0;
  std::size_t delay_in_use_ = 0;

  std::uint64_t blocks_processed_ = 0;
  std::uint64_t realignments_ = 0;
};

}  // namespace hotline::audio
