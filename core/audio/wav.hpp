#pragma once
// WAV files in and out of the audio layer. Reading accepts what real tools write (any common
// PCM/float layout, up to 8 channels, 8..192 kHz) and always yields 48 kHz mono int16;
// writing produces 16-bit mono that stays readable even if the writing process is killed.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <vector>

#include "core/audio/audio_format.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hotline::audio {

class WavError : public Error {
 public:
  using Error::Error;
};

inline constexpr int kWavMaxChannels = 8;
inline constexpr std::uint32_t kWavMinSampleRate = 8000;
inline constexpr std::uint32_t kWavMaxSampleRate = 192000;
inline constexpr std::chrono::seconds kWavMaxDuration{3600};

struct PcmBuffer {
  std::vector<std::int16_t> samples;  // kSampleRate, mono

  std::chrono::milliseconds duration() const {
    return std::chrono::milliseconds(samples.size() / kSamplesPerMs);
  }
};

// Throws WavError naming the problem (and, for read_wav, the file).
PcmBuffer read_wav(const std::filesystem::path& path);
PcmBuffer parse_wav(ByteSpan file_bytes);

// 16-bit mono writer. The header is rewritten every second of audio so a killed process
// leaves a valid file holding everything up to the last rewrite; close() completes it.
class WavWriter {
 public:
  explicit WavWriter(const std::filesystem::path& path, int sample_rate = kSampleRate);
  ~WavWriter();  // closes; errors are swallowed here, call close() to see them
  WavWriter(WavWriter&& other) noexcept;
  WavWriter& operator=(WavWriter&& other) noexcept;
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;

  void write(std::span<const std::int16_t> samples);
  void flush();  // completes the header and fsyncs, leaving the writer open
  void close();  // idempotent; fsyncs the file

  bool is_open() const { return file_ != nullptr; }
  std::uint64_t samples_written() const { return samples_written_; }

 private:
  void write_header();
  void fail(const char* what);

  std::FILE* file_ = nullptr;
  std::filesystem::path path_;
  int sample_rate_;
  std::uint64_t samples_written_ = 0;
  std::uint64_t samples_since_header_ = 0;
};

}  // namespace hotline::audio
