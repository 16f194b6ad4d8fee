#include "core/audio/sample_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "core/util/error.hpp"

namespace hotline::audio {

PcmSource::PcmSource(PcmBuffer pcm, std::string label)
    : pcm_(std::move(pcm)), label_(std::move(label)) {}

std::unique_ptr<PcmSource> PcmSource::from_wav(const std::filesystem::path& path) {
  return std::make_unique<PcmSource>(read_wav(path), "file '" + path.filename().string() + "'");
}

void PcmSource::fill(std::span<std::int16_t> out) {
  const std::size_t pos = position_.load(std::memory_order_relaxed);
  const std::size_t n = std::min(out.size(), pcm_.samples.size() - pos);
  std::copy_n(pcm_.samples.begin() + static_cast<std::ptrdiff_t>(pos), n, out.begin());
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), std::int16_t{0});
  position_.store(pos + n, std::memory_order_release);
}

std::string PcmSource::description() const {
  return label_;
}

ToneSource::ToneSource(double frequency_hz, double level_dbfs)
    : frequency_hz_(frequency_hz),
      level_dbfs_(level_dbfs),
      amplitude_(32767.0 * std::pow(10.0, level_dbfs / 20.0)),
      phase_step_(frequency_hz / kSampleRate) {
  if (!(frequency_hz > 0.0 && frequency_hz < kSampleRate / 2.0)) {
    throw Error("tone frequency must be between 0 and 24000 Hz");
  }
  if (!(level_dbfs <= 0.0)) throw Error("tone level must be at most 0 dBFS");
}

void ToneSource::fill(std::span<std::int16_t> out) {
  for (auto& s : out) {
    s = static_cast<std::int16_t>(
        std::lrint(amplitude_ * std::sin(2.0 * std::numbers::pi * phase_)));
    phase_ += phase_step_;
    if (phase_ >= 1.0) phase_ -= 1.0;
  }
}

std::string ToneSource::description() const {
  char text[64];
  std::snprintf(text, sizeof text, "tone %.0f Hz %.1f dBFS", frequency_hz_, level_dbfs_);
  return text;
}

void SilenceSource::fill(std::span<std::int16_t> out) {
  std::fill(out.begin(), out.end(), std::int16_t{0});
}

WavSink::WavSink(const std::filesystem::path& path) : path_(path), writer_(path) {}

std::string WavSink::description() const {
  return "wav '" + path_.filename().string() + "'";
}

MemorySink::MemorySink(std::size_t reserve_samples) {
  samples_.reserve(reserve_samples);
}

void MemorySink::consume(std::span<const std::int16_t> in) {
  std::lock_guard lock(mutex_);
  samples_.insert(samples_.end(), in.begin(), in.end());
}

std::vector<std::int16_t> MemorySink::samples() const {
  std::lock_guard lock(mutex_);
  return samples_;
}

}  // namespace hotline::audio
