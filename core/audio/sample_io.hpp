#pragma once
// Strategies a ClockedDevice is built from: a SampleSource fills what the "microphone"
// captures, a SampleSink takes what the "speaker" plays. Both run on the device thread only,
// never under a lock the engine can take (MemorySink's own mutex is shared only with the test
// reading it).

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/audio/wav.hpp"

namespace hotline::audio {

class SampleSource {
 public:
  virtual ~SampleSource() = default;
  virtual void fill(std::span<std::int16_t> out) = 0;
  virtual std::string description() const = 0;
};

class SampleSink {
 public:
  virtual ~SampleSink() = default;
  virtual void consume(std::span<const std::int16_t> in) = 0;
  // Called when the device stops: make everything consumed so far durable/visible.
  virtual void finish() {}
  virtual std::string description() const = 0;
};

// Plays a buffer once, then silence.
class PcmSource final : public SampleSource {
 public:
  explicit PcmSource(PcmBuffer pcm, std::string label = "pcm buffer");
  static std::unique_ptr<PcmSource> from_wav(const std::filesystem::path& path);
  void fill(std::span<std::int16_t> out) override;
  std::string description() const override;
  bool finished() const { return position_.load(std::memory_order_acquire) >= pcm_.samples.size(); }

 private:
  PcmBuffer pcm_;
  std::string label_;
  std::atomic<std::size_t> position_{0};
};

// Sine wave; level is the peak amplitude in dB relative to full scale.
class ToneSource final : public SampleSource {
 public:
  ToneSource(double frequency_hz, double level_dbfs);
  void fill(std::span<std::int16_t> out) override;
  std::string description() const override;

 private:
  double frequency_hz_;
  double level_dbfs_;
  double amplitude_;
  double phase_ = 0.0;  // in cycles, kept in [0, 1)
  double phase_step_;
};

class SilenceSource final : public SampleSource {
 public:
  void fill(std::span<std::int16_t> out) override;
  std::string description() const override { return "silence"; }
};

class WavSink final : public SampleSink {
 public:
  explicit WavSink(const std::filesystem::path& path);
  void consume(std::span<const std::int16_t> in) override { writer_.write(in); }
  void finish() override { writer_.flush(); }
  std::string description() const override;

 private:
  std::filesystem::path path_;
  WavWriter writer_;
};

class DiscardSink final : public SampleSink {
 public:
  void consume(std::span<const std::int16_t>) override {}
  std::string description() const override { return "discard"; }
};

// Collects everything played, for tests. Reserve enough to keep the device thread from
// reallocating mid-run.
class MemorySink final : public SampleSink {
 public:
  explicit MemorySink(std::size_t reserve_samples = 0);
  void consume(std::span<const std::int16_t> in) override;
  std::string description() const override { return "memory"; }
  std::vector<std::int16_t> samples() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::int16_t> samples_;
};

}  // namespace hotline::audio
