// NoiseHandshake beyond the published vectors: fresh random keys, misuse, low-order keys,
// and the primitive HMAC/HKDF checked against an independent implementation.

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>

#include "core/crypto/noise.hpp"
#include "core/util/error.hpp"

namespace hotline::crypto {
namespace {

SecretKey random_key() {
  SecretKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

const Bytes kPrologue = {'t', 'e', 's', 't'};

struct Pair {
  SecretKey initiator_static = random_key();
  SecretKey responder_static = random_key();
  NoiseHandshake initiator;
  NoiseHandshake responder;
  explicit Pair(NoisePattern pattern)
      : initiator(pattern, NoiseRole::Initiator, kPrologue, initiator_static,
                  x25519_public(responder_static)),
        responder(pattern, NoiseRole::Responder, kPrologue, responder_static, std::nullopt) {}
};

TEST_CASE("HMAC-BLAKE2b matches an independent implementation", "[noise]") {
  // Expected values from Python's hmac module with hashlib.blake2b (128-byte block).
  Bytes key(64);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  ScratchKey<64> out;
  hmac_blake2b(key, {as_bytes("hotline "), as_bytes("hmac test")}, out.span());
  CHECK(to_hex(out.span()) ==
        "9508219657a307f894dfd13a6cb662ec94648e02f221ed8f7ba595f957da57b7a3156de01c6f15114cdc5e26"
        "24a9fced669bab29c3e0a95543a32bb617908847");
  Bytes long_key(200);
  for (std::size_t i = 0; i < long_key.size(); ++i) long_key[i] = static_cast<std::uint8_t>(i);
  hmac_blake2b(long_key, {as_bytes("hotline hmac test")}, out.span());
  CHECK(to_hex(out.span()) ==
        "668e24500186b61c3d335d976af21569a56aa9848bfa846c4dbb257750c807f9dc7f111e2749d58b3c57b7ce"
        "45c935810408df4dfa419e4db88a1622c7d0bb3f");
}

TEST_CASE("fresh IKpsk2 handshake agrees on keys and hash", "[noise]") {
  Pair pair(NoisePattern::IKpsk2);
  const SecretKey psk = random_key();
  pair.initiator.set_psk(psk);
  const Bytes m1 = pair.initiator.write_message(as_bytes("hello"));
  CHECK(m1.size() == 32 + 48 + 5 + 16);
  const auto p1 = pair.responder.read_message(m1);
  REQUIRE(p1.has_value());
  CHECK(*p1 == Bytes{'h', 'e', 'l', 'l', 'o'});
  CHECK(pair.responder.remote_static() == x25519_public(pair.initiator_static));
  pair.responder.set_psk(psk);
  const Bytes m2 = pair.responder.write_message({});
  CHECK(m2.size() == 48);
  const auto p2 = pair.initiator.read_message(m2);
  REQUIRE(p2.has_value());
  CHECK(p2->empty());

  REQUIRE(pair.initiator.complete());
  REQUIRE(pair.responder.complete());
  CHECK(pair.initiator.handshake_hash() == pair.responder.handshake_hash());
  const TransportKeys a = pair.initiator.split();
  const TransportKeys b = pair.responder.split();
  CHECK(sodium_memcmp(a.send.data(), b.recv.data(), 32) == 0);
  CHECK(sodium_memcmp(a.recv.data(), b.send.data(), 32) == 0);
  CHECK(sodium_memcmp(a.send.data(), a.recv.data(), 32) != 0);
  CHECK_THROWS_AS(pair.initiator.split(), Error);  // only once
}

TEST_CASE("two handshakes with the same keys differ (fresh ephemerals)", "[noise]") {
  Pair first(NoisePattern::IK);
  NoiseHandshake again(NoisePattern::IK, NoiseRole::Initiator, kPrologue, first.initiator_static,
                       x25519_public(first.responder_static));
  CHECK(first.initiator.write_message({}) != again.write_message({}));
}

TEST_CASE("Noise misuse throws", "[noise]") {
  const SecretKey s = random_key();
  CHECK_THROWS_AS(NoiseHandshake(NoisePattern::IK, NoiseRole::Initiator, {}, s, std::nullopt),
                  Error);
  CHECK_THROWS_AS(NoiseHandshake(NoisePattern::IK, NoiseRole::Responder, {}, s, x25519_public(s)),
                  Error);

  Pair pair(NoisePattern::IKpsk2);
  CHECK_THROWS_AS(pair.responder.write_message({}), Error);  // not its turn
  CHECK_THROWS_AS(pair.initiator.read_message(Bytes(48)), Error);
  CHECK_THROWS_AS(pair.initiator.handshake_hash(), Error);
  CHECK_THROWS_AS(pair.responder.remote_static(), Error);
  CHECK_THROWS_AS(pair.initiator.split(), Error);

  const Bytes m1 = pair.initiator.write_message({});
  CHECK_THROWS_AS(pair.initiator.write_message({}), Error);
  CHECK_THROWS_AS(pair.initiator.set_ephemeral_for_testing(random_key()), Error);
  REQUIRE(pair.responder.read_message(m1).has_value());
  CHECK_THROWS_AS(pair.responder.write_message({}), Error);  // psk never set
  pair.responder.set_psk(random_key());
  const Bytes m2 = pair.responder.write_message({});
  CHECK_THROWS_AS(pair.initiator.read_message(m2), Error);  // initiator psk never set

  NoiseHandshake ik(NoisePattern::IK, NoiseRole::Initiator, {}, s, x25519_public(s));
  CHECK_THROWS_AS(ik.set_psk(s), Error);
  CHECK_THROWS_AS(ik.write_message(Bytes(65535)), Error);
}

TEST_CASE("low-order keys are rejected", "[noise]") {
  // Small-order X25519 points: zero, one, and a point of order 8.
  const std::vector<Bytes> bad = {
      Bytes(32, 0),
      [] {
        Bytes one(32, 0);
        one[0] = 1;
        return one;
      }(),
      *from_hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
  };
  for (const Bytes& key_bytes : bad) {
    DhPublicKey key{};
    std::copy(key_bytes.begin(), key_bytes.end(), key.begin());
    // Initiator configured with a low-order responder key: write fails.
    NoiseHandshake initiator(NoisePattern::IK, NoiseRole::Initiator, {}, random_key(), key);
    CHECK_THROWS_AS(initiator.write_message({}), Error);

    // Responder receiving a low-order ephemeral in message 1: read fails.
    const SecretKey responder_static = random_key();
    NoiseHandshake honest(NoisePattern::IK, NoiseRole::Initiator, {}, random_key(),
                          x25519_public(responder_static));
    Bytes m1 = honest.write_message({});
    std::copy(key.begin(), key.end(), m1.begin());
    NoiseHandshake responder(NoisePattern::IK, NoiseRole::Responder, {}, responder_static,
                             std::nullopt);
    CHECK_FALSE(responder.read_message(m1).has_value());
    CHECK(responder.failed());
    CHECK_THROWS_AS(responder.remote_static(), Error);

    // Initiator receiving a low-order ephemeral in message 2: read fails.
    Pair pair(NoisePattern::IK);
    REQUIRE(pair.responder.read_message(pair.initiator.write_message({})).has_value());
    Bytes m2 = pair.responder.write_message({});
    std::copy(key.begin(), key.end(), m2.begin());
    CHECK_FALSE(pair.initiator.read_message(m2).has_value());
  }
}

TEST_CASE("a clone survives a failed read on the original", "[noise]") {
  Pair pair(NoisePattern::IK);
  REQUIRE(pair.responder.read_message(pair.initiator.write_message({})).has_value());
  const Bytes m2 = pair.responder.write_message(as_bytes("ok"));
  NoiseHandshake backup = pair.initiator.clone();
  Bytes forged = m2;
  forged.back() ^= 1;
  CHECK_FALSE(pair.initiator.read_message(forged).has_value());
  CHECK_THROWS_AS(pair.initiator.read_message(m2), Error);  // unusable after failure
  const auto payload = backup.read_message(m2);
  REQUIRE(payload.has_value());
  CHECK(backup.handshake_hash() == pair.responder.handshake_hash());
}

TEST_CASE("CipherState rejects a replayed or reordered message", "[noise]") {
  CipherState sender;
  CipherState receiver;
  const SecretKey key = random_key();
  sender.initialize_key(key.span());
  receiver.initialize_key(key.span());
  const Bytes c0 = sender.encrypt_with_ad({}, as_bytes("zero"));
  const Bytes c1 = sender.encrypt_with_ad({}, as_bytes("one"));
  CHECK_FALSE(receiver.decrypt_with_ad({}, c1).has_value());  // nonce 0 expected
  CHECK(receiver.decrypt_with_ad({}, c0).has_value());
  CHECK_FALSE(receiver.decrypt_with_ad({}, c0).has_value());  // replay
  CHECK(receiver.decrypt_with_ad({}, c1).has_value());
  CHECK_FALSE(chachapoly_decrypt(key, 0, {}, Bytes(15)).has_value());
}

}  // namespace
}  // namespace hotline::crypto
