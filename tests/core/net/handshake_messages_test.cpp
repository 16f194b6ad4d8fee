#include "core/net/handshake_messages.hpp"

#include <sodium.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>

#include "core/crypto/noise.hpp"
#include "core/crypto/rekey_chain.hpp"
#include "core/wire/wire.hpp"

namespace hotline::net {
namespace {

using crypto::Identity;
using crypto::SecretKey;

SecretKey random_psk() {
  SecretKey psk;
  randombytes_buf(psk.data(), psk.size());
  return psk;
}

bool same_key(const SecretKey& a, const SecretKey& b) {
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

struct Fixture {
  Identity alice = Identity::generate();  // initiator
  Identity bob = Identity::generate();    // responder
  crypto::Mac1Key alice_mac{alice.dh_public()};
  crypto::Mac1Key bob_mac{bob.dh_public()};
  SecretKey psk = random_psk();
  crypto::Tai64n timestamp = crypto::tai64n_now();
  PendingInitiation pending;

  Bytes initiation(const SecretKey& initiator_psk, std::uint32_t index = 0x11223344) {
    return build_initiation(alice, bob.dh_public(), initiator_psk, index, timestamp,
                            wire::InitiationPurpose::kCall, std::nullopt, pending);
  }
};

TEST_CASE("handshake round trip: both sides derive matching keys and hash", "[handshake]") {
  Fixture f;
  const Bytes init = f.initiation(f.psk);
  REQUIRE(init.size() == 146);
  CHECK(init[0] == static_cast<std::uint8_t>(wire::MessageType::kInitiation));
  CHECK(load_le32(init.data() + 1) == 0x11223344);
  CHECK(f.pending.sender_index == 0x11223344);

  REQUIRE(initiation_passes_mac(init, f.bob_mac));
  auto received = read_initiation(init, f.bob);
  REQUIRE(received.has_value());
  CHECK(received->sender_index == 0x11223344);
  CHECK(received->initiator_static == f.alice.dh_public());
  CHECK(received->timestamp == f.timestamp);

  CompletedHandshake bob_side;
  const Bytes response = build_response(*received, f.psk, 0xaabbccdd, bob_side);
  REQUIRE(response.size() == 73);
  CHECK(response[0] == static_cast<std::uint8_t>(wire::MessageType::kResponse));
  CHECK(bob_side.remote_index == 0x11223344);
  CHECK_THROWS(build_response(*received, f.psk, 1, bob_side));  // consumed

  REQUIRE(response_passes_mac(response, f.alice_mac));
  CHECK(peek_response_receiver_index(response) == std::optional<std::uint32_t>(0x11223344));
  const auto alice_side = read_response(response, f.pending);
  REQUIRE(alice_side.has_value());
  CHECK(alice_side->remote_index == 0xaabbccdd);
  CHECK(alice_side->handshake_hash == bob_side.handshake_hash);
  CHECK(same_key(alice_side->keys.send, bob_side.keys.recv));
  CHECK(same_key(alice_side->keys.recv, bob_side.keys.send));
  CHECK_FALSE(same_key(alice_side->keys.send, alice_side->keys.recv));
  // Both derive the same re-key chain secret (docs/protocol.md §8.1), which is none of the
  // keys, and the chained PSK differs from the peers' own.
  CHECK(same_key(alice_side->rekey_chain, bob_side.rekey_chain));
  CHECK_FALSE(same_key(alice_side->rekey_chain, alice_side->keys.send));
  CHECK_FALSE(same_key(alice_side->rekey_chain, alice_side->keys.recv));
  const crypto::SecretKey chained = crypto::chained_psk(alice_side->rekey_chain, f.psk);
  CHECK_FALSE(same_key(chained, f.psk));
  CHECK(same_key(chained, crypto::chained_psk(bob_side.rekey_chain, f.psk)));
  CHECK(f.pending.noise == nullptr);
  CHECK_FALSE(read_response(response, f.pending).has_value());  // nothing pending any more
}

TEST_CASE("an unset psk (all zero) works when both sides use it", "[handshake]") {
  Fixture f;
  const SecretKey zero;
  auto received = read_initiation(f.initiation(zero), f.bob);
  REQUIRE(received.has_value());
  CompletedHandshake bob_side;
  const Bytes response = build_response(*received, zero, 7, bob_side);
  CHECK(read_response(response, f.pending).has_value());
}

TEST_CASE("mac1 fails on any flipped byte it covers", "[handshake]") {
  Fixture f;
  const Bytes init = f.initiation(f.psk);
  // mac2 comes after mac1 and is not covered by it (it is added once a cookie is known).
  for (std::size_t i = 0; i < wire::kInitiationMac2Offset; ++i) {
    Bytes tampered = init;
    tampered[i] ^= 0x04;
    CHECK_FALSE(initiation_passes_mac(tampered, f.bob_mac));
  }
  CHECK_FALSE(initiation_passes_mac(init, f.alice_mac));  // meant for another key

  auto received = read_initiation(init, f.bob);
  REQUIRE(received.has_value());
  CompletedHandshake bob_side;
  const Bytes response = build_response(*received, f.psk, 9, bob_side);
  for (std::size_t i = 0; i < response.size(); ++i) {
    Bytes tampered = response;
    tampered[i] ^= 0x20;
    CHECK_FALSE(response_passes_mac(tampered, f.alice_mac));
  }
  CHECK_FALSE(response_passes_mac(response, f.bob_mac));
}

TEST_CASE("tampered Noise bytes fail the Noise read", "[handshake]") {
  Fixture f;
  const Bytes init = f.initiation(f.psk);
  for (std::size_t i = wire::kInitiationNoiseOffset; i < wire::kInitiationMacOffset; i += 7) {
    Bytes tampered = init;
    tampered[i] ^= 0x01;
    CHECK_FALSE(read_initiation(tampered, f.bob).has_value());
  }
}

TEST_CASE("wrong responder key fails", "[handshake]") {
  Fixture f;
  const Identity mallory = Identity::generate();
  const Bytes init = f.initiation(f.psk);
  CHECK_FALSE(initiation_passes_mac(init, crypto::Mac1Key(mallory.dh_public())));
  CHECK_FALSE(read_initiation(init, mallory).has_value());
}

TEST_CASE("psk mismatch fails, and a forged response does not spoil the handshake", "[handshake]") {
  Fixture f;
  const Bytes init = f.initiation(f.psk);

  auto wrong = read_initiation(init, f.bob);
  REQUIRE(wrong.has_value());  // message 1 does not depend on the psk (psk2)
  CompletedHandshake ignored;
  const Bytes bad_response = build_response(*wrong, random_psk(), 5, ignored);
  REQUIRE(response_passes_mac(bad_response, f.alice_mac));  // mac1 is not authentication
  CHECK_FALSE(read_response(bad_response, f.pending).has_value());
  REQUIRE(f.pending.noise != nullptr);

  // The genuine response still completes the pending handshake.
  auto right = read_initiation(init, f.bob);
  REQUIRE(right.has_value());
  CompletedHandshake bob_side;
  const Bytes good_response = build_response(*right, f.psk, 6, bob_side);
  const auto alice_side = read_response(good_response, f.pending);
  REQUIRE(alice_side.has_value());
  CHECK(alice_side->handshake_hash == bob_side.handshake_hash);
}

TEST_CASE("a response for another index is not read", "[handshake]") {
  Fixture f;
  auto received = read_initiation(f.initiation(f.psk, 1), f.bob);
  REQUIRE(received.has_value());
  received->sender_index = 2;  // as if addressed to another pending initiation
  CompletedHandshake bob_side;
  const Bytes response = build_response(*received, f.psk, 3, bob_side);
  CHECK(peek_response_receiver_index(response) == std::optional<std::uint32_t>(2));
  CHECK_FALSE(read_response(response, f.pending).has_value());
}

TEST_CASE("truncated, oversized and mistyped packets are rejected", "[handshake]") {
  Fixture f;
  const Bytes init = f.initiation(f.psk);
  auto received = read_initiation(init, f.bob);
  REQUIRE(received.has_value());
  CompletedHandshake bob_side;
  const Bytes response = build_response(*received, f.psk, 4, bob_side);

  for (std::size_t len = 0; len < init.size() + 40; ++len) {
    if (len == init.size()) continue;
    Bytes packet(init.begin(),
                 init.begin() + static_cast<std::ptrdiff_t>(std::min(len, init.size())));
    packet.resize(len, 0);
    CHECK_FALSE(initiation_passes_mac(packet, f.bob_mac));
    CHECK_FALSE(read_initiation(packet, f.bob).has_value());
  }
  for (std::size_t len = 0; len < response.size() + 40; ++len) {
    if (len == response.size()) continue;
    Bytes packet(response.begin(),
                 response.begin() + static_cast<std::ptrdiff_t>(std::min(len, response.size())));
    packet.resize(len, 0);
    CHECK_FALSE(response_passes_mac(packet, f.alice_mac));
    CHECK_FALSE(peek_response_receiver_index(packet).has_value());
    CHECK_FALSE(read_response(packet, f.pending).has_value());
  }
  // Right length, wrong type.
  Bytes as_response = init;
  as_response[0] = static_cast<std::uint8_t>(wire::MessageType::kResponse);
  CHECK_FALSE(read_initiation(as_response, f.bob).has_value());
  Bytes as_initiation = response;
  as_initiation[0] = static_cast<std::uint8_t>(wire::MessageType::kInitiation);
  CHECK_FALSE(read_response(as_initiation, f.pending).has_value());
  CHECK_FALSE(peek_response_receiver_index(as_initiation).has_value());

  // The pending state survived all of that.
  CHECK(read_response(response, f.pending).has_value());
}

TEST_CASE("an initiation carries its purpose, read back by the responder", "[handshake]") {
  Fixture f;
  for (const auto purpose : {wire::InitiationPurpose::kCall, wire::InitiationPurpose::kProbe}) {
    PendingInitiation pending;
    const Bytes init = build_initiation(f.alice, f.bob.dh_public(), f.psk, 5, f.timestamp, purpose,
                                        std::nullopt, pending);
    const auto received = read_initiation(init, f.bob);
    REQUIRE(received.has_value());
    CHECK(received->purpose == purpose);
  }
  // A purpose this version does not know is refused by the Noise read's caller.
  PendingInitiation pending;
  const Bytes unknown =
      build_initiation(f.alice, f.bob.dh_public(), f.psk, 5, f.timestamp,
                       static_cast<wire::InitiationPurpose>(9), std::nullopt, pending);
  CHECK_FALSE(read_initiation(unknown, f.bob).has_value());
}

TEST_CASE("cookie reply and mac2: only the initiation's source can prove it received one",
          "[handshake][cookie]") {
  Fixture f;
  crypto::SecretKey secret;
  randombytes_buf(secret.data(), secret.size());
  const std::array<std::uint8_t, 18> alice_at{1,  2,  3,  4,  5,  6,  7,  8,    9,
                                              10, 11, 12, 13, 14, 15, 16, 0x0f, 0xa0};
  std::array<std::uint8_t, 18> elsewhere = alice_at;
  elsewhere[17] ^= 1;  // another port
  const crypto::Cookie cookie = crypto::compute_cookie(secret, alice_at);
  CHECK(cookie != crypto::compute_cookie(secret, elsewhere));

  const Bytes first = f.initiation(f.psk);
  // Without a cookie, mac2 is zeros and does not pass under any cookie.
  CHECK(std::all_of(first.begin() + wire::kInitiationMac2Offset, first.end(),
                    [](std::uint8_t b) { return b == 0; }));
  CHECK_FALSE(f.pending.had_mac2);
  CHECK_FALSE(initiation_passes_mac2(first, cookie));

  const crypto::CookieSealKey bob_seal(f.bob.dh_public());
  const Bytes reply = build_cookie_reply(first, cookie, bob_seal);
  REQUIRE(reply.size() == wire::kCookieReplyLen);
  CHECK(reply.size() < first.size());  // no amplification
  CHECK(peek_cookie_reply_receiver_index(reply) == f.pending.sender_index);
  const auto opened = read_cookie_reply(reply, f.pending, bob_seal);
  REQUIRE(opened.has_value());
  CHECK(*opened == cookie);

  // Tampered, meant for another responder, or answering another initiation: refused.
  for (std::size_t i = 0; i < reply.size(); ++i) {
    Bytes tampered = reply;
    tampered[i] ^= 0x10;
    CHECK_FALSE(read_cookie_reply(tampered, f.pending, bob_seal).has_value());
  }
  CHECK_FALSE(read_cookie_reply(reply, f.pending, crypto::CookieSealKey(f.alice.dh_public())));
  PendingInitiation other;
  const Bytes second =
      build_initiation(f.alice, f.bob.dh_public(), f.psk, f.pending.sender_index, f.timestamp,
                       wire::InitiationPurpose::kCall, std::nullopt, other);
  CHECK_FALSE(read_cookie_reply(reply, other, bob_seal).has_value());  // sealed to first's mac1

  // With the cookie, the next initiation's mac2 passes, and only under that cookie.
  PendingInitiation retry;
  const Bytes with_mac2 = build_initiation(f.alice, f.bob.dh_public(), f.psk, 6, f.timestamp,
                                           wire::InitiationPurpose::kCall, cookie, retry);
  CHECK(retry.had_mac2);
  CHECK(initiation_passes_mac(with_mac2, f.bob_mac));
  CHECK(initiation_passes_mac2(with_mac2, cookie));
  CHECK_FALSE(initiation_passes_mac2(with_mac2, crypto::compute_cookie(secret, elsewhere)));
  for (std::size_t i = 0; i < with_mac2.size(); i += 5) {
    Bytes tampered = with_mac2;
    tampered[i] ^= 0x01;
    CHECK_FALSE(initiation_passes_mac2(tampered, cookie));
  }
  CHECK(read_initiation(with_mac2, f.bob).has_value());
}

}  // namespace
}  // namespace hotline::net
