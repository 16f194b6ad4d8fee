#include "core/crypto/noise.hpp"

#include <sodium.h>

#include <algorithm>

#include "core/util/error.hpp"

namespace hotline::crypto {
namespace {

constexpr std::size_t kEncryptedKeyLen = kNoiseKeyLen + kNoiseTagLen;
// IK message 1: e, es, s, ss + payload; message 2: e, ee, se (+ psk) + payload.
constexpr std::size_t kMinMessage1 = kNoiseKeyLen + kEncryptedKeyLen + kNoiseTagLen;
constexpr std::size_t kMinMessage2 = kNoiseKeyLen + kNoiseTagLen;

DhPublicKey to_key(ByteSpan bytes) {
  DhPublicKey key{};
  std::copy_n(bytes.begin(), key.size(), key.begin());
  return key;
}

void copy_secret(const SecretKey& from, SecretKey& to) {
  std::copy_n(from.data(), from.size(), to.data());
}

}  // namespace

std::string_view noise_protocol_name(NoisePattern pattern) {
  switch (pattern) {
    case NoisePattern::IK:
      return "Noise_IK_25519_ChaChaPoly_BLAKE2b";
    case NoisePattern::IKpsk2:
      return "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b";
  }
  throw Error("unknown Noise pattern");
}

NoiseHandshake::NoiseHandshake(NoisePattern pattern, NoiseRole role, SymmetricState symmetric)
    : pattern_(pattern), role_(role), symmetric_(std::move(symmetric)) {}

NoiseHandshake::NoiseHandshake(NoisePattern pattern, NoiseRole role, ByteSpan prologue,
                               const SecretKey& local_static_private,
                               const std::optional<DhPublicKey>& remote_static)
    : pattern_(pattern), role_(role), symmetric_(noise_protocol_name(pattern)) {
  if (role == NoiseRole::Initiator && !remote_static) {
    throw Error("an IK initiator needs the responder's static key");
  }
  if (role == NoiseRole::Responder && remote_static) {
    throw Error("an IK responder learns the initiator's static key from message 1");
  }
  copy_secret(local_static_private, s_);
  s_pub_ = x25519_public(s_);
  symmetric_.mix_hash(prologue);
  // Pre-message pattern "<- s": both sides hash the responder's static key.
  if (role == NoiseRole::Initiator) {
    rs_ = *remote_static;
    has_rs_ = true;
    symmetric_.mix_hash(rs_);
  } else {
    symmetric_.mix_hash(s_pub_);
  }
}

NoiseHandshake NoiseHandshake::clone() const {
  NoiseHandshake copy(pattern_, role_, symmetric_.clone());
  copy.stage_ = stage_;
  // Copy into the members' own allocations: each sodium_malloc costs several syscalls.
  copy_secret(s_, copy.s_);
  copy.s_pub_ = s_pub_;
  copy_secret(e_, copy.e_);
  copy.e_pub_ = e_pub_;
  copy.has_e_ = has_e_;
  copy.rs_ = rs_;
  copy.has_rs_ = has_rs_;
  copy.re_ = re_;
  copy_secret(psk_, copy.psk_);
  copy.has_psk_ = has_psk_;
  return copy;
}

void NoiseHandshake::set_psk(const SecretKey& psk) {
  if (!is_psk()) throw Error("this Noise pattern has no pre-shared key");
  const bool psk_pending = stage_ == Stage::kMessage1 || stage_ == Stage::kMessage2;
  if (!psk_pending) throw Error("the pre-shared key was set after it was used");
  copy_secret(psk, psk_);
  has_psk_ = true;
}

void NoiseHandshake::set_ephemeral_for_testing(const SecretKey& ephemeral_private) {
  const bool before_own_e = role_ == NoiseRole::Initiator
                                ? stage_ == Stage::kMessage1
                                : (stage_ == Stage::kMessage1 || stage_ == Stage::kMessage2);
  if (!before_own_e) throw Error("the ephemeral key was set after it was used");
  copy_secret(ephemeral_private, e_);
  e_pub_ = x25519_public(e_);
  has_e_ = true;
}

void NoiseHandshake::write_e(Bytes& out) {
  if (!has_e_) {
    randombytes_buf(e_.data(), e_.size());
    e_pub_ = x25519_public(e_);
    has_e_ = true;
  }
  out.insert(out.end(), e_pub_.begin(), e_pub_.end());
  symmetric_.mix_hash(e_pub_);
  if (is_psk()) symmetric_.mix_key(e_pub_);
}

void NoiseHandshake::read_e(ByteSpan e_pub) {
  re_ = to_key(e_pub);
  symmetric_.mix_hash(re_);
  if (is_psk()) symmetric_.mix_key(re_);
}

bool NoiseHandshake::mix_dh(const SecretKey& private_key, const DhPublicKey& public_key) {
  ScratchKey<kNoiseKeyLen> shared;
  if (!x25519(private_key, public_key, shared.span())) return false;
  symmetric_.mix_key(shared.span());
  return true;
}

void NoiseHandshake::require_psk() const {
  if (is_psk() && !has_psk_) throw Error("the pre-shared key must be set before message 2");
}

std::optional<Bytes> NoiseHandshake::fail() {
  stage_ = Stage::kFailed;
  // A responder's view of the initiator's key is unauthenticated until message 1 is read.
  if (role_ == NoiseRole::Responder) has_rs_ = false;
  e_.wipe();
  psk_.wipe();
  return std::nullopt;
}

void NoiseHandshake::finish() {
  stage_ = Stage::kComplete;
  // Forward secrecy: the ephemeral and psk are not needed once the keys are derived.
  e_.wipe();
  psk_.wipe();
}

Bytes NoiseHandshake::write_message(ByteSpan payload) {
  const bool my_turn = (role_ == NoiseRole::Initiator && stage_ == Stage::kMessage1) ||
                       (role_ == NoiseRole::Responder && stage_ == Stage::kMessage2);
  if (!my_turn) throw Error("Noise handshake: not this side's turn to write");
  const std::size_t fixed = stage_ == Stage::kMessage1 ? kMinMessage1 : kMinMessage2;
  if (payload.size() > kNoiseMaxMessage - fixed) throw Error("Noise handshake payload too long");

  Bytes out;
  out.reserve(fixed + payload.size());
  if (stage_ == Stage::kMessage1) {  // -> e, es, s, ss
    write_e(out);
    if (!mix_dh(e_, rs_)) {
      fail();
      throw Error("the responder's static key is not a usable X25519 key");
    }
    const Bytes encrypted_s = symmetric_.encrypt_and_hash(s_pub_);
    out.insert(out.end(), encrypted_s.begin(), encrypted_s.end());
    if (!mix_dh(s_, rs_)) {
      fail();
      throw Error("the responder's static key is not a usable X25519 key");
    }
  } else {  // <- e, ee, se (, psk)
    require_psk();
    write_e(out);
    if (!mix_dh(e_, re_) || !mix_dh(e_, rs_)) {
      fail();
      throw Error("Noise handshake: unusable peer key");  // read_message already checked these
    }
    if (is_psk()) symmetric_.mix_key_and_hash(psk_.span());
  }
  const Bytes encrypted_payload = symmetric_.encrypt_and_hash(payload);
  out.insert(out.end(), encrypted_payload.begin(), encrypted_payload.end());

  if (stage_ == Stage::kMessage1) {
    stage_ = Stage::kMessage2;
  } else {
    finish();
  }
  return out;
}

std::optional<Bytes> NoiseHandshake::read_message(ByteSpan message) {
  const bool my_turn = (role_ == NoiseRole::Responder && stage_ == Stage::kMessage1) ||
                       (role_ == NoiseRole::Initiator && stage_ == Stage::kMessage2);
  if (!my_turn) throw Error("Noise handshake: not this side's turn to read");
  const bool first = stage_ == Stage::kMessage1;
  if (!first) require_psk();
  const std::size_t fixed = first ? kMinMessage1 : kMinMessage2;
  if (message.size() < fixed || message.size() > kNoiseMaxMessage) return fail();

  read_e(message.first(kNoiseKeyLen));
  ByteSpan rest = message.subspan(kNoiseKeyLen);
  if (first) {  // -> e, es, s, ss
    if (!mix_dh(s_, re_)) return fail();
    auto s = symmetric_.decrypt_and_hash(rest.first(kEncryptedKeyLen));
    if (!s) return fail();
    rs_ = to_key(*s);
    has_rs_ = true;
    rest = rest.subspan(kEncryptedKeyLen);
    if (!mix_dh(s_, rs_)) return fail();
  } else {  // <- e, ee, se (, psk)
    if (!mix_dh(e_, re_) || !mix_dh(s_, re_)) return fail();
    if (is_psk()) symmetric_.mix_key_and_hash(psk_.span());
  }
  auto payload = symmetric_.decrypt_and_hash(rest);
  if (!payload) return fail();

  if (first) {
    stage_ = Stage::kMessage2;
  } else {
    finish();
  }
  return payload;
}

const NoiseHash& NoiseHandshake::handshake_hash() const {
  if (!complete()) throw Error("Noise handshake: hash requested before completion");
  return symmetric_.handshake_hash();
}

const DhPublicKey& NoiseHandshake::remote_static() const {
  if (!has_rs_) throw Error("Noise handshake: remote static key not known yet");
  return rs_;
}

TransportKeys NoiseHandshake::split() {
  if (stage_ != Stage::kComplete) throw Error("Noise handshake: split before completion or twice");
  auto [k1, k2] = symmetric_.split();
  stage_ = Stage::kSplit;
  if (role_ == NoiseRole::Initiator) return TransportKeys{std::move(k1), std::move(k2)};
  return TransportKeys{std::move(k2), std::move(k1)};
}

}  // namespace hotline::crypto
