#pragma once
// mac1 of handshake packets, in WireGuard's spirit: a keyed BLAKE2b over the packet bytes
// before the mac field, keyed by the receiver's public key. It proves nothing about the
// sender; it lets a receiver drop junk and packets meant for another key without any DH.

#include <array>
#include <cstdint>
#include <string_view>

#include "core/crypto/identity.hpp"
#include "core/util/bytes.hpp"

namespace hotline::crypto {

using Mac1 = std::array<std::uint8_t, 16>;

// BLAKE2b-256(label || receiver's X25519 public key): the public per-receiver keys of mac1
// (wire::kMac1Label) and of cookie replies (wire::kCookieLabel).
std::array<std::uint8_t, 32> receiver_key(std::string_view label, const DhPublicKey& receiver);

// BLAKE2b-256(wire::kMac1Label || receiver's X25519 public key). Not secret (anyone who
// knows the public key can compute it); compute it once per receiver and keep it.
class Mac1Key {
 public:
  explicit Mac1Key(const DhPublicKey& receiver_static);
  const std::array<std::uint8_t, 32>& bytes() const { return key_; }

 private:
  std::array<std::uint8_t, 32> key_{};
};

// BLAKE2b-128 keyed with `key` over `covered` (the packet bytes before the mac field).
Mac1 compute_mac1(const Mac1Key& key, ByteSpan covered);
// Constant-time comparison; false when `mac` is not 16 bytes.
bool mac1_matches(const Mac1Key& key, ByteSpan covered, ByteSpan mac);

}  // namespace hotline::crypto
