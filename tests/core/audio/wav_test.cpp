#include "core/audio/wav.hpp"

#include <bit>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/signal_compare.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::audio;
using Catch::Matchers::ContainsSubstring;

namespace {

void append(Bytes& out, std::string_view s) {
  out.insert(out.end(), s.begin(), s.end());
}
void append16(Bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void append32(Bytes& out, std::uint32_t v) {
  append16(out, v & 0xFFFF);
  append16(out, v >> 16);
}

Bytes fmt_body(std::uint16_t tag, std::uint16_t channels, std::uint32_t rate, std::uint16_t bits) {
  Bytes b;
  append16(b, tag);
  append16(b, channels);
  append32(b, rate);
  append32(b, rate * channels * bits / 8);
  append16(b, static_cast<std::uint16_t>(channels * bits / 8));
  append16(b, bits);
  return b;
}

Bytes fmt_extensible(std::uint16_t channels, std::uint32_t rate, std::uint16_t bits,
                     std::uint16_t valid_bits, std::uint16_t sub_tag) {
  Bytes b = fmt_body(0xFFFE, channels, rate, bits);
  append16(b, 22);
  append16(b, valid_bits);
  append32(b, 0x3F);  // channel mask
  append16(b, sub_tag);
  const std::uint8_t tail[] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                               0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
  b.insert(b.end(), std::begin(tail), std::end(tail));
  return b;
}

Bytes chunk(std::string_view id, const Bytes& body, bool pad = true,
            std::optional<std::uint32_t> declared = {}) {
  Bytes c;
  append(c, id);
  append32(c, declared.value_or(static_cast<std::uint32_t>(body.size())));
  c.insert(c.end(), body.begin(), body.end());
  if (pad && body.size() % 2 == 1) c.push_back(0);
  return c;
}

Bytes riff(const std::vector<Bytes>& chunks, std::optional<std::uint32_t> declared = {}) {
  Bytes body;
  append(body, "WAVE");
  for (const Bytes& c : chunks) body.insert(body.end(), c.begin(), c.end());
  Bytes out;
  append(out, "RIFF");
  append32(out, declared.value_or(static_cast<std::uint32_t>(body.size())));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes pcm16(const std::vector<std::int16_t>& v) {
  Bytes b;
  for (std::int16_t s : v) append16(b, static_cast<std::uint16_t>(s));
  return b;
}

Bytes simple_wav(const std::vector<std::int16_t>& mono, std::uint32_t rate = 48000) {
  return riff({chunk("fmt ", fmt_body(1, 1, rate, 16)), chunk("data", pcm16(mono))});
}

const std::vector<std::int16_t> kValues = {0, 1000, -1000, 32767, -32768, 12345, -256, 255};

int zero_crossings(std::span<const std::int16_t> x) {
  int n = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    if ((x[i - 1] < 0) != (x[i] < 0)) ++n;
  }
  return n;
}

std::vector<std::int16_t> sine(double freq, double rate, std::size_t n, double amplitude) {
  std::vector<std::int16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    v[i] = static_cast<std::int16_t>(std::lrint(
        amplitude * std::sin(2.0 * std::numbers::pi * freq * static_cast<double>(i) / rate)));
  }
  return v;
}

}  // namespace

TEST_CASE("wav writer and reader round-trip 48 kHz mono exactly") {
  test::TempDir dir;
  const auto path = dir.path() / "round.wav";
  std::vector<std::int16_t> samples = test::speech_like(50000, 1);
  samples[0] = -32768;
  samples[1] = 32767;
  {
    WavWriter w(path);
    w.write(std::span(samples).first(1234));
    w.write(std::span(samples).subspan(1234));
    CHECK(w.samples_written() == samples.size());
    w.close();
    CHECK_FALSE(w.is_open());
    CHECK_THROWS_AS(w.write(samples), WavError);
  }
  CHECK(std::filesystem::file_size(path) == 44 + 2 * samples.size());
  CHECK(read_wav(path).samples == samples);
}

TEST_CASE("wav writer leaves a readable file when never closed") {
  test::TempDir dir;
  const auto path = dir.path() / "killed.wav";
  const std::vector<std::int16_t> samples = test::speech_like(72000, 2);
  WavWriter w(path);
  for (std::size_t i = 0; i < samples.size(); i += 480) w.write(std::span(samples).subspan(i, 480));
  // As if the process died now: the header counts the first full second.
  const PcmBuffer seen = read_wav(path);
  REQUIRE(seen.samples.size() == 48000);
  CHECK(std::equal(seen.samples.begin(), seen.samples.end(), samples.begin()));
  w.flush();
  CHECK(read_wav(path).samples == samples);
  w.close();
  CHECK(read_wav(path).samples == samples);
}

