#include "core/net/control_message.hpp"

#include <algorithm>

#include "core/util/error.hpp"

namespace hotline::net {

namespace {

constexpr std::size_t kKindOffset = 0;
constexpr std::size_t kMsgIdOffset = 1;
constexpr std::size_t kCallIdOffset = 5;
constexpr std::size_t kBodyLenOffset = 13;
static_assert(kBodyLenOffset + 2 == wire::kControlHeaderLen);
static_assert(kMaxControlBody <= 0xffff, "body_len is 16 bits");
static_assert(wire::kControlHeaderLen + kReceiverReportBodyLen <= wire::kMinControlPlaintext,
              "every control message must fit the minimum padded size");
static_assert(wire::kControlHeaderLen + kCallRequestBodyLen <= wire::kMinControlPlaintext,
              "every control message must fit the minimum padded size");
static_assert(wire::kControlHeaderLen + wire::kSasNonceLen <= wire::kMinControlPlaintext,
              "every control message must fit the minimum padded size");

bool is_known_kind(std::uint8_t kind) {
  switch (static_cast<wire::ControlKind>(kind)) {
    case wire::ControlKind::kAck:
    case wire::ControlKind::kCallRequest:
    case wire::ControlKind::kRinging:
    case wire::ControlKind::kSasReveal:
    case wire::ControlKind::kAnswer:
    case wire::ControlKind::kDecline:
    case wire::ControlKind::kBusy:
    case wire::ControlKind::kHangup:
    case wire::ControlKind::kCancel:
    case wire::ControlKind::kReceiverReport:
    case wire::ControlKind::kKeepalive:
    case wire::ControlKind::kPing:
    case wire::ControlKind::kPong:
    case wire::ControlKind::kSasConfirmed:
      return true;
  }
  return false;
}

bool is_valid_call_request(const CallRequestBody& body) {
  return body.flags == 0 && body.bitrate <= static_cast<std::uint32_t>(wire::kMaxBitrate) &&
         wire::valid_call_options(body.frame_ms, static_cast<int>(body.bitrate));
}

bool is_valid_hangup_reason(std::uint8_t reason) {
  return reason >= static_cast<std::uint8_t>(HangupReason::kNormal) &&
         reason <= static_cast<std::uint8_t>(HangupReason::kInterceptionSuspected);
}

Bytes encode_u64(std::uint64_t value) {
  Bytes out(8);
  store_le64(out.data(), value);
  return out;
}

std::optional<std::uint64_t> decode_u64(ByteSpan body) {
  if (body.size() != 8) return std::nullopt;
  return load_le64(body.data());
}

}  // namespace

Bytes encode_control(const ControlMessage& message, std::size_t padded_size) {
  if (message.body.size() > kMaxControlBody) throw Error("control message body too large");
  if (padded_size > kMaxControlPlaintext) throw Error("control message padding too large");
  const std::size_t unpadded = wire::kControlHeaderLen + message.body.size();
  Bytes out(std::max({unpadded, padded_size, wire::kMinControlPlaintext}), 0);
  out[kKindOffset] = static_cast<std::uint8_t>(message.kind);
  store_le32(out.data() + kMsgIdOffset, message.msg_id);
  store_le64(out.data() + kCallIdOffset, message.call_id);
  store_le16(out.data() + kBodyLenOffset, static_cast<std::uint16_t>(message.body.size()));
  std::copy(message.body.begin(), message.body.end(), out.begin() + wire::kControlHeaderLen);
  return out;
}

std::optional<ControlMessage> decode_control(ByteSpan plaintext) {
  if (plaintext.size() < wire::kMinControlPlaintext || plaintext.size() > kMaxControlPlaintext) {
    return std::nullopt;
  }
  if (!is_known_kind(plaintext[kKindOffset])) return std::nullopt;
  const std::size_t body_len = load_le16(plaintext.data() + kBodyLenOffset);
  if (body_len > plaintext.size() - wire::kControlHeaderLen) return std::nullopt;
  const ByteSpan body = plaintext.subspan(wire::kControlHeaderLen, body_len);
  const ByteSpan padding = plaintext.subspan(wire::kControlHeaderLen + body_len);
  if (!std::all_of(padding.begin(), padding.end(), [](std::uint8_t b) { return b == 0; })) {
    return std::nullopt;
  }
  return ControlMessage{static_cast<wire::ControlKind>(plaintext[kKindOffset]),
                        load_le32(plaintext.data() + kMsgIdOffset),
                        load_le64(plaintext.data() + kCallIdOffset),
                        Bytes(body.begin(), body.end())};
}

Bytes encode_ack(const AckBody& body) {
  Bytes out(kAckBodyLen);
  store_le32(out.data(), body.acked_msg_id);
  return out;
}

std::optional<AckBody> decode_ack(ByteSpan body) {
  if (body.size() != kAckBodyLen) return std::nullopt;
  return AckBody{load_le32(body.data())};
}

Bytes encode_call_request(const CallRequestBody& body) {
  if (!is_valid_call_request(body)) throw Error("call request has out-of-range fields");
  Bytes out(kCallRequestBodyLen);
  out[0] = body.frame_ms;
  store_le32(out.data() + 1, body.bitrate);
  out[5] = body.flags;
  std::copy(body.sas_commitment.begin(), body.sas_commitment.end(), out.begin() + 6);
  return out;
}

std::optional<CallRequestBody> decode_call_request(ByteSpan body) {
  if (body.size() != kCallRequestBodyLen) return std::nullopt;
  CallRequestBody decoded{body[0], load_le32(body.data() + 1), body[5], {}};
  std::copy_n(body.begin() + 6, decoded.sas_commitment.size(), decoded.sas_commitment.begin());
  if (!is_valid_call_request(decoded)) return std::nullopt;
  return decoded;
}

Bytes encode_hangup(const HangupBody& body) {
  const auto reason = static_cast<std::uint8_t>(body.reason);
  if (!is_valid_hangup_reason(reason)) throw Error("unknown hangup reason");
  return Bytes{reason};
}

Bytes encode_sas_nonce(const wire::SasNonce& nonce) {
  return Bytes(nonce.begin(), nonce.end());
}

std::optional<wire::SasNonce> decode_sas_nonce(ByteSpan body) {
  if (body.size() != wire::kSasNonceLen) return std::nullopt;
  wire::SasNonce nonce{};
  std::copy(body.begin(), body.end(), nonce.begin());
  return nonce;
}

std::optional<HangupBody> decode_hangup(ByteSpan body) {
  if (body.size() != kHangupBodyLen || !is_valid_hangup_reason(body[0])) return std::nullopt;
  return HangupBody{static_cast<HangupReason>(body[0])};
}

Bytes encode_receiver_report(const ReceiverReportBody& body) {
  Bytes out(kReceiverReportBodyLen);
  std::uint8_t* p = out.data();
  store_le64(p, body.highest_counter);
  store_le32(p + 8, body.cumulative_lost);
  p[12] = body.fraction_lost;
  store_le32(p + 13, body.jitter_us);
  store_le32(p + 17, body.packets_received);
  return out;
}

std::optional<ReceiverReportBody> decode_receiver_report(ByteSpan body) {
  if (body.size() != kReceiverReportBodyLen) return std::nullopt;
  const std::uint8_t* p = body.data();
  return ReceiverReportBody{load_le64(p), load_le32(p + 8), p[12], load_le32(p + 13),
                            load_le32(p + 17)};
}

Bytes encode_ping(const PingBody& body) {
  return encode_u64(body.timestamp_us);
}

std::optional<PingBody> decode_ping(ByteSpan body) {
  const auto value = decode_u64(body);
  if (!value) return std::nullopt;
  return PingBody{*value};
}

Bytes encode_pong(const PongBody& body) {
  return encode_u64(body.echoed_timestamp_us);
}

std::optional<PongBody> decode_pong(ByteSpan body) {
  const auto value = decode_u64(body);
  if (!value) return std::nullopt;
  return PongBody{*value};
}

bool has_valid_body(const ControlMessage& message) {
  const ByteSpan body = message.body;
  switch (message.kind) {
    case wire::ControlKind::kAck:
      return decode_ack(body).has_value();
    case wire::ControlKind::kCallRequest:
      return decode_call_request(body).has_value();
    case wire::ControlKind::kHangup:
      // A hang-up always ends the call (docs/protocol.md §5.4): one with a reason this console
      // does not know, or no reason at all, dropped without an Ack left the sender's call
      // "connected" until connection_lost.
      return true;
    case wire::ControlKind::kReceiverReport:
      return decode_receiver_report(body).has_value();
    case wire::ControlKind::kPing:
      return decode_ping(body).has_value();
    case wire::ControlKind::kPong:
      return decode_pong(body).has_value();
    case wire::ControlKind::kRinging:
    case wire::ControlKind::kSasReveal:
      return decode_sas_nonce(body).has_value();
    case wire::ControlKind::kAnswer:
    case wire::ControlKind::kDecline:
    case wire::ControlKind::kBusy:
    case wire::ControlKind::kCancel:
    case wire::ControlKind::kKeepalive:
    case wire::ControlKind::kSasConfirmed:
      return body.empty();
  }
  return false;
}

}  // namespace hotline::net
