#pragma once
// Cookies and mac2 (WireGuard's answer to handshake floods, docs/protocol.md §3.4). A responder
// under load answers an initiation that lacks a valid mac2 with a cookie: a MAC of the
// initiation's source address and port under a secret only the responder holds, replaced
// every wire::kCookieSecretLifetime. Only a party that receives datagrams at that address
// learns the cookie, so a flood with spoofed sources — even the genuine peer's own address —
// cannot make mac2, and the responder spends no Diffie-Hellman on it.

#include <array>
#include <cstdint>
#include <optional>

#include "core/crypto/identity.hpp"
#include "core/crypto/secret.hpp"
#include "core/util/bytes.hpp"

namespace hotline::crypto {

using Cookie = std::array<std::uint8_t, 16>;
using Mac2 = std::array<std::uint8_t, 16>;
using CookieNonce = std::array<std::uint8_t, 24>;

// BLAKE2b-256(wire::kCookieLabel || responder's X25519 public key): seals cookie replies. Not
// secret; it keeps a cookie reply readable only by whoever knows which responder it is for.
class CookieSealKey {
 public:
  explicit CookieSealKey(const DhPublicKey& responder_static);
  const std::array<std::uint8_t, 32>& bytes() const { return key_; }

 private:
  std::array<std::uint8_t, 32> key_{};
};

// BLAKE2b-128 keyed with the responder's current secret over the source's 16-byte IPv6 address
// (IPv4 as IPv4-mapped) and its port, big-endian.
Cookie compute_cookie(const SecretKey& secret, const std::array<std::uint8_t, 18>& source);

// BLAKE2b-128 keyed with the cookie over `covered` (the initiation's bytes before mac2).
Mac2 compute_mac2(const Cookie& cookie, ByteSpan covered);
// Constant-time; false when `mac` is not 16 bytes.
bool mac2_matches(const Cookie& cookie, ByteSpan covered, ByteSpan mac);

// XChaCha20-Poly1305 of the cookie with the initiation's mac1 as associated data, so a reply
// is tied to the initiation it answers. Returns nonce-less ciphertext and tag (32 bytes).
std::array<std::uint8_t, 32> seal_cookie(const CookieSealKey& key, const CookieNonce& nonce,
                                         const Cookie& cookie, ByteSpan initiation_mac1);
std::optional<Cookie> open_cookie(const CookieSealKey& key, const CookieNonce& nonce,
                                  ByteSpan sealed, ByteSpan initiation_mac1);

}  // namespace hotline::crypto
