#include "core/audio/opus_codec.hpp"

#include <array>
#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <vector>

#include "core/audio/audio_format.hpp"
#include "core/util/error.hpp"
#include "core/wire/wire.hpp"
#include "tests/support/signal_compare.hpp"

using namespace hotline;
using namespace hotline::audio;

namespace {

struct Encoded {
  std::vector<Bytes> packets;
};

Encoded encode_all(OpusVoiceEncoder& enc, const std::vector<std::int16_t>& pcm) {
  Encoded out;
  const auto n = static_cast<std::size_t>(enc.frame_samples());
  std::array<std::uint8_t, wire::kMaxOpusPayload> buf{};
  for (std::size_t pos = 0; pos + n <= pcm.size(); pos += n) {
    const std::size_t len = enc.encode(std::span(pcm).subspan(pos, n), buf);
    out.packets.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(len));
  }
  return out;
}

// Best normalised waveform correlation over lags min_lag..max_lag (the codec delays its
// output). Each lag costs a pass over the whole signal, so callers search a narrow range.
double best_correlation(const std::vector<std::int16_t>& a, const std::vector<std::int16_t>& b,
                        std::size_t min_lag, std::size_t max_lag) {
  double best = -1.0;
  for (std::size_t lag = min_lag; lag <= max_lag; ++lag) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i + lag < b.size() && i < a.size(); ++i) {
      ab += static_cast<double>(a[i]) * b[i + lag];
      aa += static_cast<double>(a[i]) * a[i];
      bb += static_cast<double>(b[i + lag]) * b[i + lag];
    }
    if (aa > 0 && bb > 0) best = std::max(best, ab / std::sqrt(aa * bb));
  }
  return best;
}

double error_energy(std::span<const std::int16_t> a, std::span<const std::int16_t> b) {
  double e = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = static_cast<double>(a[i]) - b[i];
    e += d * d;
  }
  return e;
}

}  // namespace

TEST_CASE("opus encoder rejects unsupported settings") {
  CHECK_THROWS_AS(OpusVoiceEncoder(15, 32000), Error);
  CHECK_THROWS_AS(OpusVoiceEncoder(20, 8000), Error);
  CHECK_THROWS_AS(OpusVoiceEncoder(20, 96000), Error);
  CHECK_THROWS_AS(OpusVoiceDecoder(5), Error);
  OpusVoiceEncoder enc(20, 32000);
  CHECK_THROWS_AS(enc.set_expected_loss_percent(101), Error);
  std::vector<std::int16_t> short_frame(500);
  std::array<std::uint8_t, 200> out{};
  CHECK_THROWS_AS(enc.encode(short_frame, out), Error);
  std::vector<std::int16_t> frame(960);
  CHECK_THROWS_AS(enc.encode(frame, std::span(out).first(79)), Error);
}

TEST_CASE("opus CBR packets all have the same size whatever the signal") {
  struct Case {
    int frame_ms, bitrate;
    std::size_t bytes;
  };
  for (const Case c : {Case{20, 32000, 80}, Case{10, 32000, 40}, Case{20, 16000, 40},
                       Case{20, 64000, 160}, Case{10, 64000, 80}}) {
    OpusVoiceEncoder enc(c.frame_ms, c.bitrate);
    enc.set_expected_loss_percent(10);
    CHECK(enc.packet_bytes() == c.bytes);
    CHECK(enc.frame_samples() == c.frame_ms * 48);
    // Silence, speech-like audio and full-scale noise: the hardest cases for a fixed size.
    std::vector<std::int16_t> pcm(48000, 0);
    const auto speech = test::speech_like(48000, 7);
    pcm.insert(pcm.end(), speech.begin(), speech.end());
    std::uint32_t rng = 1;
    for (int i = 0; i < 24000; ++i) {
      rng = rng * 1664525u + 1013904223u;
      pcm.push_back(static_cast<std::int16_t>(rng >> 16));
    }
    const Encoded e = encode_all(enc, pcm);
    REQUIRE(e.packets.size() == pcm.size() / enc.frame_samples());
    for (const Bytes& p : e.packets) REQUIRE(p.size() == c.bytes);
  }
}

