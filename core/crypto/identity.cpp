#include "core/crypto/identity.hpp"

#include <sodium.h>

#include "core/util/error.hpp"

namespace hotline::crypto {

Identity Identity::generate() {
  ensure_sodium();
  SecretKey seed;
  randombytes_buf(seed.data(), seed.size());
  return from_seed(seed);
}

Identity Identity::from_seed(const SecretKey& seed) {
  ensure_sodium();
  Identity identity;
  identity.seed_ = seed.clone();
  if (crypto_sign_seed_keypair(identity.public_key_.data(), identity.signing_key_.data(),
                               seed.data()) != 0) {
    throw Error("could not derive the signing key pair from the identity seed");
  }
  // The Noise static key is the X25519 form of the same key pair, so a peer card's single
  // Ed25519 key pins both signatures and handshakes.
  if (crypto_sign_ed25519_sk_to_curve25519(identity.dh_private_.data(),
                                           identity.signing_key_.data()) != 0 ||
      crypto_scalarmult_base(identity.dh_public_.data(), identity.dh_private_.data()) != 0) {
    throw Error("could not derive the key-exchange key from the identity seed");
  }
  return identity;
}

Signature Identity::sign(ByteSpan message) const {
  Signature signature{};
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                       signing_key_.data());
  return signature;
}

bool verify_signature(const PublicKey& key, ByteSpan message, const Signature& signature) {
  ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

std::optional<DhPublicKey> dh_public_from_identity(const PublicKey& key) {
  ensure_sodium();
  // is_valid_point: canonical encoding, on the curve, in the main subgroup, not small order.
  if (crypto_core_ed25519_is_valid_point(key.data()) != 1) return std::nullopt;
  DhPublicKey dh{};
  if (crypto_sign_ed25519_pk_to_curve25519(dh.data(), key.data()) != 0) return std::nullopt;
  if (sodium_is_zero(dh.data(), dh.size()) == 1) return std::nullopt;
  return dh;
}

}  // namespace hotline::crypto
