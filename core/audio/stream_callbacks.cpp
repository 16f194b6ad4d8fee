#include "core/audio/stream_callbacks.hpp"

#include <algorithm>

namespace hotline::audio {

namespace {

void count_overrun(CallbackState& state, std::size_t dropped) noexcept {
  if (dropped == 0) return;
  state.xruns.fetch_add(1, std::memory_order_relaxed);
  state.xrun_samples.fetch_add(dropped, std::memory_order_relaxed);
}

void write_capture_and_reference(std::span<const std::int16_t> in, const DuplexRings& rings,
                                 ReferenceAligner& reference,
                                 CallbackState& capture_state) noexcept {
  // Seen from the producer, free space only grows, so both writes below take all n: a ring
  // that took more than the other would shift every later pair.
  const std::size_t room =
      std::min(rings.capture.available_write(), rings.played.available_write());
  const std::size_t n = std::min(in.size(), room);
  rings.capture.write(in.first(n));
  reference.write_reference(n, rings.played);
  count_overrun(capture_state, in.size() - n);
}

}  // namespace

void capture_callback(std::span<const std::int16_t> in, SpscRing<std::int16_t>& ring,
                      CallbackState& state) noexcept {
  state.callbacks.fetch_add(1, std::memory_order_relaxed);
  state.samples.fetch_add(in.size(), std::memory_order_relaxed);
  if (state.enabled.load(std::memory_order_relaxed)) {
    count_overrun(state, in.size() - ring.write(in));
  }
  state.completed.fetch_add(1, std::memory_order_release);
}

void playback_callback(std::span<std::int16_t> out, SpscRing<std::int16_t>& ring,
                       CallbackState& state) noexcept {
  state.callbacks.fetch_add(1, std::memory_order_relaxed);
  state.samples.fetch_add(out.size(), std::memory_order_relaxed);
  const std::size_t got = state.enabled.load(std::memory_order_relaxed) ? ring.read(out) : 0;
  if (got < out.size()) {
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(got), out.end(), std::int16_t{0});
    state.xruns.fetch_add(1, std::memory_order_relaxed);
    state.xrun_samples.fetch_add(out.size() - got, std::memory_order_relaxed);
  }
  state.completed.fetch_add(1, std::memory_order_release);
}

void duplex_callback(std::span<const std::int16_t> in, std::span<std::int16_t> out,
                     const DuplexRings& rings, ReferenceAligner& reference,
                     CallbackState& capture_state, CallbackState& playback_state) noexcept {
  playback_callback(out, rings.playback, playback_state);
  reference.append(out);
  capture_state.callbacks.fetch_add(1, std::memory_order_relaxed);
  capture_state.samples.fetch_add(in.size(), std::memory_order_relaxed);
  if (capture_state.enabled.load(std::memory_order_relaxed)) {
    write_capture_and_reference(in, rings, reference, capture_state);
  }
  capture_state.completed.fetch_add(1, std::memory_order_release);
}
}  // namespace hotline::audio
