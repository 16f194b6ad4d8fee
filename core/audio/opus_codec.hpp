#pragma once
// Opus voice codec as the hotline uses it: 48 kHz mono, VOIP mode, hard CBR (every packet of a
// call has the same size, so packet sizes leak nothing about speech), in-band FEC, no DTX.
// Both classes allocate only in their constructors.

#include <cstdint>
#include <memory>
#include <span>

#include "core/util/bytes.hpp"

struct OpusEncoder;
struct OpusDecoder;

namespace hotline::audio {

class OpusVoiceEncoder {
 public:
  // frame_ms: 10 or 20; bitrate: 16000..64000 bit/s. Throws hotline::Error otherwise.
  // complexity: Opus's 0..10 (speech quality against CPU).
  OpusVoiceEncoder(int frame_ms, int bitrate, int complexity = 9);
  ~OpusVoiceEncoder();
  OpusVoiceEncoder(OpusVoiceEncoder&&) noexcept;
  OpusVoiceEncoder& operator=(OpusVoiceEncoder&&) noexcept;

  // `frame` must hold exactly frame_samples() samples and `out` at least packet_bytes() bytes
  // (a violated precondition throws hotline::Error). Returns packet_bytes().
  std::size_t encode(std::span<const std::int16_t> frame, MutableByteSpan out);

  // 0..100; tells the encoder how much redundancy (in-band FEC) to spend bits on.
  void set_expected_loss_percent(int percent);

  int frame_samples() const { return frame_samples_; }
  int frame_ms() const { return frame_ms_; }
  int bitrate() const { return bitrate_; }
  std::size_t packet_bytes() const { return packet_bytes_; }

 private:
  struct Deleter {
    void operator()(OpusEncoder* e) const;
  };
  std::unique_ptr<OpusEncoder, Deleter> enc_;
  int frame_ms_;
  int bitrate_;
  int frame_samples_;
  std::size_t packet_bytes_;
};

// Decode results are sample counts. A packet Opus rejects (corrupt, empty, too long for `out`)
// yields 0 and bumps failed_packets(); the caller then conceals that frame. Never throws on
// packet content; an `out` shorter than frame_samples() is a caller bug and throws.
class OpusVoiceDecoder {
 public:
  // frame_ms (10 or 20) is the duration conceal() and decode_fec() rebuild.
  explicit OpusVoiceDecoder(int frame_ms);
  ~OpusVoiceDecoder();
  OpusVoiceDecoder(OpusVoiceDecoder&&) noexcept;
  OpusVoiceDecoder& operator=(OpusVoiceDecoder&&) noexcept;

  std::size_t decode(ByteSpan packet, std::span<std::int16_t> out);
  // Rebuilds the lost frame before `next_packet` from the redundancy it carries (falls back to
  // concealment inside Opus when it carries none). Decode next_packet itself afterwards.
  std::size_t decode_fec(ByteSpan next_packet, std::span<std::int16_t> out);
  // Packet loss concealment for one frame.
  std::size_t conceal(std::span<std::int16_t> out);

  int frame_samples() const { return frame_samples_; }
  std::uint64_t failed_packets() const { return failed_packets_; }

 private:
  struct Deleter {
    void operator()(OpusDecoder* d) const;
  };
  std::size_t run(const std::uint8_t* data, std::size_t len, std::span<std::int16_t> out,
                  int frame_size, int fec);

  std::unique_ptr<OpusDecoder, Deleter> dec_;
  int frame_samples_;
  std::uint64_t failed_packets_ = 0;
};

// Whether `packet` carries in-band FEC (SILK LBRR data) for the frame before it. libopus 1.3
// has no call for this, so it reads the flag from the packet itself (RFC 6716 sections 3.1,
// 3.2.5 and 4.2.3): packets in SILK or hybrid mode holding one 10 or 20 ms frame, as this
// codec sends, begin their frame with the VAD flag and then the LBRR flag, each range-coded
// with probability 1/2, which makes them the two most significant bits of the frame's first
// byte. Anything else (CELT, several frames, malformed) reports false.
bool opus_packet_carries_fec(ByteSpan packet);

}  // namespace hotline::audio
