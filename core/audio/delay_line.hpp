#pragma once
// What a virtual loudspeaker plays comes back out of the virtual microphone a fixed time
// later: the far end of the console's Echo Test line. One DelayLine is shared by a source and
// a sink of the same ClockedDevice, so both run on its thread and need no lock.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/audio/sample_io.hpp"

namespace hotline::audio {

class DelayLine {
 public:
  explicit DelayLine(std::size_t delay_samples);
  void write(std::span<const std::int16_t> in);
  // The samples written `delay_samples` earlier; silence until that much was written.
  void read(std::span<std::int16_t> out);

 private:
  std::vector<std::int16_t> ring_;  // delay plus room for one period
  std::size_t delay_;
  std::uint64_t written_ = 0;
  std::uint64_t read_ = 0;
};

class DelayLineSource final : public SampleSource {
 public:
  explicit DelayLineSource(std::shared_ptr<DelayLine> line) : line_(std::move(line)) {}
  void fill(std::span<std::int16_t> out) override { line_->read(out); }
  std::string description() const override { return "delay line"; }

 private:
  std::shared_ptr<DelayLine> line_;
};

class DelayLineSink final : public SampleSink {
 public:
  explicit DelayLineSink(std::shared_ptr<DelayLine> line) : line_(std::move(line)) {}
  void consume(std::span<const std::int16_t> in) override { line_->write(in); }
  std::string description() const override { return "delay line"; }

 private:
  std::shared_ptr<DelayLine> line_;
};

}  // namespace hotline::audio
