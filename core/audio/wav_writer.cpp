// 16-bit mono WAV writer whose header is kept valid while recording.
//
// A recording is written in place rather than to a temp file renamed on close: if the process
// dies, a temp file would hide the audio we most want to keep. Instead the header is rewritten
// every second, so the file on disk is always a well-formed WAV of everything up to then.

#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "core/audio/wav.hpp"

namespace hotline::audio {
namespace {

constexpr std::size_t kHeaderBytes = 44;
constexpr std::uint64_t kMaxDataBytes = 0xFFFFFFFFull - (kHeaderBytes - 8);

}  // namespace

WavWriter::WavWriter(const std::filesystem::path& path, int sample_rate)
    : path_(path), sample_rate_(sample_rate) {
  if (sample_rate < static_cast<int>(kWavMinSampleRate) ||
      sample_rate > static_cast<int>(kWavMaxSampleRate)) {
    throw WavError("cannot write WAV file: unsupported sample rate " + std::to_string(sample_rate));
  }
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) {
    throw WavError("cannot create WAV file '" + path.string() + "': " + std::strerror(errno));
  }
  try {
    write_header();
  } catch (const Error&) {
    std::fclose(std::exchange(file_, nullptr));
    throw;
  }
}

WavWriter::~WavWriter() {
  try {
    close();
  } catch (const Error&) {
    // Destructors must not throw; callers that care call close() themselves.
  }
}

WavWriter::WavWriter(WavWriter&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)),
      path_(std::move(other.path_)),
      sample_rate_(other.sample_rate_),
      samples_written_(other.samples_written_),
      samples_since_header_(other.samples_since_header_) {}

WavWriter& WavWriter::operator=(WavWriter&& other) noexcept {
  if (this != &other) {
    try {
      close();
    } catch (const Error&) {
    }
    file_ = std::exchange(other.file_, nullptr);
    path_ = std::move(other.path_);
    sample_rate_ = other.sample_rate_;
    samples_written_ = other.samples_written_;
    samples_since_header_ = other.samples_since_header_;
  }
  return *this;
}

void WavWriter::write(std::span<const std::int16_t> samples) {
  if (!file_) throw WavError("cannot write WAV file '" + path_.string() + "': already closed");
  if ((samples_written_ + samples.size()) * 2 > kMaxDataBytes) {
    throw WavError("cannot write WAV file '" + path_.string() + "': 4 GB WAV limit reached");
  }
  if constexpr (std::endian::native == std::endian::little) {
    if (std::fwrite(samples.data(), 2, samples.size(), file_) != samples.size()) fail("write");
  } else {
    std::array<std::uint8_t, 512> le{};
    for (std::size_t done = 0; done < samples.size();) {
      const std::size_t n = std::min(le.size() / 2, samples.size() - done);
      for (std::size_t i = 0; i < n; ++i) {
        store_le16(&le[2 * i], static_cast<std::uint16_t>(samples[done + i]));
      }
      if (std::fwrite(le.data(), 2, n, file_) != n) fail("write");
      done += n;
    }
  }
  samples_written_ += samples.size();
  samples_since_header_ += samples.size();
  if (samples_since_header_ >= static_cast<std::uint64_t>(sample_rate_)) {
    write_header();
    if (std::fseek(file_, 0, SEEK_END) != 0) fail("seek");
  }
}

void WavWriter::flush() {
  if (!file_) throw WavError("cannot write WAV file '" + path_.string() + "': already closed");
  write_header();
  if (::fsync(fileno(file_)) != 0) fail("sync");
  if (std::fseek(file_, 0, SEEK_END) != 0) fail("seek");
}

void WavWriter::close() {
  if (!file_) return;
  std::FILE* f = file_;
  try {
    write_header();
    if (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0) fail("sync");
  } catch (const Error&) {
    std::fclose(f);
    file_ = nullptr;
    throw;
  }
  file_ = nullptr;
  if (std::fclose(f) != 0) {
    throw WavError("cannot write WAV file '" + path_.string() + "': " + std::strerror(errno));
  }
}

void WavWriter::write_header() {
  const auto data_bytes = static_cast<std::uint32_t>(samples_written_ * 2);
  std::array<std::uint8_t, kHeaderBytes> h{};
  std::memcpy(&h[0], "RIFF", 4);
  store_le32(&h[4], static_cast<std::uint32_t>(kHeaderBytes - 8) + data_bytes);
  std::memcpy(&h[8], "WAVEfmt ", 8);
  store_le32(&h[16], 16);
  store_le16(&h[20], 1);  // WAVE_FORMAT_PCM
  store_le16(&h[22], 1);  // mono
  store_le32(&h[24], static_cast<std::uint32_t>(sample_rate_));
  store_le32(&h[28], static_cast<std::uint32_t>(sample_rate_) * 2);
  store_le16(&h[32], 2);   // block align
  store_le16(&h[34], 16);  // bits per sample
  std::memcpy(&h[36], "data", 4);
  store_le32(&h[40], data_bytes);
  // Audio is flushed before the header that counts it, so the header never claims bytes the
  // file does not yet hold.
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0 ||
      std::fwrite(h.data(), 1, h.size(), file_) != h.size() || std::fflush(file_) != 0) {
    fail("header update");
  }
  samples_since_header_ = 0;
}

void WavWriter::fail(const char* what) {
  throw WavError("cannot write WAV file '" + path_.string() + "': " + what + " failed (" +
                 std::strerror(errno) + ")");
}

}  // namespace hotline::audio
