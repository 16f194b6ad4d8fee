#include "core/net/handshake_messages.hpp"

#include <sodium.h>

#include <algorithm>

#include "core/crypto/rekey_chain.hpp"
#include "core/util/error.hpp"
#include "core/wire/wire.hpp"

namespace hotline::net {
namespace {

constexpr auto kPattern = crypto::NoisePattern::IKpsk2;

std::uint8_t type_byte(wire::MessageType type) {
  return static_cast<std::uint8_t>(type);
}

ByteSpan prologue() {
  return as_bytes(wire::kNoisePrologue);
}

bool has_shape(ByteSpan packet, wire::MessageType type, std::size_t length) {
  return packet.size() == length && packet[0] == type_byte(type);
}

void append_mac1(Bytes& packet, const crypto::DhPublicKey& receiver) {
  const crypto::Mac1 mac = crypto::compute_mac1(crypto::Mac1Key(receiver), packet);
  packet.insert(packet.end(), mac.begin(), mac.end());
}

bool mac_ok(ByteSpan packet, std::size_t mac_offset, const crypto::Mac1Key& key) {
  return crypto::mac1_matches(key, packet.first(mac_offset),
                              packet.subspan(mac_offset, wire::kMacLen));
}

static_assert(wire::kNoiseProtocolName == "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b");

}  // namespace

Bytes build_initiation(const crypto::Identity& self, const crypto::DhPublicKey& responder,
                       const crypto::SecretKey& psk, std::uint32_t sender_index,
                       const crypto::Tai64n& timestamp, wire::InitiationPurpose purpose,
                       const std::optional<crypto::Cookie>& cookie, PendingInitiation& out_state) {
  auto noise = std::make_unique<crypto::NoiseHandshake>(kPattern, crypto::NoiseRole::Initiator,
                                                        prologue(), self.dh_private(), responder);
  noise->set_psk(psk);
  std::array<std::uint8_t, wire::kInitiationPayloadLen> payload{};
  std::copy(timestamp.begin(), timestamp.end(), payload.begin());
  payload[wire::kTimestampLen] = static_cast<std::uint8_t>(purpose);
  const Bytes message = noise->write_message(payload);
  if (message.size() != wire::kInitiationNoiseLen) throw Error("initiation has the wrong size");

  Bytes packet(wire::kInitiationNoiseOffset);
  packet[0] = type_byte(wire::MessageType::kInitiation);
  store_le32(packet.data() + wire::kInitiationSenderOffset, sender_index);
  packet.insert(packet.end(), message.begin(), message.end());
  append_mac1(packet, responder);
  std::copy(packet.begin() + wire::kInitiationMacOffset, packet.end(), out_state.mac1.begin());
  if (cookie) {
    const crypto::Mac2 mac2 = crypto::compute_mac2(*cookie, packet);
    packet.insert(packet.end(), mac2.begin(), mac2.end());
  } else {
    packet.resize(wire::kInitiationLen, 0);
  }

  out_state.sender_index = sender_index;
  out_state.noise = std::move(noise);
  out_state.had_mac2 = cookie.has_value();
  return packet;
}

std::optional<std::uint32_t> peek_cookie_reply_receiver_index(ByteSpan packet) {
  if (!has_shape(packet, wire::MessageType::kCookieReply, wire::kCookieReplyLen)) {
    return std::nullopt;
  }
  return load_le32(packet.data() + wire::kCookieReceiverOffset);
}

std::optional<crypto::Cookie> read_cookie_reply(ByteSpan packet, const PendingInitiation& state,
                                                const crypto::CookieSealKey& responder_key) {
  const auto receiver = peek_cookie_reply_receiver_index(packet);
  if (!receiver || *receiver != state.sender_index) return std::nullopt;
  if (packet[1] != 0 || packet[2] != 0 || packet[3] != 0) return std::nullopt;
  crypto::CookieNonce nonce{};
  std::copy_n(packet.begin() + wire::kCookieNonceOffset, nonce.size(), nonce.begin());
  return crypto::open_cookie(responder_key, nonce, packet.subspan(wire::kCookieSealedOffset),
                             state.mac1);
}

bool initiation_passes_mac(ByteSpan packet, const crypto::Mac1Key& own_mac_key) {
  return has_shape(packet, wire::MessageType::kInitiation, wire::kInitiationLen) &&
         mac_ok(packet, wire::kInitiationMacOffset, own_mac_key);
}

bool initiation_passes_mac2(ByteSpan packet, const crypto::Cookie& cookie) {
  return has_shape(packet, wire::MessageType::kInitiation, wire::kInitiationLen) &&
         crypto::mac2_matches(cookie, packet.first(wire::kInitiationMac2Offset),
                              packet.subspan(wire::kInitiationMac2Offset, wire::kMacLen));
}

Bytes build_cookie_reply(ByteSpan initiation, const crypto::Cookie& cookie,
                         const crypto::CookieSealKey& own_key) {
  Bytes packet(wire::kCookieSealedOffset, 0);
  packet[0] = type_byte(wire::MessageType::kCookieReply);
  std::copy_n(initiation.begin() + wire::kInitiationSenderOffset, 4,
              packet.begin() + wire::kCookieReceiverOffset);
  crypto::CookieNonce nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  std::copy(nonce.begin(), nonce.end(), packet.begin() + wire::kCookieNonceOffset);
  const auto sealed = crypto::seal_cookie(
      own_key, nonce, cookie, initiation.subspan(wire::kInitiationMacOffset, wire::kMacLen));
  packet.insert(packet.end(), sealed.begin(), sealed.end());
  return packet;
}

std::optional<ReceivedInitiation> read_initiation(ByteSpan packet, const crypto::Identity& self) {
  if (!has_shape(packet, wire::MessageType::kInitiation, wire::kInitiationLen)) {
    return std::nullopt;
  }
  auto noise = std::make_unique<crypto::NoiseHandshake>(
      kPattern, crypto::NoiseRole::Responder, prologue(), self.dh_private(), std::nullopt);
  const auto payload =
      noise->read_message(packet.subspan(wire::kInitiationNoiseOffset, wire::kInitiationNoiseLen));
  if (!payload || payload->size() != wire::kInitiationPayloadLen) return std::nullopt;
  const auto purpose = static_cast<wire::InitiationPurpose>((*payload)[wire::kTimestampLen]);
  if (purpose != wire::InitiationPurpose::kCall && purpose != wire::InitiationPurpose::kProbe) {
    return std::nullopt;
  }

  ReceivedInitiation received;
  received.sender_index = load_le32(packet.data() + wire::kInitiationSenderOffset);
  received.initiator_static = noise->remote_static();
  std::copy_n(payload->begin(), wire::kTimestampLen, received.timestamp.begin());
  received.purpose = purpose;
  received.noise = std::move(noise);
  return received;
}

Bytes build_response(ReceivedInitiation& received, const crypto::SecretKey& psk,
                     std::uint32_t responder_index, CompletedHandshake& out) {
  if (!received.noise) throw Error("this initiation was already answered");
  std::unique_ptr<crypto::NoiseHandshake> noise = std::move(received.noise);
  noise->set_psk(psk);
  const Bytes message = noise->write_message({});
  if (message.size() != wire::kResponseNoiseLen) throw Error("response has the wrong size");

  Bytes packet(wire::kResponseNoiseOffset);
  packet[0] = type_byte(wire::MessageType::kResponse);
  store_le32(packet.data() + wire::kResponseSenderOffset, responder_index);
  store_le32(packet.data() + wire::kResponseReceiverOffset, received.sender_index);
  packet.insert(packet.end(), message.begin(), message.end());
  append_mac1(packet, received.initiator_static);

  out.handshake_hash = noise->handshake_hash();
  out.keys = noise->split();
  out.rekey_chain = crypto::derive_rekey_chain(out.keys.recv, out.keys.send);
  out.remote_index = received.sender_index;
  return packet;
}

bool response_passes_mac(ByteSpan packet, const crypto::Mac1Key& own_mac_key) {
  return has_shape(packet, wire::MessageType::kResponse, wire::kResponseLen) &&
         mac_ok(packet, wire::kResponseMacOffset, own_mac_key);
}

std::optional<std::uint32_t> peek_response_receiver_index(ByteSpan packet) {
  if (!has_shape(packet, wire::MessageType::kResponse, wire::kResponseLen)) return std::nullopt;
  return load_le32(packet.data() + wire::kResponseReceiverOffset);
}

std::optional<CompletedHandshake> read_response(ByteSpan packet, PendingInitiation& state) {
  if (!state.noise || !has_shape(packet, wire::MessageType::kResponse, wire::kResponseLen)) {
    return std::nullopt;
  }
  if (load_le32(packet.data() + wire::kResponseReceiverOffset) != state.sender_index) {
    return std::nullopt;
  }
  // Try on a copy: a failed read leaves a Noise state unusable, and the genuine response
  // may still arrive after a forged one.
  crypto::NoiseHandshake attempt = state.noise->clone();
  const auto payload =
      attempt.read_message(packet.subspan(wire::kResponseNoiseOffset, wire::kResponseNoiseLen));
  if (!payload || !payload->empty()) return std::nullopt;

  CompletedHandshake completed;
  completed.handshake_hash = attempt.handshake_hash();
  completed.keys = attempt.split();
  completed.rekey_chain = crypto::derive_rekey_chain(completed.keys.send, completed.keys.recv);
  completed.remote_index = load_le32(packet.data() + wire::kResponseSenderOffset);
  state.noise.reset();
  return completed;
}

}  // namespace hotline::net
