#pragma once
// Sample-rate conversion of 16-bit mono audio with the speexdsp resampler. Used for devices
// that cannot run at 48 kHz and, with a ratio a fraction of a percent off 1, to play out
// slightly faster or slower than the sender (clock skew, jitter-buffer shrinking).

#include <cstddef>
#include <cstdint>
#include <span>

struct SpeexResamplerState_;

namespace hotline::audio {

class Resampler {
 public:
  struct Result {
    std::size_t consumed = 0;  // input samples used
    std::size_t produced = 0;  // output samples written
  };

  // quality 0..10 (speexdsp's scale; 5 is its "desktop" default). Throws hotline::Error.
  Resampler(std::uint32_t in_rate, std::uint32_t out_rate, int quality = 5);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  // Output samples per input sample = out_rate/in_rate * (1 + adjust). adjust is clamped to
  // +-kMaxAdjust and quantised to kAdjustSteps so steady control does not churn the filter.
  // Changing it keeps the filter state: no click.
  void set_adjust(double adjust);
  double adjust() const;

  Result process(std::span<const std::int16_t> in, std::span<std::int16_t> out);
  // Output samples `in_samples` of input will make at the current ratio (rounded up).
  std::size_t output_for(std::size_t in_samples) const;
  void reset();  // forget history (after a discontinuity)

  static constexpr double kMaxAdjust = 0.02;
  static constexpr std::uint32_t kAdjustSteps = 10'000;  // resolution 1e-4

 private:
  SpeexResamplerState_* state_ = nullptr;
  std::uint32_t in_rate_;
  std::uint32_t out_rate_;
  std::int64_t adjust_steps_ = 0;
};

}  // namespace hotline::audio
