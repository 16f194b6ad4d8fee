// WAV parsing: chunk walking, sample decoding, downmix and resampling to 48 kHz mono.

#include <speex/speex_resampler.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "core/audio/wav.hpp"

namespace hotline::audio {
namespace {

constexpr std::uint16_t kFormatPcm = 0x0001;
constexpr std::uint16_t kFormatFloat = 0x0003;
constexpr std::uint16_t kFormatExtensible = 0xFFFE;
// Bytes 2..15 of every KSDATAFORMAT_SUBTYPE_* GUID that wraps a classic format tag.
constexpr std::array<std::uint8_t, 14> kSubformatGuidTail = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
constexpr std::uint32_t kUnknownDataSize = 0xFFFFFFFF;  // streaming writers that never seek back
constexpr std::size_t kFramesPerBlock = 4096;
constexpr int kResamplerQuality = 8;

// Random access to the file's bytes, so a multi-gigabyte file is never read whole.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::uint64_t size() const = 0;
  // Reads exactly out.size() bytes; the caller keeps offset + size within size().
  virtual void read(std::uint64_t offset, std::span<std::uint8_t> out) = 0;
};

class MemoryByteSource final : public ByteSource {
 public:
  explicit MemoryByteSource(ByteSpan bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  void read(std::uint64_t offset, std::span<std::uint8_t> out) override {
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
  }

 private:
  ByteSpan bytes_;
};

class FileByteSource final : public ByteSource {
 public:
  explicit FileByteSource(const std::filesystem::path& path)
      : file_(std::fopen(path.c_str(), "rb")) {
    if (!file_) throw WavError(std::string("cannot open: ") + std::strerror(errno));
    if (fseeko(file_.get(), 0, SEEK_END) != 0) throw WavError("cannot determine the file size");
    const off_t end = ftello(file_.get());
    if (end < 0) throw WavError("cannot determine the file size");
    size_ = static_cast<std::uint64_t>(end);
  }
  std::uint64_t size() const override { return size_; }
  void read(std::uint64_t offset, std::span<std::uint8_t> out) override {
    if (fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0 ||
        std::fread(out.data(), 1, out.size(), file_.get()) != out.size()) {
      throw WavError("read error");
    }
  }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file_;
  std::uint64_t size_ = 0;
};

enum class SampleKind { kUnsigned8, kSigned16, kSigned24, kSigned32, kFloat32 };

struct Format {
  int channels = 0;
  std::uint32_t sample_rate = 0;
  SampleKind kind = SampleKind::kSigned16;
  std::size_t bytes_per_sample = 0;
  std::size_t block_align = 0;
};

struct Chunk {
  std::uint64_t offset = 0;  // of the body
  std::uint64_t size = 0;    // as declared
  bool truncated = false;    // the file ends before offset + size
};

std::string hex16(std::uint16_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) s += kDigits[(v >> shift) & 0xF];
  return s;
}

bool is_chunk_id(const std::uint8_t* id) {
  return std::all_of(id, id + 4, [](std::uint8_t c) { return c >= 0x20 && c < 0x7F; });
}

Format parse_fmt(ByteSpan body) {
  if (body.size() < 16) throw WavError("fmt chunk too short");
  std::uint16_t tag = load_le16(&body[0]);
  const int channels = load_le16(&body[2]);
  const std::uint32_t rate = load_le32(&body[4]);
  const std::size_t block_align = load_le16(&body[12]);
  const int bits = load_le16(&body[14]);

  if (tag == kFormatExtensible) {
    if (body.size() < 40 || load_le16(&body[16]) < 22) {
      throw WavError("fmt chunk too short for WAVE_FORMAT_EXTENSIBLE");
    }
    const int valid_bits = load_le16(&body[18]);
    if (!std::equal(kSubformatGuidTail.begin(), kSubformatGuidTail.end(), &body[26])) {
      throw WavError("unsupported sample format: unknown extensible subformat");
    }
    if (valid_bits > bits) throw WavError("inconsistent fmt chunk: valid bits exceed container");
    tag = load_le16(&body[24]);
  }

  if (channels == 0) throw WavError("no channels");
  if (channels > kWavMaxChannels) {
    throw WavError("too many channels (" + std::to_string(channels) + ")");
  }
  if (rate < kWavMinSampleRate || rate > kWavMaxSampleRate) {
    throw WavError("unsupported sample rate: " + std::to_string(rate) + " Hz");
  }

  Format f;
  f.channels = channels;
  f.sample_rate = rate;
  if (tag == kFormatPcm) {
    switch (bits) {
      case 8:
        f.kind = SampleKind::kUnsigned8;
        break;
      case 16:
        f.kind = SampleKind::kSigned16;
        break;
      case 24:
        f.kind = SampleKind::kSigned24;
        break;
      case 32:
        f.kind = SampleKind::kSigned32;
        break;
      default:
        throw WavError("unsupported sample format: " + std::to_string(bits) + "-bit");
    }
  } else if (tag == kFormatFloat) {
    if (bits != 32) {
      throw WavError("unsupported sample format: " + std::to_string(bits) + "-bit float");
    }
    f.kind = SampleKind::kFloat32;
  } else {
    throw WavError("unsupported sample format: format tag " + hex16(tag) +
                   " (only PCM and IEEE float are supported)");
  }
  f.bytes_per_sample = static_cast<std::size_t>(bits) / 8;
  f.block_align = f.bytes_per_sample * static_cast<std::size_t>(channels);
  if (block_align != f.block_align) {
    throw WavError("inconsistent fmt chunk: block align " + std::to_string(block_align) +
                   ", expected " + std::to_string(f.block_align));
  }
  return f;
}

// Walks the chunk list until both fmt and data are known. Bounds come from the actual file
// size: the RIFF size is often wrong (streamed or interrupted recordings).
std::pair<Format, Chunk> find_chunks(ByteSource& src) {
  const std::uint64_t size = src.size();
  std::array<std::uint8_t, 12> head{};
  if (size < head.size()) throw WavError("not a WAV file");
  src.read(0, head);
  if (std::memcmp(head.data(), "RF64", 4) == 0 || std::memcmp(head.data(), "BW64", 4) == 0) {
    throw WavError("RF64 WAV files are not supported");
  }
  if (std::memcmp(head.data(), "RIFF", 4) != 0 || std::memcmp(head.data() + 8, "WAVE", 4) != 0) {
    throw WavError("not a WAV file");
  }

  std::optional<Format> format;
  std::optional<Chunk> data;
  std::uint64_t pos = 12;
  std::array<std::uint8_t, 8> header{};
  while (!(format && data) && pos + header.size() <= size) {
    src.read(pos, header);
    const std::uint32_t chunk_size = load_le32(&header[4]);
    const std::uint64_t body = pos + header.size();
    if (std::memcmp(header.data(), "fmt ", 4) == 0 && !format) {
      if (body + chunk_size > size) throw WavError("fmt chunk truncated");
      std::array<std::uint8_t, 40> fmt{};
      const std::size_t n = std::min<std::size_t>(chunk_size, fmt.size());
      src.read(body, std::span(fmt).first(n));
      format = parse_fmt(ByteSpan(fmt).first(n));
    } else if (std::memcmp(header.data(), "data", 4) == 0 && !data) {
      if (chunk_size == kUnknownDataSize) {
        data = Chunk{body, size - body, false};
        break;
      }
      // Reported after the length check, so an absurd declared length gets the clearer error.
      data = Chunk{body, chunk_size, body + chunk_size > size};
    }
    std::uint64_t next = body + chunk_size;
    if (chunk_size % 2 == 1) {
      // RIFF pads odd chunks to even size, but some writers forget the pad byte.
      auto id_at = [&](std::uint64_t at) {
        std::array<std::uint8_t, 4> id{};
        if (at + id.size() > size) return false;
        src.read(at, id);
        return is_chunk_id(id.data());
      };
      if (id_at(next + 1) || !id_at(next)) ++next;
    }
    pos = next;
  }
  if (!format) throw WavError("no fmt chunk");
  if (!data) throw WavError("no data chunk");
  return {*format, *data};
}

float decode_sample(const std::uint8_t* p, SampleKind kind) {
  switch (kind) {
    case SampleKind::kUnsigned8:
      return (static_cast<float>(p[0]) - 128.0f) / 128.0f;
    case SampleKind::kSigned16:
      return static_cast<float>(static_cast<std::int16_t>(load_le16(p))) / 32768.0f;
    case SampleKind::kSigned24:
      return static_cast<float>(static_cast<std::int32_t>(load_le24(p) << 8) >> 8) / 8388608.0f;
    case SampleKind::kSigned32:
      return static_cast<float>(static_cast<std::int32_t>(load_le32(p))) / 2147483648.0f;
    case SampleKind::kFloat32: {
      const float v = std::bit_cast<float>(load_le32(p));
      return std::isnan(v) ? 0.0f : v;
    }
  }
  return 0.0f;
}

std::int16_t to_int16(float v) {
  return static_cast<std::int16_t>(std::lrint(std::clamp(v * 32768.0f, -32768.0f, 32767.0f)));
}

class Resampler {
 public:
  explicit Resampler(std::uint32_t from_rate) {
    int err = 0;
    state_ = speex_resampler_init(1, from_rate, kSampleRate, kResamplerQuality, &err);
    if (!state_) throw WavError("cannot create resampler");
    // Drop the filter's start-up delay so output sample 0 lines up with input sample 0.
    speex_resampler_skip_zeros(state_);
  }
  ~Resampler() { speex_resampler_destroy(state_); }
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  int input_latency() const { return speex_resampler_get_input_latency(state_); }

