#include "core/audio/voice_processor.hpp"

#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

#include <algorithm>
#include <limits>
#include <string>

#include "core/util/error.hpp"

namespace hotline::audio {
namespace {

constexpr std::size_t kHistoryMask = VoiceProcessor::kHistorySamples - 1;
static_assert((VoiceProcessor::kHistorySamples & kHistoryMask) == 0);

// Alignment smoothing, see the header. Half a 10-ms device period: less than the jitter
// would realign all the time, more would leave the filter chasing a stale offset.
constexpr std::size_t kRealignThreshold = 5 * kSamplesPerMs;
constexpr std::size_t kSafetyLead = 5 * kSamplesPerMs;
constexpr std::size_t kWindowBlocks = 50;  // 0.5 s of 10-ms blocks
constexpr std::size_t kEmptyWindow = std::numeric_limits<std::size_t>::max();

void check_preprocess(SpeexPreprocessState* st, int request, void* value, const char* what) {
  if (speex_preprocess_ctl(st, request, value) != 0) {
    throw Error(std::string("speexdsp preprocessor refused to ") + what);
  }
}

}  // namespace

void VoiceProcessor::EchoDeleter::operator()(SpeexEchoState_* s) const {
  speex_echo_state_destroy(s);
}
void VoiceProcessor::PreprocessDeleter::operator()(SpeexPreprocessState_* s) const {
  speex_preprocess_state_destroy(s);
}

VoiceProcessor::VoiceProcessor(const VoiceOptions& options, std::chrono::milliseconds echo_tail)
    : noise_suppression_(options.noise_suppression),
      agc_(options.agc),
      echo_tail_(echo_tail),
      reference_(kBlockSamples, 0),
      cancelled_(kBlockSamples, 0) {
  if (echo_tail < kMinEchoTail || echo_tail > kMaxEchoTail) {
    throw Error("echo tail must be " + std::to_string(kMinEchoTail.count()) + ".." +
                std::to_string(kMaxEchoTail.count()) + " ms, got " +
                std::to_string(echo_tail.count()) + " ms");
  }
  constexpr int kFrame = static_cast<int>(kBlockSamples);
  if (options.echo_cancellation) {
    const int tail_samples = static_cast<int>(echo_tail.count()) * kSamplesPerMs;
    echo_.reset(speex_echo_state_init(kFrame, tail_samples));
    if (!echo_) throw Error("speexdsp echo canceller could not be created");
    int rate = kSampleRate;
    if (speex_echo_ctl(echo_.get(), SPEEX_ECHO_SET_SAMPLING_RATE, &rate) != 0) {
      throw Error("speexdsp echo canceller refused the 48 kHz sample rate");
    }
    history_.assign(kHistorySamples, 0);
  }
  // Without denoise the preprocessor applies no gain at all (not even residual-echo
  // suppression), so it only runs for NS or AGC.
  if (options.noise_suppression || options.agc) {
    preprocess_.reset(speex_preprocess_state_init(kFrame, kSampleRate));
    if (!preprocess_) throw Error("speexdsp preprocessor could not be created");
    SpeexPreprocessState* pp = preprocess_.get();
    int denoise = options.noise_suppression ? 1 : 0;
    check_preprocess(pp, SPEEX_PREPROCESS_SET_DENOISE, &denoise, "set noise suppression");
    int agc = options.agc ? 1 : 0;
    check_preprocess(pp, SPEEX_PREPROCESS_SET_AGC, &agc, "set automatic gain control");
    if (options.agc) {
      spx_int32_t target = kAgcTarget;
      check_preprocess(pp, SPEEX_PREPROCESS_SET_AGC_TARGET, &target, "set the AGC target");
      spx_int32_t max_gain = kAgcMaxGainDb;
      check_preprocess(pp, SPEEX_PREPROCESS_SET_AGC_MAX_GAIN, &max_gain, "set the AGC gain");
    }
    if (echo_) {
      check_preprocess(pp, SPEEX_PREPROCESS_SET_ECHO_STATE, echo_.get(), "link the echo state");
    }
  }
}

VoiceProcessor::~VoiceProcessor() = default;
VoiceProcessor::VoiceProcessor(VoiceProcessor&&) noexcept = default;
VoiceProcessor& VoiceProcessor::operator=(VoiceProcessor&&) noexcept = default;

void VoiceProcessor::on_playback(std::span<const std::int16_t> played) {
  if (!echo_) return;
  if (!far_end_started_) {
    far_end_started_ = std::any_of(played.begin(), played.end(), [](auto s) { return s != 0; });
  }
  if (played.size() > kHistorySamples) {
    written_ += played.size() - kHistorySamples;
    played = played.last(kHistorySamples);
  }
  const std::size_t start = written_ & kHistoryMask;
  const std::size_t first = std::min(played.size(), kHistorySamples - start);
  std::copy_n(played.begin(), first, history_.begin() + static_cast<std::ptrdiff_t>(start));
  std::copy(played.begin() + static_cast<std::ptrdiff_t>(first), played.end(), history_.begin());
  written_ += played.size();
}

void VoiceProcessor::process_capture(std::span<std::int16_t> mic, std::size_t capture_backlog,
                                     std::size_t playback_queued) {
  if (mic.size() % kBlockSamples != 0) {
    throw Error("voice processing needs whole 10 ms blocks, got " + std::to_string(mic.size()) +
                " samples");
  }
  const std::size_t blocks = mic.size() / kBlockSamples;
  std::int64_t first_index = 0;  // far-end sample playing while mic[0] was captured
  if (echo_) {
    update_delay(capture_backlog + playback_queued, blocks);
    const std::size_t delay = delay_in_use_ > kSafetyLead ? delay_in_use_ - kSafetyLead : 0;
    first_index = static_cast<std::int64_t>(written_) - static_cast<std::int64_t>(delay) -
                  static_cast<std::int64_t>(mic.size());
  }
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::span<std::int16_t> block = mic.subspan(b * kBlockSamples, kBlockSamples);
    if (echo_) {
      fill_reference(first_index + static_cast<std::int64_t>(b * kBlockSamples));
      speex_echo_cancellation(echo_.get(), block.data(), reference_.data(), cancelled_.data());
      std::copy(cancelled_.begin(), cancelled_.end(), block.begin());
    }
    if (preprocess_) speex_preprocess_run(preprocess_.get(), block.data());
    ++blocks_processed_;
  }
}