TEST_CASE("wav writer rejects bad paths and rates") {
  test::TempDir dir;
  CHECK_THROWS_WITH(WavWriter(dir.path() / "no-such-dir" / "x.wav"),
                    ContainsSubstring("cannot create WAV file"));
  CHECK_THROWS_AS(WavWriter(dir.path() / "x.wav", 1000), WavError);
}

TEST_CASE("wav reader decodes every supported sample layout to the same values") {
  Bytes u8, s24, s32, f32;
  for (std::int16_t v : kValues) {
    u8.push_back(static_cast<std::uint8_t>((v >> 8) + 128));
    const auto x24 = static_cast<std::uint32_t>(v) << 8;
    s24.push_back(static_cast<std::uint8_t>(x24));
    s24.push_back(static_cast<std::uint8_t>(x24 >> 8));
    s24.push_back(static_cast<std::uint8_t>(x24 >> 16));
    append32(s32, static_cast<std::uint32_t>(v) << 16);
    append32(f32, std::bit_cast<std::uint32_t>(static_cast<float>(v) / 32768.0f));
  }
  std::vector<std::int16_t> quantised8;
  for (std::int16_t v : kValues) quantised8.push_back(static_cast<std::int16_t>((v >> 8) * 256));

  CHECK(parse_wav(simple_wav(kValues)).samples == kValues);
  CHECK(parse_wav(riff({chunk("fmt ", fmt_body(1, 1, 48000, 8)), chunk("data", u8)})).samples ==
        quantised8);
  CHECK(parse_wav(riff({chunk("fmt ", fmt_body(1, 1, 48000, 24)), chunk("data", s24)})).samples ==
        kValues);
  CHECK(parse_wav(riff({chunk("fmt ", fmt_body(1, 1, 48000, 32)), chunk("data", s32)})).samples ==
        kValues);
  CHECK(parse_wav(riff({chunk("fmt ", fmt_body(3, 1, 48000, 32)), chunk("data", f32)})).samples ==
        kValues);
  CHECK(parse_wav(riff({chunk("fmt ", fmt_extensible(1, 48000, 24, 20, 1)), chunk("data", s24)}))
            .samples == kValues);
  CHECK(parse_wav(riff({chunk("fmt ", fmt_extensible(1, 48000, 32, 32, 3)), chunk("data", f32)}))
            .samples == kValues);
}

TEST_CASE("wav reader clamps out-of-range float and silences NaN") {
  Bytes f32;
  append32(f32, std::bit_cast<std::uint32_t>(2.0f));
  append32(f32, std::bit_cast<std::uint32_t>(-7.5f));
  append32(f32, 0x7FC00000);  // quiet NaN
  append32(f32, 0x7F800000);  // +infinity
  const auto pcm = parse_wav(riff({chunk("fmt ", fmt_body(3, 1, 48000, 32)), chunk("data", f32)}));
  CHECK(pcm.samples == std::vector<std::int16_t>{32767, -32768, 0, 32767});
}

TEST_CASE("wav reader downmixes multichannel audio by averaging") {
  std::vector<std::int16_t> stereo;
  for (int i = 0; i < 100; ++i) {
    stereo.push_back(1000);
    stereo.push_back(3000);
  }
  stereo.push_back(-32768);
  stereo.push_back(-32768);
  const auto pcm =
      parse_wav(riff({chunk("fmt ", fmt_body(1, 2, 48000, 16)), chunk("data", pcm16(stereo))}));
  REQUIRE(pcm.samples.size() == 101);
  CHECK(pcm.samples[0] == 2000);
  CHECK(pcm.samples[99] == 2000);
  CHECK(pcm.samples[100] == -32768);

  std::vector<std::int16_t> six;  // 5.1 as WAVE_FORMAT_EXTENSIBLE, 24-bit
  Bytes s24;
  for (int frame = 0; frame < 10; ++frame) {
    for (int c = 0; c < 6; ++c) {
      const auto x = static_cast<std::uint32_t>(c < 3 ? 6000 : -6000) << 8;
      s24.push_back(static_cast<std::uint8_t>(x));
      s24.push_back(static_cast<std::uint8_t>(x >> 8));
      s24.push_back(static_cast<std::uint8_t>(x >> 16));
    }
  }
  const auto surround =
      parse_wav(riff({chunk("fmt ", fmt_extensible(6, 48000, 24, 24, 1)), chunk("data", s24)}));
  CHECK(surround.samples == std::vector<std::int16_t>(10, 0));
}

