#include "core/audio/resampler.hpp"

#include <speex/speex_resampler.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/util/error.hpp"

namespace hotline::audio {

Resampler::Resampler(std::uint32_t in_rate, std::uint32_t out_rate, int quality)
    : in_rate_(in_rate), out_rate_(out_rate) {
  if (in_rate < 8000 || in_rate > 192000 || out_rate < 8000 || out_rate > 192000) {
    throw Error("resampler rates must be 8000..192000 Hz");
  }
  int err = RESAMPLER_ERR_SUCCESS;
  state_ = speex_resampler_init(1, in_rate, out_rate, std::clamp(quality, 0, 10), &err);
  if (!state_ || err != RESAMPLER_ERR_SUCCESS) {
    throw Error(std::string("cannot create resampler: ") + speex_resampler_strerror(err));
  }
  // speexdsp grows its filter tables the first time a ratio needs them. Visit both extremes
  // now so later adjustments on the engine's per-frame path never allocate.
  set_adjust(-kMaxAdjust);
  set_adjust(kMaxAdjust);
  set_adjust(0.0);
  reset();
}

Resampler::~Resampler() {
  if (state_) speex_resampler_destroy(state_);
}

void Resampler::set_adjust(double adjust) {
  const double clamped = std::clamp(adjust, -kMaxAdjust, kMaxAdjust);
  const auto steps = static_cast<std::int64_t>(std::lround(clamped * kAdjustSteps));
  adjust_steps_ = steps;
  // speexdsp's ratio is input samples per output sample: in * S / (out * (S + steps)).
  const std::uint64_t num = std::uint64_t{in_rate_} * kAdjustSteps;
  const std::uint64_t den =
      std::uint64_t{out_rate_} * static_cast<std::uint64_t>(std::int64_t{kAdjustSteps} + steps);
  std::uint64_t a = num, b = den;
  while (b != 0) a = std::exchange(b, a % b);  // reduce so both fit in 32 bits
  speex_resampler_set_rate_frac(state_, static_cast<spx_uint32_t>(num / a),
                                static_cast<spx_uint32_t>(den / a), in_rate_, out_rate_);
}

double Resampler::adjust() const {
  return static_cast<double>(adjust_steps_) / kAdjustSteps;
}

Resampler::Result Resampler::process(std::span<const std::int16_t> in,
                                     std::span<std::int16_t> out) {
  spx_uint32_t in_len = static_cast<spx_uint32_t>(in.size());
  spx_uint32_t out_len = static_cast<spx_uint32_t>(out.size());
  speex_resampler_process_int(state_, 0, in.data(), &in_len, out.data(), &out_len);
  return {in_len, out_len};
}

std::size_t Resampler::output_for(std::size_t in_samples) const {
  const double ratio = static_cast<double>(out_rate_) / in_rate_ * (1.0 + adjust());
  return static_cast<std::size_t>(std::ceil(static_cast<double>(in_samples) * ratio)) + 1;
}

void Resampler::reset() {
  speex_resampler_reset_mem(state_);
  speex_resampler_skip_zeros(state_);
}

}  // namespace hotline::audio
