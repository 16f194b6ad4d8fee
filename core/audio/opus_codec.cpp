#include "core/audio/opus_codec.hpp"

#include <opus/opus.h>

#include <string>

#include "core/audio/audio_format.hpp"
#include "core/util/error.hpp"
#include "core/wire/wire.hpp"

namespace hotline::audio {
namespace {

int checked_frame_samples(int frame_ms) {
  if (frame_ms != 10 && frame_ms != 20) {
    throw Error("unsupported Opus frame duration: " + std::to_string(frame_ms) + " ms (10 or 20)");
  }
  return frame_ms * kSamplesPerMs;
}

void check(int rc, const char* what) {
  if (rc != OPUS_OK) throw Error(std::string("Opus ") + what + " failed: " + opus_strerror(rc));
}

}  // namespace

void OpusVoiceEncoder::Deleter::operator()(OpusEncoder* e) const {
  opus_encoder_destroy(e);
}
void OpusVoiceDecoder::Deleter::operator()(OpusDecoder* d) const {
  opus_decoder_destroy(d);
}

OpusVoiceEncoder::OpusVoiceEncoder(int frame_ms, int bitrate, int complexity)
    : frame_ms_(frame_ms), bitrate_(bitrate), frame_samples_(checked_frame_samples(frame_ms)) {
  if (bitrate < wire::kMinBitrate || bitrate > wire::kMaxBitrate) {
    throw Error("unsupported Opus bitrate: " + std::to_string(bitrate) + " bit/s (" +
                std::to_string(wire::kMinBitrate) + ".." + std::to_string(wire::kMaxBitrate) + ")");
  }
  packet_bytes_ = wire::opus_frame_bytes(frame_ms, bitrate);

  int rc = OPUS_OK;
  enc_.reset(opus_encoder_create(kSampleRate, 1, OPUS_APPLICATION_VOIP, &rc));
  check(rc, "encoder creation");
  check(opus_encoder_ctl(enc_.get(), OPUS_SET_BITRATE(bitrate)), "set bitrate");
  check(opus_encoder_ctl(enc_.get(), OPUS_SET_VBR(0)), "set CBR");
  check(opus_encoder_ctl(enc_.get(), OPUS_SET_DTX(0)), "disable DTX");
  if (complexity < 0 || complexity > 10) {
    throw Error("unsupported Opus complexity: " + std::to_string(complexity) + " (0..10)");
  }
  check(opus_encoder_ctl(enc_.get(), OPUS_SET_COMPLEXITY(complexity)), "set complexity");
  check(opus_encoder_ctl(enc_.get(), OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)), "set signal");
  check(opus_encoder_ctl(enc_.get(), OPUS_SET_INBAND_FEC(1)), "enable FEC");
  check(opus_encoder_ctl(enc_.get(), OPUS_SET_PACKET_LOSS_PERC(0)), "set loss");
}

OpusVoiceEncoder::~OpusVoiceEncoder() = default;
OpusVoiceEncoder::OpusVoiceEncoder(OpusVoiceEncoder&&) noexcept = default;
OpusVoiceEncoder& OpusVoiceEncoder::operator=(OpusVoiceEncoder&&) noexcept = default;

std::size_t OpusVoiceEncoder::encode(std::span<const std::int16_t> frame, MutableByteSpan out) {
  if (frame.size() != static_cast<std::size_t>(frame_samples_)) {
    throw Error("Opus encode: frame must hold " + std::to_string(frame_samples_) + " samples");
  }
  if (out.size() < packet_bytes_) {
    throw Error("Opus encode: output buffer smaller than " + std::to_string(packet_bytes_));
  }
  // max_data_bytes is exactly the CBR size so Opus pads every packet to it.
  const opus_int32 n = opus_encode(enc_.get(), frame.data(), frame_samples_, out.data(),
                                   static_cast<opus_int32>(packet_bytes_));
  if (n < 0) throw Error(std::string("Opus encode failed: ") + opus_strerror(n));
  return static_cast<std::size_t>(n);
}

void OpusVoiceEncoder::set_expected_loss_percent(int percent) {
  if (percent < 0 || percent > 100) {
    throw Error("expected loss must be 0..100 %, got " + std::to_string(percent));
  }
  check(opus_encoder_ctl(enc_.get(), OPUS_SET_PACKET_LOSS_PERC(percent)), "set loss");
}

OpusVoiceDecoder::OpusVoiceDecoder(int frame_ms) : frame_samples_(checked_frame_samples(frame_ms)) {
  int rc = OPUS_OK;
  dec_.reset(opus_decoder_create(kSampleRate, 1, &rc));
  check(rc, "decoder creation");
}

OpusVoiceDecoder::~OpusVoiceDecoder() = default;
OpusVoiceDecoder::OpusVoiceDecoder(OpusVoiceDecoder&&) noexcept = default;
OpusVoiceDecoder& OpusVoiceDecoder::operator=(OpusVoiceDecoder&&) noexcept = default;

std::size_t OpusVoiceDecoder::decode(ByteSpan packet, std::span<std::int16_t> out) {
  // Opus reads an empty packet as "lost" and conceals; from the network it is simply invalid.
  if (packet.empty() || packet.size() > wire::kMaxOpusPayload) {
    ++failed_packets_;
    return 0;
  }
  return run(packet.data(), packet.size(), out, static_cast<int>(out.size()), 0);
}

std::size_t OpusVoiceDecoder::decode_fec(ByteSpan next_packet, std::span<std::int16_t> out) {
  if (next_packet.empty() || next_packet.size() > wire::kMaxOpusPayload) {
    ++failed_packets_;
    return 0;
  }
  return run(next_packet.data(), next_packet.size(), out, frame_samples_, 1);
}

std::size_t OpusVoiceDecoder::conceal(std::span<std::int16_t> out) {
  return run(nullptr, 0, out, frame_samples_, 0);
}

std::size_t OpusVoiceDecoder::run(const std::uint8_t* data, std::size_t len,
                                  std::span<std::int16_t> out, int frame_size, int fec) {
  if (out.size() < static_cast<std::size_t>(frame_samples_)) {
    throw Error("Opus decode: output buffer smaller than one frame");
  }
  const int n =
      opus_decode(dec_.get(), data, static_cast<opus_int32>(len), out.data(), frame_size, fec);
  if (n < 0) {
    ++failed_packets_;
    return 0;
  }
  return static_cast<std::size_t>(n);
}

bool opus_packet_carries_fec(ByteSpan packet) {
  if (packet.size() < 2) return false;
  const std::uint8_t toc = packet[0];
  if ((toc >> 3) >= 16) return false;  // CELT-only configurations have no SILK layer
  std::size_t pos = 1;
  switch (toc & 0x3) {
    case 0:  // one frame
      break;
    case 3: {  // frame count byte, optional padding: CBR padding turns packets into this code
      const std::uint8_t count = packet[pos++];
      if ((count & 0x3F) != 1) return false;
      if (count & 0x40) {
        std::uint8_t len = 255;
        while (len == 255) {
          if (pos >= packet.size()) return false;
          len = packet[pos++];
        }
      }
      break;
    }
    default:  // two frames: never sent by this codec
      return false;
  }
  if (pos >= packet.size()) return false;
  return (packet[pos] & 0x40) != 0;
}

}  // namespace hotline::audio