TEST_CASE("wav reader resamples 44.1 kHz to 48 kHz keeping length, pitch and phase") {
  const auto in = sine(1000.0, 44100.0, 44100, 16384.0);
  const PcmBuffer pcm = parse_wav(simple_wav(in, 44100));
  REQUIRE(pcm.samples.size() == 48000);
  CHECK(std::abs(zero_crossings(pcm.samples) - 2000) <= 3);
  CHECK(std::abs(test::rms_dbfs(pcm.samples) - test::rms_dbfs(in)) < 0.1);
  // The filter delay is compensated: sample n is the ideal 48 kHz sine at n.
  const auto ideal = sine(1000.0, 48000.0, 48000, 16384.0);
  double err = 0.0, sig = 0.0;
  for (std::size_t i = 1000; i < 47000; ++i) {
    const double d = pcm.samples[i] - ideal[i];
    err += d * d;
    sig += static_cast<double>(ideal[i]) * ideal[i];
  }
  CHECK(10.0 * std::log10(sig / err) > 40.0);
}

TEST_CASE("wav reader output length follows the rate ratio") {
  for (const std::uint32_t rate : {8000u, 11025u, 16000u, 22050u, 32000u, 96000u, 192000u}) {
    const std::size_t n = rate / 10;  // 100 ms (1102 samples, 99.95 ms, at 11025 Hz)
    const auto pcm = parse_wav(simple_wav(sine(440.0, rate, n, 8000.0), rate));
    CHECK(pcm.samples.size() == (n * 48000 + rate / 2) / rate);
    CHECK(std::abs(zero_crossings(pcm.samples) - 88) <= 2);
  }
  CHECK(parse_wav(simple_wav({}, 44100)).samples.empty());
}

TEST_CASE("wav reader walks chunks robustly") {
  const Bytes fmt = chunk("fmt ", fmt_body(1, 1, 48000, 16));
  const Bytes data = chunk("data", pcm16(kValues));
  const Bytes odd_list = chunk("LIST", Bytes{'I', 'N', 'F', 'O', 'x'});  // 5 bytes + pad

  SECTION("odd-size chunk with its pad byte") {
    CHECK(parse_wav(riff({odd_list, fmt, odd_list, data})).samples == kValues);
  }
  SECTION("odd-size chunk whose writer forgot the pad byte") {
    const Bytes unpadded = chunk("LIST", Bytes{'I', 'N', 'F', 'O', 'x'}, false);
    CHECK(parse_wav(riff({fmt, unpadded, data})).samples == kValues);
  }
  SECTION("data before fmt, junk chunks, trailing garbage") {
    Bytes file = riff({chunk("junk", Bytes(13, 0xAA)), data, chunk("bext", Bytes(7, 1)), fmt});
    file.insert(file.end(), {'I', 'D', '3', 0x03});
    CHECK(parse_wav(file).samples == kValues);
  }
  SECTION("wrong RIFF size") {
    CHECK(parse_wav(riff({fmt, data}, 0)).samples == kValues);
    CHECK(parse_wav(riff({fmt, data}, 0xFFFFFFFF)).samples == kValues);
  }
  SECTION("streamed data size 0xFFFFFFFF reads to the end, dropping a partial frame") {
    Bytes body = pcm16(kValues);
    body.push_back(0x12);
    CHECK(parse_wav(riff({fmt, chunk("data", body, false, 0xFFFFFFFF)})).samples == kValues);
  }
  SECTION("fmt chunk longer than 16 bytes (cbSize present)") {
    Bytes long_fmt = fmt_body(1, 1, 48000, 16);
    long_fmt.insert(long_fmt.end(), {0, 0});
    CHECK(parse_wav(riff({chunk("fmt ", long_fmt), data})).samples == kValues);
  }
}