TEST_CASE("opus round trip preserves a speech-like signal") {
  for (const int frame_ms : {10, 20}) {
    OpusVoiceEncoder enc(frame_ms, 32000);
    OpusVoiceDecoder dec(frame_ms);
    const auto pcm = test::speech_like(3 * 48000, 11);
    const Encoded e = encode_all(enc, pcm);
    std::vector<std::int16_t> out;
    std::vector<std::int16_t> frame(static_cast<std::size_t>(dec.frame_samples()));
    for (const Bytes& p : e.packets) {
      REQUIRE(dec.decode(p, frame) == frame.size());
      out.insert(out.end(), frame.begin(), frame.end());
    }
    CHECK(dec.failed_packets() == 0);
    const auto align = test::align_envelopes(pcm, out, 4800);
    CHECK(align.correlation > 0.95);
    constexpr int kOpusDelay = 312;  // 6.5 ms
    CHECK(std::abs(align.lag_samples - kOpusDelay) < 100);
    // The waveform too, searched within 100 samples of the codec's delay: over 1 000 lags the
    // search took a minute under ThreadSanitizer.
    CHECK(best_correlation(pcm, out, kOpusDelay - 100, kOpusDelay + 100) > 0.8);
    CHECK(std::abs(test::rms_dbfs(out) - test::rms_dbfs(pcm)) < 1.5);
  }
}

TEST_CASE("opus in-band FEC rebuilds lost frames better than concealment") {
  OpusVoiceEncoder enc(20, 32000);
  enc.set_expected_loss_percent(20);
  const auto pcm = test::speech_like(6 * 48000, 5);
  const Encoded e = encode_all(enc, pcm);
  constexpr std::size_t kN = 960;

  // Reference: every packet decoded. Then the same stream with every 7th packet lost, once
  // recovered from the next packet's FEC data and once concealed.
  OpusVoiceDecoder clean(20), with_fec(20), with_plc(20);
  std::vector<std::int16_t> ref(kN), a(kN), b(kN);
  double fec_error = 0, plc_error = 0, signal = 0;
  int lost = 0;
  for (std::size_t i = 0; i < e.packets.size(); ++i) {
    REQUIRE(clean.decode(e.packets[i], ref) == kN);
    const bool lose = i % 7 == 3 && i + 1 < e.packets.size();
    if (lose) {
      REQUIRE(with_fec.decode_fec(e.packets[i + 1], a) == kN);
      REQUIRE(with_plc.conceal(b) == kN);
      fec_error += error_energy(ref, a);
      plc_error += error_energy(ref, b);
      signal += error_energy(ref, std::vector<std::int16_t>(kN, 0));
      ++lost;
    } else {
      REQUIRE(with_fec.decode(e.packets[i], a) == kN);
      REQUIRE(with_plc.decode(e.packets[i], b) == kN);
    }
  }
  REQUIRE(lost > 30);
  const double fec_snr = 10 * std::log10(signal / fec_error);
  const double plc_snr = 10 * std::log10(signal / plc_error);
  INFO("FEC SNR " << fec_snr << " dB, PLC SNR " << plc_snr << " dB");
  CHECK(fec_snr > plc_snr + 6.0);
}

TEST_CASE("opus decoder counts garbage packets and keeps working") {
  OpusVoiceEncoder enc(20, 32000);
  OpusVoiceDecoder dec(20);
  std::vector<std::int16_t> out(5760);  // room for Opus' longest packet (120 ms)
  std::vector<std::int16_t> frame(960);

  CHECK(dec.decode({}, frame) == 0);
  CHECK(dec.decode(Bytes(wire::kMaxOpusPayload + 1, 0x10), out) == 0);
  CHECK(dec.decode(Bytes{0xFF, 0x00}, out) == 0);          // code 3 with zero frames
  CHECK(dec.decode(Bytes{0x10, 0x00, 0x00}, frame) == 0);  // 40 ms SILK: does not fit 20 ms
  CHECK(dec.failed_packets() == 4);
  CHECK_THROWS_AS(dec.conceal(std::span(frame).first(100)), Error);

  std::uint32_t rng = 7;
  std::uint64_t rejected = 0;
  for (int i = 0; i < 2000; ++i) {
    rng = rng * 1664525u + 1013904223u;
    Bytes junk(1 + (rng >> 8) % wire::kMaxOpusPayload);
    for (auto& byte : junk) {
      rng = rng * 1664525u + 1013904223u;
      byte = static_cast<std::uint8_t>(rng >> 24);
    }
    const std::size_t n = dec.decode(junk, out);
    if (n == 0) ++rejected;
    REQUIRE(n <= out.size());
  }
  CHECK(dec.failed_packets() == 4 + rejected);

  // Still decodes real audio afterwards.
  const auto pcm = test::speech_like(48000, 3);
  const Encoded e = encode_all(enc, pcm);
  for (const Bytes& p : e.packets) REQUIRE(dec.decode(p, frame) == 960);
  CHECK(dec.conceal(frame) == 960);
  CHECK(dec.decode_fec(e.packets[3], frame) == 960);
}
