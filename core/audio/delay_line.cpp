#include "core/audio/delay_line.hpp"

#include "core/audio/audio_format.hpp"

namespace hotline::audio {

DelayLine::DelayLine(std::size_t delay_samples)
    : ring_(delay_samples + kSampleRate), delay_(delay_samples) {}

void DelayLine::write(std::span<const std::int16_t> in) {
  for (std::int16_t s : in) ring_[written_++ % ring_.size()] = s;
}

void DelayLine::read(std::span<std::int16_t> out) {
  for (std::int16_t& s : out) {
    // The n-th sample out is the (n - delay)-th sample in, while the ring still holds it.
    const std::uint64_t n = read_++;
    const bool held =
        n >= delay_ && n - delay_ < written_ && written_ - (n - delay_) <= ring_.size();
    s = held ? ring_[(n - delay_) % ring_.size()] : std::int16_t{0};
  }
}

}  // namespace hotline::audio
