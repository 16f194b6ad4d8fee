// A call's per-frame media path must not touch the heap after warm-up: capture ring -> echo
// cancellation and noise suppression -> Opus -> (packets) -> jitter buffer -> adaptive
// playout (decoder, FEC, concealment, resampler) -> playback ring, plus the level meters and
// call tones. MediaSession is driven exactly as the engine drives it, against a device whose
// "hardware" side the test plays by hand.

#include <array>
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <vector>

#include "core/audio/audio_format.hpp"
#include "core/audio/call_tones.hpp"
#include "core/call/media_session.hpp"
#include "tests/core/audio/allocation_counter.hpp"
#include "tests/support/signal_compare.hpp"

using namespace hotline;
using namespace hotline::audio;

namespace {

class HandDrivenDevice final : public AudioDevice {
 public:
  void start() override {}
  void stop() override {}
  std::string description() const override { return "hand-driven"; }

 protected:
  SpscRing<std::int16_t>& capture_ring() override { return capture_; }
  SpscRing<std::int16_t>& playback_ring() override { return playback_; }
  SpscRing<std::int16_t>* played_ring() override { return &played_; }

 public:
  // One device period: record, then play (zeros when the engine left the ring short).
  void period(std::span<const std::int16_t> mic) {
    capture_.write(mic);
    const std::size_t got = playback_.read(std::span(speaker_).first(mic.size()));
    std::fill(speaker_.begin() + static_cast<std::ptrdiff_t>(got), speaker_.end(), 0);
    played_.write(std::span(speaker_).first(mic.size()));
  }

 private:
  SpscRing<std::int16_t> capture_{kDeviceRingSamples};
  SpscRing<std::int16_t> playback_{kDeviceRingSamples};
  SpscRing<std::int16_t> played_{kDeviceRingSamples};
  std::array<std::int16_t, 480> speaker_{};
};

}  // namespace

TEST_CASE("a call's per-frame media path does not allocate after warm-up") {
  const std::vector<std::int16_t> speech = test::speech_like(4 * 48000, 17);
  auto device = std::make_shared<HandDrivenDevice>();
  VoiceOptions voice;
  voice.agc = true;  // every stage on
  const auto t0 = std::chrono::steady_clock::now();
  call::MediaSession media(call::CallOptions{}, voice, device, t0);
  media.set_expected_loss_percent(10);
  CallToneGenerator tone(CallTone::kRing);
  std::array<std::int16_t, 480> tone_buffer{};

  std::array<std::uint8_t, wire::kMaxOpusPayload> packet{};
  std::size_t packet_len = 0;
  std::size_t packets = 0;
  // Built once: a lambda converted per call could allocate inside std::function.
  const call::MediaSession::SendFrame send = [&](ByteSpan frame) {
    std::memcpy(packet.data(), frame.data(), frame.size());
    packet_len = frame.size();
    ++packets;
  };

  std::uint64_t seq = 0;
  auto run = [&](std::size_t first_period, std::size_t periods) {
    for (std::size_t k = first_period; k < first_period + periods; ++k) {
      const auto now = t0 + std::chrono::milliseconds(10 * k);
      device->period(std::span(speech).subspan((k * 480) % (speech.size() - 480), 480));
      const std::size_t before = packets;
      media.pump_capture(now, send);
      if (packets != before) {
        ++seq;
        if (seq % 9 != 4) media.on_voice_packet(seq, ByteSpan(packet.data(), packet_len), now);
      }
      media.pump_playback(now);
      tone.fill(tone_buffer);
      (void)media.counters();
    }
  };

  run(0, 200);  // 2 s: the playout has started and met a loss
  const std::size_t before = test::allocation_count();
  run(200, 1000);  // 10 s
  const std::size_t during = test::allocation_count() - before;

  CHECK(during == 0);
  const call::MediaCounters c = media.counters();
  CHECK(c.voice_packets_received > 500);
  CHECK(c.lost > 40);
  CHECK(c.fec_recovered > 0);
  CHECK(c.concealment_events > 0);
  CHECK(c.input_level_dbfs > -40);
  CHECK(c.output_level_dbfs > -60);
}
