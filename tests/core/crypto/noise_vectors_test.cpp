// The published cacophony vectors for IK and IKpsk2, reproduced from both roles: every
// handshake and transport ciphertext and the handshake hash.

#include <catch2/catch_test_macros.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/crypto/noise.hpp"
#include "tests/support/test_paths.hpp"

namespace hotline::crypto {
namespace {

Bytes hex(const nlohmann::json& value) {
  auto bytes = from_hex(value.get<std::string>());
  REQUIRE(bytes.has_value());
  return *bytes;
}

SecretKey secret(const nlohmann::json& value) {
  const Bytes bytes = hex(value);
  REQUIRE(bytes.size() == 32);
  return SecretKey(std::span<const std::uint8_t, 32>(bytes.data(), 32));
}

DhPublicKey public_key(const nlohmann::json& value) {
  const Bytes bytes = hex(value);
  REQUIRE(bytes.size() == 32);
  DhPublicKey key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

nlohmann::json load_vector(const std::string& protocol_name) {
  std::ifstream file(test::data_file("noise_25519_ChaChaPoly_BLAKE2b.json"));
  REQUIRE(file.good());
  const auto all = nlohmann::json::parse(file);
  for (const auto& vector : all.at("vectors")) {
    if (vector.at("protocol_name") == protocol_name) return vector;
  }
  FAIL("vector not found: " << protocol_name);
  return {};
}

NoisePattern pattern_of(const nlohmann::json& vector) {
  return vector.at("protocol_name") == "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b"
             ? NoisePattern::IKpsk2
             : NoisePattern::IK;
}

NoiseHandshake make_initiator(const nlohmann::json& v) {
  const Bytes prologue = hex(v.at("init_prologue"));
  NoiseHandshake hs(pattern_of(v), NoiseRole::Initiator, prologue, secret(v.at("init_static")),
                    public_key(v.at("init_remote_static")));
  hs.set_ephemeral_for_testing(secret(v.at("init_ephemeral")));
  if (v.contains("init_psks")) hs.set_psk(secret(v.at("init_psks").at(0)));
  return hs;
}

NoiseHandshake make_responder(const nlohmann::json& v) {
  const Bytes prologue = hex(v.at("resp_prologue"));
  NoiseHandshake hs(pattern_of(v), NoiseRole::Responder, prologue, secret(v.at("resp_static")),
                    std::nullopt);
  hs.set_ephemeral_for_testing(secret(v.at("resp_ephemeral")));
  if (v.contains("resp_psks")) hs.set_psk(secret(v.at("resp_psks").at(0)));
  return hs;
}

// Transport messages alternate initiator -> responder, responder -> initiator, each
// direction counting its own nonce from 0, with empty associated data.
void check_transport(const nlohmann::json& messages, const TransportKeys& keys, bool initiator) {
  std::uint64_t initiator_nonce = 0;
  std::uint64_t responder_nonce = 0;
  for (std::size_t i = 2; i < messages.size(); ++i) {
    const Bytes payload = hex(messages[i].at("payload"));
    const Bytes ciphertext = hex(messages[i].at("ciphertext"));
    const bool from_initiator = i % 2 == 0;
    const std::uint64_t n = from_initiator ? initiator_nonce++ : responder_nonce++;
    const bool we_send = from_initiator == initiator;
    if (we_send) {
      CHECK(chachapoly_encrypt(keys.send, n, {}, payload) == ciphertext);
    } else {
      const auto opened = chachapoly_decrypt(keys.recv, n, {}, ciphertext);
      REQUIRE(opened.has_value());
      CHECK(*opened == payload);
    }
  }
  CHECK(initiator_nonce + responder_nonce == messages.size() - 2);
}

void run_vector(const std::string& name) {
  const auto v = load_vector(name);
  const auto& messages = v.at("messages");
  REQUIRE(messages.size() >= 4);
  const Bytes expected_hash = hex(v.at("handshake_hash"));

  SECTION("initiator role") {
    NoiseHandshake hs = make_initiator(v);
    CHECK(hs.write_message(hex(messages[0].at("payload"))) == hex(messages[0].at("ciphertext")));
    CHECK_FALSE(hs.complete());
    const auto payload = hs.read_message(hex(messages[1].at("ciphertext")));
    REQUIRE(payload.has_value());
    CHECK(*payload == hex(messages[1].at("payload")));
    REQUIRE(hs.complete());
    CHECK(Bytes(hs.handshake_hash().begin(), hs.handshake_hash().end()) == expected_hash);
    const TransportKeys keys = hs.split();
    check_transport(messages, keys, true);
  }
  SECTION("responder role") {
    NoiseHandshake hs = make_responder(v);
    const auto payload = hs.read_message(hex(messages[0].at("ciphertext")));
    REQUIRE(payload.has_value());
    CHECK(*payload == hex(messages[0].at("payload")));
    // The initiator's static public key, learned from message 1.
    CHECK(hs.remote_static() == x25519_public(secret(v.at("init_static"))));
    CHECK(hs.write_message(hex(messages[1].at("payload"))) == hex(messages[1].at("ciphertext")));
    REQUIRE(hs.complete());
    CHECK(Bytes(hs.handshake_hash().begin(), hs.handshake_hash().end()) == expected_hash);
    const TransportKeys keys = hs.split();
    check_transport(messages, keys, false);
  }
}

TEST_CASE("Noise IK vector is reproduced from both roles", "[noise]") {
  run_vector("Noise_IK_25519_ChaChaPoly_BLAKE2b");
}

TEST_CASE("Noise IKpsk2 vector is reproduced from both roles", "[noise]") {
  run_vector("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b");
}

TEST_CASE("Noise vectors: tampering and wrong keys fail", "[noise]") {
  const auto v = load_vector("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b");
  const Bytes message1 = hex(v.at("messages")[0].at("ciphertext"));
  const Bytes message2 = hex(v.at("messages")[1].at("ciphertext"));

  SECTION("every flipped bit of message 1 is rejected by the responder") {
    for (std::size_t i = 0; i < message1.size(); ++i) {
      Bytes tampered = message1;
      tampered[i] ^= 0x01;
      NoiseHandshake hs = make_responder(v);
      CHECK_FALSE(hs.read_message(tampered).has_value());
      CHECK(hs.failed());
    }
  }
  SECTION("every flipped bit of message 2 is rejected by the initiator") {
    for (std::size_t i = 0; i < message2.size(); ++i) {
      NoiseHandshake hs = make_initiator(v);
      hs.write_message(hex(v.at("messages")[0].at("payload")));
      Bytes tampered = message2;
      tampered[i] ^= 0x80;
      CHECK_FALSE(hs.read_message(tampered).has_value());
      CHECK_FALSE(hs.complete());
    }
  }
  SECTION("truncated and empty messages are rejected") {
    NoiseHandshake responder = make_responder(v);
    CHECK_FALSE(responder.read_message(ByteSpan(message1).first(message1.size() - 1)).has_value());
    NoiseHandshake empty = make_responder(v);
    CHECK_FALSE(empty.read_message({}).has_value());
    NoiseHandshake initiator = make_initiator(v);
    initiator.write_message(hex(v.at("messages")[0].at("payload")));
    CHECK_FALSE(initiator.read_message(ByteSpan(message2).first(47)).has_value());
  }
  SECTION("a wrong psk on the initiator fails message 2") {
    NoiseHandshake hs(NoisePattern::IKpsk2, NoiseRole::Initiator, hex(v.at("init_prologue")),
                      secret(v.at("init_static")), public_key(v.at("init_remote_static")));
    hs.set_ephemeral_for_testing(secret(v.at("init_ephemeral")));
    SecretKey wrong = secret(v.at("init_psks").at(0));
    wrong.data()[0] ^= 1;
    hs.set_psk(wrong);
    // Message 1 does not depend on the psk (psk2 is mixed in message 2).
    CHECK(hs.write_message(hex(v.at("messages")[0].at("payload"))) == message1);
    CHECK_FALSE(hs.read_message(message2).has_value());
  }
  SECTION("a wrong psk on the responder gives a message 2 the initiator rejects") {
    NoiseHandshake responder(NoisePattern::IKpsk2, NoiseRole::Responder, hex(v.at("resp_prologue")),
                             secret(v.at("resp_static")), std::nullopt);
    REQUIRE(responder.read_message(message1).has_value());
    SecretKey wrong;
    randombytes_buf(wrong.data(), wrong.size());
    responder.set_psk(wrong);
    const Bytes reply = responder.write_message({});
    NoiseHandshake initiator = make_initiator(v);
    initiator.write_message(hex(v.at("messages")[0].at("payload")));
    CHECK_FALSE(initiator.read_message(reply).has_value());
  }
  SECTION("a responder with another static key cannot read message 1") {
    SecretKey other;
    randombytes_buf(other.data(), other.size());
    NoiseHandshake hs(NoisePattern::IKpsk2, NoiseRole::Responder, hex(v.at("resp_prologue")), other,
                      std::nullopt);
    CHECK_FALSE(hs.read_message(message1).has_value());
  }
  SECTION("a different prologue fails") {
    NoiseHandshake hs(NoisePattern::IKpsk2, NoiseRole::Responder, as_bytes("another prologue"),
                      secret(v.at("resp_static")), std::nullopt);
    CHECK_FALSE(hs.read_message(message1).has_value());
  }
}

}  // namespace
}  // namespace hotline::crypto
