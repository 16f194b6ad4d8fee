#pragma once
// A console's long-term key pair. One Ed25519 key pair signs (peer cards, audit entries); its
// birationally-equivalent X25519 form is the Noise static key. The 32-byte seed is the only
// thing stored on disk.

#include <array>
#include <cstdint>
#include <optional>

#include "core/crypto/secret.hpp"
#include "core/util/bytes.hpp"

namespace hotline::crypto {

using PublicKey = std::array<std::uint8_t, 32>;  // Ed25519 public key: a console's identity
using DhPublicKey = std::array<std::uint8_t, 32>;  // X25519 public key used by Noise
using Signature = std::array<std::uint8_t, 64>;

class Identity {
 public:
  static Identity generate();
  static Identity from_seed(const SecretKey& seed);

  const PublicKey& public_key() const { return public_key_; }
  const DhPublicKey& dh_public() const { return dh_public_; }
  const SecretKey& dh_private() const { return dh_private_; }
  const SecretKey& seed() const { return seed_; }

  Signature sign(ByteSpan message) const;

 private:
  Identity() = default;
  SecretKey seed_;
  Secret<64> signing_key_;
  SecretKey dh_private_;
  PublicKey public_key_{};
  DhPublicKey dh_public_{};
};

bool verify_signature(const PublicKey& key, ByteSpan message, const Signature& signature);

// The X25519 form of a peer's identity key. nullopt for keys that are not valid points,
// are of small order (including all-zero), or would give an all-zero X25519 key.
std::optional<DhPublicKey> dh_public_from_identity(const PublicKey& key);

}  // namespace hotline::crypto
