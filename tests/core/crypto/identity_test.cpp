#include "core/crypto/identity.hpp"

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>

#include "core/crypto/noise_symmetric.hpp"

namespace hotline::crypto {
namespace {

PublicKey key_from_hex(std::string_view text) {
  const auto bytes = from_hex(text);
  REQUIRE(bytes.has_value());
  REQUIRE(bytes->size() == 32);
  PublicKey key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

TEST_CASE("identity signs and verifies; tampering is detected", "[identity]") {
  const Identity identity = Identity::generate();
  const Bytes message = {'c', 'a', 'r', 'd'};
  const Signature signature = identity.sign(message);
  CHECK(verify_signature(identity.public_key(), message, signature));

  Bytes other_message = message;
  other_message[0] ^= 1;
  CHECK_FALSE(verify_signature(identity.public_key(), other_message, signature));
  Signature other_signature = signature;
  other_signature[10] ^= 1;
  CHECK_FALSE(verify_signature(identity.public_key(), message, other_signature));
  CHECK_FALSE(verify_signature(Identity::generate().public_key(), message, signature));
}

TEST_CASE("identity is a pure function of its seed", "[identity]") {
  const Identity original = Identity::generate();
  const Identity restored = Identity::from_seed(original.seed());
  CHECK(restored.public_key() == original.public_key());
  CHECK(restored.dh_public() == original.dh_public());
  CHECK(sodium_memcmp(restored.dh_private().data(), original.dh_private().data(), 32) == 0);
  CHECK(original.public_key() != Identity::generate().public_key());
}

TEST_CASE("RFC 8032 test 1: seed gives the published Ed25519 key and signature", "[identity]") {
  const auto seed_bytes =
      from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  REQUIRE(seed_bytes.has_value());
  const SecretKey seed(std::span<const std::uint8_t, 32>(seed_bytes->data(), 32));
  const Identity identity = Identity::from_seed(seed);
  CHECK(to_hex(identity.public_key()) ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  CHECK(to_hex(identity.sign({})) ==
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
        "1cf9b46bd25bf5f0595bbe24655141438e7a100b");
}

TEST_CASE("the X25519 form is the same from both sides", "[identity]") {
  const Identity identity = Identity::generate();
  const auto derived = dh_public_from_identity(identity.public_key());
  REQUIRE(derived.has_value());
  CHECK(*derived == identity.dh_public());
  CHECK(x25519_public(identity.dh_private()) == identity.dh_public());
}

TEST_CASE("invalid and small-order identity keys are rejected", "[identity]") {
  CHECK_FALSE(dh_public_from_identity(PublicKey{}).has_value());  // all zero
  // The neutral element (order 1) and (0, -1) of order 2.
  CHECK_FALSE(dh_public_from_identity(
                  key_from_hex("0100000000000000000000000000000000000000000000000000000000000000"))
                  .has_value());
  CHECK_FALSE(dh_public_from_identity(
                  key_from_hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
                  .has_value());
  // A point of order 8, and a y that is not on the curve (y = 2).
  CHECK_FALSE(dh_public_from_identity(
                  key_from_hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"))
                  .has_value());
  CHECK_FALSE(dh_public_from_identity(
                  key_from_hex("0200000000000000000000000000000000000000000000000000000000000000"))
                  .has_value());
}

}  // namespace
}  // namespace hotline::crypto