TEST_CASE("wav reader rejects what it cannot play, saying why") {
  const Bytes data = chunk("data", pcm16(kValues));
  auto with_fmt = [&](const Bytes& fmt) { return riff({chunk("fmt ", fmt), data}); };
  auto rejects = [](const Bytes& file, const std::string& why) {
    CHECK_THROWS_WITH(parse_wav(file), ContainsSubstring(why));
  };

  rejects({}, "not a WAV file");
  rejects(Bytes{'R', 'I', 'F', 'F', 4, 0, 0, 0, 'A', 'V', 'I', ' '}, "not a WAV file");
  rejects(Bytes(100, 0x42), "not a WAV file");
  Bytes rf64 = with_fmt(fmt_body(1, 1, 48000, 16));
  std::memcpy(rf64.data(), "RF64", 4);
  rejects(rf64, "RF64");
  rejects(with_fmt(fmt_body(1, 1, 48000, 12)), "unsupported sample format: 12-bit");
  rejects(with_fmt(fmt_body(3, 1, 48000, 64)), "unsupported sample format: 64-bit float");
  rejects(with_fmt(fmt_body(0x11, 1, 48000, 4)), "format tag 0x0011");
  rejects(with_fmt(fmt_extensible(1, 48000, 16, 16, 0x55)), "format tag 0x0055");
  Bytes bad_guid = fmt_extensible(1, 48000, 16, 16, 1);
  bad_guid.back() ^= 0xFF;
  rejects(with_fmt(bad_guid), "unknown extensible subformat");
  rejects(with_fmt(fmt_body(1, 9, 48000, 16)), "too many channels (9)");
  rejects(with_fmt(fmt_body(1, 0, 48000, 16)), "no channels");
  rejects(with_fmt(fmt_body(1, 1, 4000, 16)), "unsupported sample rate: 4000 Hz");
  rejects(with_fmt(fmt_body(1, 1, 384000, 16)), "unsupported sample rate: 384000 Hz");
  Bytes bad_align = fmt_body(1, 2, 48000, 16);
  bad_align[12] = 3;
  rejects(with_fmt(bad_align), "block align");
  rejects(with_fmt(Bytes(10, 0)), "fmt chunk too short");
  rejects(riff({data}), "no fmt chunk");
  rejects(riff({chunk("fmt ", fmt_body(1, 1, 48000, 16))}), "no data chunk");
  rejects(
      riff({chunk("fmt ", fmt_body(1, 1, 48000, 16)), chunk("data", pcm16(kValues), true, 1000)}),
      "data chunk truncated");

  // Declared lengths decide "too long" before anything is read: exactly one hour passes that
  // check (and then fails as truncated), one frame more does not.
  const Bytes fmt48 = chunk("fmt ", fmt_body(1, 1, 48000, 16));
  rejects(riff({fmt48, chunk("data", {}, true, 3600u * 48000u * 2u)}), "data chunk truncated");
  rejects(riff({fmt48, chunk("data", {}, true, 3600u * 48000u * 2u + 2u)}),
          "file too long (> 1 hour)");
}

TEST_CASE("read_wav names the file in its errors") {
  test::TempDir dir;
  const auto missing = dir.path() / "missing.wav";
  CHECK_THROWS_WITH(read_wav(missing),
                    ContainsSubstring("missing.wav") && ContainsSubstring("cannot open"));
  const auto text = dir.path() / "notes.wav";
  std::ofstream(text) << "hello, this is not audio at all";
  CHECK_THROWS_WITH(read_wav(text),
                    ContainsSubstring("notes.wav") && ContainsSubstring("not a WAV file"));
}

TEST_CASE("wav reader survives truncation at every byte offset") {
  std::vector<std::int16_t> stereo = test::speech_like(200, 3);
  const Bytes file =
      riff({chunk("fmt ", fmt_body(1, 2, 44100, 16)), chunk("LIST", Bytes{'I', 'N', 'F', 'O', 'z'}),
            chunk("data", pcm16(stereo))});
  int accepted = 0;
  for (std::size_t len = 0; len <= file.size(); ++len) {
    try {
      const PcmBuffer pcm = parse_wav(ByteSpan(file).first(len));
      CHECK(pcm.samples.size() <= 109);  // 100 frames at 44.1 kHz -> 109 at 48 kHz
      ++accepted;
    } catch (const WavError&) {
    }
  }
  CHECK(accepted >= 1);  // at least the complete file
  CHECK(parse_wav(file).samples.size() == 109);
}

TEST_CASE("wav reader survives random corruption") {
  const Bytes original =
      riff({chunk("fmt ", fmt_extensible(2, 22050, 24, 24, 1)), chunk("data", Bytes(60, 0x40))});
  std::uint32_t rng = 99;
  int ok = 0, rejected = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    Bytes file = original;
    for (int flips = 0; flips < 3; ++flips) {
      rng = rng * 1664525u + 1013904223u;
      file[(rng >> 8) % file.size()] = static_cast<std::uint8_t>(rng >> 24);
    }
    try {
      parse_wav(file);
      ++ok;
    } catch (const WavError&) {
      ++rejected;
    }
  }
  CHECK(ok + rejected == 3000);
  CHECK(rejected > 0);
}
