#include "core/audio/rate_bridge.hpp"

#include <algorithm>
#include <span>

#include "core/audio/audio_format.hpp"

namespace hotline::audio {

namespace {

// Input taken per resampler call: 10 ms at 48 kHz.
constexpr std::size_t kChunk = 480;
// Resampler quality: 5 is speexdsp's default for desktop use; a voice call needs no more.
constexpr int kQuality = 5;
// The playback ring only ever holds the target plus one chunk's output.
constexpr std::size_t kPlaybackRingSamples = 16384;

// Feeds all of `in` through the resampler, handing each piece of output to `emit`.
template <typename Emit>
void resample_all(Resampler& resampler, std::span<const std::int16_t> in,
                  std::span<std::int16_t> out, Emit&& emit) {
  while (!in.empty()) {
    const Resampler::Result r = resampler.process(in, out);
    emit(std::span<const std::int16_t>(out.data(), r.produced));
    if (r.consumed == 0 && r.produced == 0) return;  // cannot happen with room in `out`
    in = in.subspan(r.consumed);
  }
}

}  // namespace

CaptureBridge::CaptureBridge(std::uint32_t device_rate)
    : resampler_(device_rate, kSampleRate, kQuality),
      device_ring_(kDeviceRingSamples),
      in_(kChunk),
      out_(resampler_.output_for(kChunk) + 16) {}

std::size_t CaptureBridge::service(SpscRing<std::int16_t>& engine) {
  std::size_t dropped = 0;
  for (;;) {
    const std::size_t n = device_ring_.read(in_);
    if (n == 0) return dropped;
    resample_all(resampler_, std::span<const std::int16_t>(in_.data(), n), out_,
                 [&](std::span<const std::int16_t> piece) {
                   dropped += piece.size() - engine.write(piece);
                 });
  }
}

DuplexCaptureBridge::Side::Side(std::uint32_t device_rate)
    : resampler(device_rate, kSampleRate, kQuality),
      ring(kDeviceRingSamples),
      in(kChunk),
      out(resampler.output_for(kChunk) + 16) {}

DuplexCaptureBridge::DuplexCaptureBridge(std::uint32_t device_rate)
    : capture_(device_rate), played_(device_rate) {}

std::size_t DuplexCaptureBridge::service(SpscRing<std::int16_t>& capture,
                                         SpscRing<std::int16_t>& played) {
  std::size_t dropped = 0;
  for (;;) {
    // The callback writes capture first: take only what both already hold.
    const std::size_t n = std::min(
        {capture_.ring.available_read(), played_.ring.available_read(), capture_.in.size()});
    if (n == 0) return dropped;
    capture_.ring.read(std::span(capture_.in).first(n));
    played_.ring.read(std::span(played_.in).first(n));
    for (std::size_t pos = 0; pos < n;) {
      const Resampler::Result a = capture_.resampler.process(
          std::span<const std::int16_t>(capture_.in).subspan(pos, n - pos), capture_.out);
      const Resampler::Result b = played_.resampler.process(
          std::span<const std::int16_t>(played_.in).subspan(pos, n - pos), played_.out);
      const std::size_t produced = std::min(a.produced, b.produced);  // equal, see above
      const std::size_t fits =
          std::min({produced, capture.available_write(), played.available_write()});
      capture.write(std::span<const std::int16_t>(capture_.out).first(fits));
      played.write(std::span<const std::int16_t>(played_.out).first(fits));
      dropped += produced - fits;
      if (a.consumed == 0) break;  // cannot happen with room in `out`
      pos += a.consumed;
    }
  }
}

PlaybackBridge::PlaybackBridge(std::uint32_t device_rate, std::size_t target_samples)
    : device_rate_(device_rate),
      target_(target_samples),
      resampler_(kSampleRate, device_rate, kQuality),
      device_ring_(std::max(kPlaybackRingSamples, 2 * target_samples)),
      in_(kChunk),
      out_(resampler_.output_for(kChunk) + 16) {}

void PlaybackBridge::service(SpscRing<std::int16_t>& engine) {
  for (;;) {
    const std::size_t queued = device_ring_.available_read();
    if (queued >= target_) return;
    // 48 kHz samples that make up the shortfall, rounded up.
    const std::size_t wanted = ((target_ - queued) * kSampleRate + device_rate_ - 1) / device_rate_;
    const std::size_t n = engine.read(std::span(in_).first(std::min(wanted, in_.size())));
    if (n == 0) return;
    resample_all(resampler_, std::span<const std::int16_t>(in_.data(), n), out_,
                 [&](std::span<const std::int16_t> piece) { device_ring_.write(piece); });
  }
}

}  // namespace hotline::audio
