#include "tests/bench/pipeline_parts.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/audio/audio_format.hpp"
#include "core/audio/opus_codec.hpp"
#include "core/audio/resampler.hpp"
#include "core/audio/voice_processor.hpp"
#include "tests/bench/chirp_match.hpp"
#include "tests/bench/timestamped_io.hpp"

namespace hotline::bench {
namespace {

constexpr std::size_t kLead = 200 * audio::kSamplesPerMs;    // silence before the chirp
constexpr std::size_t kLength = 600 * audio::kSamplesPerMs;  // whole test signal

// Runs a test signal through `stage` one frame at a time and finds the chirp in its output.
StageDelay through(int frame_ms,
                   const std::function<void(std::span<std::int16_t> frame,
                                            std::vector<std::int16_t>& output)>& stage) {
  const std::vector<std::int16_t> chirp = make_chirp();
  std::vector<std::int16_t> signal(kLength, 0);
  std::copy(chirp.begin(), chirp.end(), signal.begin() + static_cast<std::ptrdiff_t>(kLead));
  const auto frame = static_cast<std::size_t>(frame_ms * audio::kSamplesPerMs);
  std::vector<std::int16_t> output;
  for (std::size_t at = 0; at + frame <= signal.size(); at += frame) {
    stage(std::span<std::int16_t>(signal).subspan(at, frame), output);
  }
  // A stage that still holds samples at the end (a filter's tail) emits everything that much
  // later than the output index alone says.
  const auto fed = static_cast<double>(signal.size() / frame * frame);
  const double held = fed - static_cast<double>(output.size());
  const Peak p = find_pattern(output, chirp);
  return {(p.position + held - static_cast<double>(kLead)) / audio::kSamplesPerMs, p.correlation};
}

}  // namespace

StageDelay codec_delay(int frame_ms, int bitrate) {
  audio::OpusVoiceEncoder encoder(frame_ms, bitrate);
  audio::OpusVoiceDecoder decoder(frame_ms);
  Bytes packet(encoder.packet_bytes());
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(encoder.frame_samples()));
  return through(frame_ms, [&](std::span<std::int16_t> frame, std::vector<std::int16_t>& out) {
    const std::size_t n = encoder.encode(frame, packet);
    const std::size_t got = decoder.decode(ByteSpan(packet.data(), n), pcm);
    out.insert(out.end(), pcm.begin(), pcm.begin() + static_cast<std::ptrdiff_t>(got));
  });
}

StageDelay playout_resampler_delay(int frame_ms) {
  audio::Resampler resampler(audio::kSampleRate, audio::kSampleRate);
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(2 * frame_ms * audio::kSamplesPerMs));
  return through(frame_ms, [&](std::span<std::int16_t> frame, std::vector<std::int16_t>& out) {
    const audio::Resampler::Result r = resampler.process(frame, pcm);
    out.insert(out.end(), pcm.begin(), pcm.begin() + static_cast<std::ptrdiff_t>(r.produced));
  });
}

StageDelay voice_processing_delay(int frame_ms) {
  audio::VoiceProcessor processor(audio::VoiceOptions{});
  const std::vector<std::int16_t> far_end(
      static_cast<std::size_t>(frame_ms * audio::kSamplesPerMs));
  return through(frame_ms, [&](std::span<std::int16_t> frame, std::vector<std::int16_t>& out) {
    processor.on_playback(far_end);
    processor.process_capture(frame, 0, far_end.size());
    out.insert(out.end(), frame.begin(), frame.end());
  });
}

}  // namespace hotline::bench
