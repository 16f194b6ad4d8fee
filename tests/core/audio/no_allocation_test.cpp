// The per-frame media path (ring -> encode -> jitter buffer -> decode -> ring) must not touch
// the heap after warm-up. Counts every operator new in this test program.

#include <array>
#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <new>
#include <vector>

#include "core/audio/audio_format.hpp"
#include "core/audio/jitter_buffer.hpp"
#include "core/audio/opus_codec.hpp"
#include "core/audio/spsc_ring.hpp"
#include "tests/support/signal_compare.hpp"

namespace {
std::atomic<std::size_t> g_allocations{0};
}

// Every unaligned form is replaced, so each allocation and its release go through the same
// malloc/free pair (AddressSanitizer checks that they match).
namespace {
void* counted_allocation(std::size_t n) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = counted_allocation(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted_allocation(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return counted_allocation(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return counted_allocation(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

using namespace hotline;
using namespace hotline::audio;

TEST_CASE("the per-frame media path does not allocate after warm-up") {
  const std::vector<std::int16_t> speech = test::speech_like(4 * 48000, 17);
  SpscRing<std::int16_t> capture(kDeviceRingSamples);
  SpscRing<std::int16_t> playback(kDeviceRingSamples);
  OpusVoiceEncoder enc(20, 32000);
  enc.set_expected_loss_percent(10);
  OpusVoiceDecoder dec(20);
  JitterBuffer jb(2);
  std::array<std::int16_t, 960> frame{};
  std::array<std::int16_t, 960> decoded{};
  std::array<std::uint8_t, wire::kMaxOpusPayload> packet{};
  const auto t0 = JitterBuffer::Clock::now();

  std::size_t failures = 0;
  std::size_t frames_decoded = 0;
  std::size_t frames_from_fec = 0;
  auto run_frames = [&](std::size_t first, std::size_t count) {
    for (std::size_t k = first; k < first + count; ++k) {
      const auto now = t0 + std::chrono::milliseconds(20 * k);
      capture.write(std::span(speech).subspan((k * 960) % (speech.size() - 960), 960));
      if (capture.read(frame) != frame.size()) ++failures;
      const std::size_t len = enc.encode(frame, packet);
      if (k % 9 != 4) jb.insert(k, ByteSpan(packet.data(), len), now);  // some loss
      const Playout p = jb.pop(now);
      std::size_t n = 0;
      switch (p.kind) {
        case PlayoutKind::kFrame:
          n = dec.decode(p.payload, decoded);
          ++frames_decoded;
          break;
        case PlayoutKind::kFecFromNext:
          n = dec.decode_fec(p.payload, decoded);
          ++frames_from_fec;
          break;
        case PlayoutKind::kMissing:
          n = dec.conceal(decoded);
          break;
        case PlayoutKind::kNotStarted:
          n = decoded.size();
          break;
      }
      if (n != decoded.size()) ++failures;
      playback.write(decoded);
      if (playback.read(decoded) != decoded.size()) ++failures;
    }
  };

  run_frames(0, 20);
  const std::size_t before = g_allocations.load();
  run_frames(20, 500);
  const std::size_t during = g_allocations.load() - before;

  CHECK(during == 0);
  CHECK(failures == 0);
  CHECK(frames_decoded > 400);
  CHECK(frames_from_fec > 40);
}
