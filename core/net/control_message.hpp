#pragma once
// Control messages: the plaintext of a kControl transport packet.
//   kind(1) | msg_id(LE32) | call_id(LE64) | body_len(LE16) | body | zero padding
// Padding makes control packets the same size as voice packets during a call, so an observer
// cannot tell call signalling from speech by length.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/net/transport.hpp"
#include "core/util/bytes.hpp"
#include "core/wire/wire.hpp"

namespace hotline::net {

struct ControlMessage {
  wire::ControlKind kind;
  std::uint32_t msg_id;
  std::uint64_t call_id;
  Bytes body;

  friend bool operator==(const ControlMessage&, const ControlMessage&) = default;
};

// Largest control plaintext: whatever fits one transport packet.
inline constexpr std::size_t kMaxControlPlaintext = kMaxTransportPlaintext;
inline constexpr std::size_t kMaxControlBody = kMaxControlPlaintext - wire::kControlHeaderLen;

// Header + body, then zero padding up to max(padded_size, wire::kMinControlPlaintext); a
// message longer than that is not padded. Throws hotline::Error if the body or padded_size
// exceeds what one datagram can carry.
Bytes encode_control(const ControlMessage& message, std::size_t padded_size);

// nullopt when the plaintext is shorter than wire::kMinControlPlaintext or longer than
// kMaxControlPlaintext, the kind is unknown, body_len overruns, or any padding byte is not
// zero. The body itself is checked by the typed decoders below.
std::optional<ControlMessage> decode_control(ByteSpan plaintext);

// ---- Typed bodies ------------------------------------------------------------------------
// Every decoder requires the exact body length and valid field values.
// Ringing, Answer, Decline, Busy, Cancel, Keepalive and SasConfirmed carry an empty body.

struct AckBody {
  std::uint32_t acked_msg_id;
  friend bool operator==(const AckBody&, const AckBody&) = default;
};
inline constexpr std::size_t kAckBodyLen = 4;
Bytes encode_ack(const AckBody& body);
std::optional<AckBody> decode_ack(ByteSpan body);

// Valid when the options pass wire::valid_call_options and flags is 0.
struct CallRequestBody {
  std::uint8_t frame_ms;                 // 10 or 20
  std::uint32_t bitrate;                 // Opus bits per second
  std::uint8_t flags;                    // reserved: must be 0
  wire::SasCommitment sas_commitment{};  // crypto::sas_commitment of the caller's SAS nonce
  friend bool operator==(const CallRequestBody&, const CallRequestBody&) = default;
};
inline constexpr std::size_t kCallRequestBodyLen = 1 + 4 + 1 + wire::kSasCommitmentLen;
// Throws hotline::Error on out-of-range fields: a request we would refuse must not be sent.
Bytes encode_call_request(const CallRequestBody& body);
std::optional<CallRequestBody> decode_call_request(ByteSpan body);

enum class HangupReason : std::uint8_t {
  kNormal = 1,
  kConnectionLost = 2,
  kError = 3,
  kInterceptionSuspected = 4,  // the SAS did not match or its commitment was broken (§2.3)
};
struct HangupBody {
  HangupReason reason;
  friend bool operator==(const HangupBody&, const HangupBody&) = default;
};
inline constexpr std::size_t kHangupBodyLen = 1;
Bytes encode_hangup(const HangupBody& body);
// The body of Ringing (the callee's SAS nonce) and of SasReveal (the caller's).
Bytes encode_sas_nonce(const wire::SasNonce& nonce);
std::optional<wire::SasNonce> decode_sas_nonce(ByteSpan body);
std::optional<HangupBody> decode_hangup(ByteSpan body);

struct ReceiverReportBody {
  std::uint64_t highest_counter;   // highest voice counter received
  std::uint32_t cumulative_lost;   // voice packets lost since the call started
  std::uint8_t fraction_lost;      // lost in the last interval, in 1/256ths
  std::uint32_t jitter_us;         // interarrival jitter, microseconds
  std::uint32_t packets_received;  // voice packets received since the call started
  friend bool operator==(const ReceiverReportBody&, const ReceiverReportBody&) = default;
};
inline constexpr std::size_t kReceiverReportBodyLen = 8 + 4 + 1 + 4 + 4;
Bytes encode_receiver_report(const ReceiverReportBody& body);
std::optional<ReceiverReportBody> decode_receiver_report(ByteSpan body);

struct PingBody {
  std::uint64_t timestamp_us;  // sender's monotonic clock
  friend bool operator==(const PingBody&, const PingBody&) = default;
};
struct PongBody {
  std::uint64_t echoed_timestamp_us;  // the Ping's timestamp, unchanged
  friend bool operator==(const PongBody&, const PongBody&) = default;
};
inline constexpr std::size_t kPingBodyLen = 8;
inline constexpr std::size_t kPongBodyLen = 8;
Bytes encode_ping(const PingBody& body);
std::optional<PingBody> decode_ping(ByteSpan body);
Bytes encode_pong(const PongBody& body);
std::optional<PongBody> decode_pong(ByteSpan body);

// True when the message's body is well formed for its kind (empty for the bodiless kinds).
bool has_valid_body(const ControlMessage& message);

}  // namespace hotline::net
