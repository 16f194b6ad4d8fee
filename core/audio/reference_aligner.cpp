#include "core/audio/reference_aligner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>

#include "core/util/error.hpp"

namespace hotline::audio {

namespace {

std::size_t history_for(int rate) {
  // The largest shift plus the longest callback (50 ms), rounded up to a power of two.
  const auto wanted = static_cast<std::size_t>(rate) * 6 / 10;
  std::size_t capacity = 1;
  while (capacity < wanted) capacity <<= 1;
  return capacity;
}

}  // namespace

ReferenceAligner::ReferenceAligner(int rate)
    : rate_(rate),
      hysteresis_(std::llround(rate * kHysteresisSeconds)),
      max_shift_(std::llround(rate * kMaxShiftSeconds)),
      capacity_(history_for(rate)),
      history_(new std::int16_t[capacity_]()) {
  if (rate < 8000 || rate > 192000) throw Error("reference aligner rate must be 8000..192000 Hz");
}

void ReferenceAligner::note_round_trip(double seconds) noexcept {
  if (!std::isfinite(seconds) || seconds <= 0.0 || seconds > kMaxShiftSeconds) return;
  const std::int64_t round_trip = std::llround(seconds * rate_);
  if (lowest_ < 0 || round_trip < lowest_) lowest_ = round_trip;
  const std::int64_t wanted = std::min(round_trip - lowest_, max_shift_);
  if (std::llabs(wanted - shift_.load(kRelaxed)) <= hysteresis_) {
    confirmations_ = 0;
  } else if (confirmations_ > 0 && std::llabs(wanted - candidate_) <= hysteresis_) {
    // A new round trip only counts once it has held for a few callbacks: one odd timestamp
    // must not jerk the reference back and forth.
    if (++confirmations_ >= kConfirmations) {
      shift_.store(wanted, kRelaxed);
      shifts_.fetch_add(1, kRelaxed);
      confirmations_ = 0;
    }
  } else {
    candidate_ = wanted;
    confirmations_ = 1;
  }
}

void ReferenceAligner::append(std::span<const std::int16_t> out) noexcept {
  block_start_ = appended_;
  const std::size_t mask = capacity_ - 1;
  for (std::size_t done = 0; done < out.size();) {
    const std::size_t at = (appended_ + done) & mask;
    const std::size_t n = std::min(out.size() - done, capacity_ - at);
    std::copy_n(out.data() + done, n, history_.get() + at);
    done += n;
  }
  appended_ += out.size();
}

void ReferenceAligner::write_reference(std::size_t n, SpscRing<std::int16_t>& played) noexcept {
  const std::size_t mask = capacity_ - 1;
  // Before the first output the history holds silence, which is what played then.
  const std::uint64_t from = block_start_ - static_cast<std::uint64_t>(shift_.load(kRelaxed));
  const std::size_t known = std::min<std::uint64_t>(n, appended_ - from);
  for (std::size_t done = 0; done < known;) {
    const std::size_t at = (from + done) & mask;
    const std::size_t piece = std::min(known - done, capacity_ - at);
    played.write(std::span<const std::int16_t>(history_.get() + at, piece));
    done += piece;
  }
  // Input beyond the output handed over with it (PortAudio gives both the same length, but
  // should one come without the other): nothing was played for it yet.
  static constexpr std::int16_t kSilence[256] = {};
  for (std::size_t done = known; done < n;) {
    const std::size_t piece = std::min(n - done, std::size(kSilence));
    played.write(std::span<const std::int16_t>(kSilence, piece));
    done += piece;
  }
}

}  // namespace hotline::audio
