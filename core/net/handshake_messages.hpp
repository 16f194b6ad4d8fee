#pragma once
// The two handshake packets of wire.hpp (initiation and response) around the Noise IKpsk2
// messages: layout, mac1, and the steps a responder and an initiator take. Every function
// that reads a packet treats it as untrusted: bad input gives false / nullopt, never a throw.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "core/crypto/cookie.hpp"
#include "core/crypto/identity.hpp"
#include "core/crypto/mac.hpp"
#include "core/crypto/noise.hpp"
#include "core/crypto/secret.hpp"
#include "core/crypto/tai64n.hpp"
#include "core/util/bytes.hpp"
#include "core/wire/wire.hpp"

namespace hotline::net {

// ---- Initiator ---------------------------------------------------------------------------

struct PendingInitiation {
  std::uint32_t sender_index = 0;
  std::unique_ptr<crypto::NoiseHandshake> noise;
  crypto::Mac1 mac1{};    // of the initiation sent: a cookie reply to it is sealed to it
  bool had_mac2 = false;  // it carried a cookie's mac2
  int failed_reads = 0;   // responses to it that failed the Noise read
};

// The 146-byte initiation (Noise message 1, payload = timestamp and purpose). An unset psk is
// 32 zero bytes. With a cookie from the responder, mac2 is computed under it; without, mac2 is
// zeros. Throws hotline::Error if `responder` is not a usable X25519 key (small order).
Bytes build_initiation(const crypto::Identity& self, const crypto::DhPublicKey& responder,
                       const crypto::SecretKey& psk, std::uint32_t sender_index,
                       const crypto::Tai64n& timestamp, wire::InitiationPurpose purpose,
                       const std::optional<crypto::Cookie>& cookie, PendingInitiation& out_state);

// A cookie reply (64 bytes) read by the initiator: the cookie, when the reply answers
// `state`'s initiation and opens under the responder's seal key; nullopt otherwise.
std::optional<crypto::Cookie> read_cookie_reply(ByteSpan packet, const PendingInitiation& state,
                                                const crypto::CookieSealKey& responder_key);
// The receiver index of a well-formed-length cookie reply (to find the pending initiation).
std::optional<std::uint32_t> peek_cookie_reply_receiver_index(ByteSpan packet);

struct CompletedHandshake {
  crypto::TransportKeys keys;
  crypto::SecretKey rekey_chain;  // crypto::derive_rekey_chain of the keys
  wire::HandshakeHash handshake_hash{};
  std::uint32_t remote_index = 0;  // the peer's index: put it in packets sent to the peer
};

// Cheap check before any DH: exact length, type, and mac1 under the initiator's own key.
bool response_passes_mac(ByteSpan packet, const crypto::Mac1Key& own_mac_key);
// The receiver index of a well-formed-length response, without crypto (to find the pending
// initiation); nullopt when the packet is not a response.
std::optional<std::uint32_t> peek_response_receiver_index(ByteSpan packet);
// Noise read of message 2. nullopt on any failure, and `state` is then left untouched, so a
// forged response cannot spoil the pending handshake; on success state.noise is consumed.
std::optional<CompletedHandshake> read_response(ByteSpan packet, PendingInitiation& state);

// ---- Responder ---------------------------------------------------------------------------

// Step 1, before any DH: exact length, type, and mac1 under the responder's own key.
bool initiation_passes_mac(ByteSpan packet, const crypto::Mac1Key& own_mac_key);
// Under load, before any DH: mac2 under the cookie of the initiation's source (length and
// type already checked by initiation_passes_mac).
bool initiation_passes_mac2(ByteSpan packet, const crypto::Cookie& cookie);
// The cookie reply to an initiation that passed mac1: the cookie sealed to its mac1.
Bytes build_cookie_reply(ByteSpan initiation, const crypto::Cookie& cookie,
                         const crypto::CookieSealKey& own_key);

struct ReceivedInitiation {
  std::uint32_t sender_index = 0;
  crypto::DhPublicKey initiator_static{};
  crypto::Tai64n timestamp{};
  wire::InitiationPurpose purpose = wire::InitiationPurpose::kCall;
  std::unique_ptr<crypto::NoiseHandshake> noise;
};

// Step 2: Noise read of message 1 (does not repeat the mac1 check of step 1). nullopt on
// failure, and on a purpose this version does not know. The initiator's key and timestamp are
// authenticated only against `self`'s static key at this point; the psk is checked when the
// response is built and read.
std::optional<ReceivedInitiation> read_initiation(ByteSpan packet, const crypto::Identity& self);

// Step 3, after the caller accepted the peer and the timestamp: the 73-byte response.
// Consumes received.noise; throws hotline::Error if it was already consumed.
Bytes build_response(ReceivedInitiation& received, const crypto::SecretKey& psk,
                     std::uint32_t responder_index, CompletedHandshake& out);

}  // namespace hotline::net