  void process(std::span<const float> in, std::vector<float>& scratch, PcmBuffer& out) {
    while (!in.empty()) {
      scratch.resize(in.size() * 48 / 8 + 64);  // the ratio is at most 6
      auto in_len = static_cast<spx_uint32_t>(in.size());
      auto out_len = static_cast<spx_uint32_t>(scratch.size());
      speex_resampler_process_float(state_, 0, in.data(), &in_len, scratch.data(), &out_len);
      for (spx_uint32_t i = 0; i < out_len; ++i) out.samples.push_back(to_int16(scratch[i]));
      in = in.subspan(in_len);
      if (in_len == 0 && out_len == 0) break;  // cannot happen with room to spare; never spin
    }
  }

 private:
  SpeexResamplerState* state_ = nullptr;
};

PcmBuffer decode(ByteSource& src) {
  const auto [format, data] = find_chunks(src);
  const std::uint64_t frames = data.size / format.block_align;
  if (frames > static_cast<std::uint64_t>(kWavMaxDuration.count()) * format.sample_rate) {
    throw WavError("file too long (> 1 hour)");
  }
  if (data.truncated) throw WavError("data chunk truncated");
  const std::uint64_t out_frames =
      (frames * kSampleRate + format.sample_rate / 2) / format.sample_rate;

  PcmBuffer out;
  out.samples.reserve(out_frames + 64);
  std::optional<Resampler> resampler;
  if (format.sample_rate != static_cast<std::uint32_t>(kSampleRate)) {
    resampler.emplace(format.sample_rate);
  }
  std::vector<std::uint8_t> raw(kFramesPerBlock * format.block_align);
  std::vector<float> mono(kFramesPerBlock);
  std::vector<float> scratch;
  const float channel_gain = 1.0f / static_cast<float>(format.channels);

  for (std::uint64_t done = 0; done < frames;) {
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(kFramesPerBlock, frames - done));
    src.read(data.offset + done * format.block_align, std::span(raw).first(n * format.block_align));
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint8_t* frame = raw.data() + i * format.block_align;
      float sum = 0.0f;
      for (int c = 0; c < format.channels; ++c) {
        sum += decode_sample(frame + static_cast<std::size_t>(c) * format.bytes_per_sample,
                             format.kind);
      }
      mono[i] = sum * channel_gain;
    }
    if (resampler) {
      resampler->process(std::span(mono).first(n), scratch, out);
    } else {
      for (std::size_t i = 0; i < n; ++i) out.samples.push_back(to_int16(mono[i]));
    }
    done += n;
  }

  if (resampler && frames > 0) {
    // Push the tail still inside the filter out with zeros, then cut to the exact length.
    std::fill(mono.begin(), mono.end(), 0.0f);
    // Bounded: a few filter lengths always suffice; never loop on a misbehaving resampler.
    const std::size_t flush = 4 * static_cast<std::size_t>(resampler->input_latency()) + 64;
    for (std::size_t fed = 0; fed < flush && out.samples.size() < out_frames;) {
      const std::size_t n = std::min({flush - fed, mono.size(), std::size_t{64}});
      resampler->process(std::span(mono).first(n), scratch, out);
      fed += n;
    }
  }
  out.samples.resize(static_cast<std::size_t>(out_frames), 0);
  return out;
}

}  // namespace

PcmBuffer parse_wav(ByteSpan file_bytes) {
  MemoryByteSource src(file_bytes);
  return decode(src);
}

PcmBuffer read_wav(const std::filesystem::path& path) {
  try {
    FileByteSource src(path);
    return decode(src);
  } catch (const WavError& e) {
    throw WavError("cannot read WAV file '" + path.string() + "': " + e.what());
  }
}

}  // namespace hotline::audio
