#include "core/net/transport.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "core/util/error.hpp"

namespace hotline::net {

namespace {

using Nonce = std::array<std::uint8_t, crypto_aead_chacha20poly1305_IETF_NPUBBYTES>;
static_assert(crypto_aead_chacha20poly1305_IETF_NPUBBYTES == 12);
static_assert(crypto_aead_chacha20poly1305_IETF_ABYTES == wire::kTagLen);
static_assert(crypto_aead_chacha20poly1305_IETF_KEYBYTES == wire::kKeyLen);

bool is_transport_type(std::uint8_t type) {
  return type == static_cast<std::uint8_t>(wire::MessageType::kVoice) ||
         type == static_cast<std::uint8_t>(wire::MessageType::kControl);
}

// The type byte separates the voice and control counter spaces under one key.
Nonce make_nonce(std::uint8_t type, std::uint64_t counter) {
  Nonce nonce{};
  nonce[0] = type;
  store_le64(nonce.data() + 4, counter);
  return nonce;
}

}  // namespace

std::optional<TransportHeader> parse_transport_header(ByteSpan packet) {
  if (packet.size() < wire::kTransportOverhead || packet.size() > wire::kMaxDatagram) {
    return std::nullopt;
  }
  if (!is_transport_type(packet[0])) return std::nullopt;
  return TransportHeader{static_cast<wire::MessageType>(packet[0]),
                         load_le32(packet.data() + wire::kTransportReceiverOffset),
                         load_le24(packet.data() + wire::kTransportCounterOffset)};
}

std::size_t seal_transport(wire::MessageType type, std::uint32_t receiver_index,
                           std::uint64_t counter, const crypto::SecretKey& key, ByteSpan plaintext,
                           MutableByteSpan out) {
  const auto type_byte = static_cast<std::uint8_t>(type);
  if (!is_transport_type(type_byte)) throw Error("seal_transport: not a transport message type");
  if (counter >= wire::kRejectAfterMessages) throw Error("seal_transport: counter exhausted");
  if (plaintext.size() > kMaxTransportPlaintext) {
    throw Error("seal_transport: plaintext too large for one datagram");
  }
  const std::size_t packet_len = plaintext.size() + wire::kTransportOverhead;
  if (out.size() < packet_len) throw Error("seal_transport: output buffer too small");

  std::uint8_t* header = out.data();
  header[0] = type_byte;
  store_le32(header + wire::kTransportReceiverOffset, receiver_index);
  store_le24(header + wire::kTransportCounterOffset,
             static_cast<std::uint32_t>(counter & wire::kCounterLowMask));

  const Nonce nonce = make_nonce(type_byte, counter);
  std::uint8_t* ciphertext = header + wire::kTransportHeaderLen;
  crypto_aead_chacha20poly1305_ietf_encrypt_detached(
      ciphertext, ciphertext + plaintext.size(), nullptr, plaintext.data(), plaintext.size(),
      header, wire::kTransportHeaderLen, nullptr, nonce.data(), key.data());
  return packet_len;
}

bool open_transport(ByteSpan packet, std::uint64_t full_counter, const crypto::SecretKey& key,
                    MutableByteSpan plaintext_out, std::size_t& plaintext_len) {
  const auto header = parse_transport_header(packet);
  if (!header) return false;
  if (full_counter >= wire::kRejectAfterMessages) return false;
  if ((full_counter & wire::kCounterLowMask) != header->counter_low) return false;
  const std::size_t len = packet.size() - wire::kTransportOverhead;
  if (plaintext_out.size() < len) return false;

  const Nonce nonce = make_nonce(packet[0], full_counter);
  const std::uint8_t* ciphertext = packet.data() + wire::kTransportHeaderLen;
  // libsodium zeroes its output when the tag does not verify; decrypting into scratch keeps
  // the caller's buffer untouched on failure.
  std::array<std::uint8_t, kMaxTransportPlaintext> scratch;
  const bool authentic =
      crypto_aead_chacha20poly1305_ietf_decrypt_detached(
          scratch.data(), nullptr, ciphertext, len, ciphertext + len, packet.data(),
          wire::kTransportHeaderLen, nonce.data(), key.data()) == 0;
  if (authentic) std::copy_n(scratch.data(), len, plaintext_out.data());
  sodium_memzero(scratch.data(), len);
  if (!authentic) return false;
  plaintext_len = len;
  return true;
}

}  // namespace hotline::net