void VoiceProcessor::process_capture(std::span<std::int16_t> mic,
                                     std::span<const std::int16_t> reference) {
  if (mic.size() % kBlockSamples != 0 || reference.size() != mic.size()) {
    throw Error("voice processing needs whole 10 ms blocks and a reference of the same size");
  }
  for (std::size_t at = 0; at < mic.size(); at += kBlockSamples) {
    const std::span<std::int16_t> block = mic.subspan(at, kBlockSamples);
    if (echo_) {
      speex_echo_cancellation(echo_.get(), block.data(), reference.data() + at, cancelled_.data());
      std::copy(cancelled_.begin(), cancelled_.end(), block.begin());
    }
    if (preprocess_) speex_preprocess_run(preprocess_.get(), block.data());
    ++blocks_processed_;
  }
}

void VoiceProcessor::update_delay(std::size_t measured, std::size_t blocks) {
  if (!have_delay_) {
    have_delay_ = true;
    previous_measured_ = measured;
    window_min_ = kEmptyWindow;
    previous_window_min_ = kEmptyWindow;
    delay_in_use_ = measured;
  }
  const std::size_t deglitched = std::max(measured, previous_measured_);
  previous_measured_ = measured;
  window_min_ = std::min(window_min_, deglitched);
  const std::size_t estimate = std::min(window_min_, previous_window_min_);
  window_blocks_ += blocks;
  if (window_blocks_ >= kWindowBlocks) {
    previous_window_min_ = window_min_;
    window_min_ = kEmptyWindow;
    window_blocks_ = 0;
  }
  // Until the far end makes a sound the filter has learnt nothing a move could spoil.
  if (!far_end_started_) {
    delay_in_use_ = estimate;
    return;
  }
  const std::size_t difference =
      estimate > delay_in_use_ ? estimate - delay_in_use_ : delay_in_use_ - estimate;
  if (difference > kRealignThreshold) {
    delay_in_use_ = estimate;
    ++realignments_;
  }
}

void VoiceProcessor::fill_reference(std::int64_t first_index) {
  const auto written = static_cast<std::int64_t>(written_);
  const std::int64_t oldest = written - static_cast<std::int64_t>(kHistorySamples);
  for (std::size_t i = 0; i < kBlockSamples; ++i) {
    const std::int64_t index = first_index + static_cast<std::int64_t>(i);
    const bool available = index >= 0 && index >= oldest && index < written;
    reference_[i] = available ? history_[static_cast<std::size_t>(index) & kHistoryMask] : 0;
  }
}

}  // namespace hotline::audio
