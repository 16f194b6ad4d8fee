#include "core/crypto/noise_symmetric.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/util/error.hpp"

namespace hotline::crypto {
namespace {

constexpr std::size_t kHmacBlockLen = 128;  // BLAKE2b block size

void hash_update(crypto_generichash_state& state, ByteSpan data) {
  crypto_generichash_update(&state, data.data(), data.size());
}

std::array<std::uint8_t, 12> noise_nonce(std::uint64_t n) {
  std::array<std::uint8_t, 12> nonce{};
  store_le64(nonce.data() + 4, n);
  return nonce;
}

}  // namespace

NoiseHash noise_hash(std::initializer_list<ByteSpan> parts) {
  ensure_sodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kNoiseHashLen);
  for (ByteSpan part : parts) hash_update(state, part);
  NoiseHash out{};
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

void hmac_blake2b(ByteSpan key, std::initializer_list<ByteSpan> parts,
                  std::span<std::uint8_t, kNoiseHashLen> out) {
  ensure_sodium();
  ScratchKey<kHmacBlockLen> block_key;
  if (key.size() > kHmacBlockLen) {
    crypto_generichash(block_key.bytes.data(), kNoiseHashLen, key.data(), key.size(), nullptr, 0);
  } else {
    std::copy(key.begin(), key.end(), block_key.bytes.begin());
  }
  ScratchKey<kHmacBlockLen> pad;
  ScratchKey<kNoiseHashLen> inner;
  crypto_generichash_state state;

  for (std::size_t i = 0; i < kHmacBlockLen; ++i) pad.bytes[i] = block_key.bytes[i] ^ 0x36;
  crypto_generichash_init(&state, nullptr, 0, kNoiseHashLen);
  hash_update(state, pad.span());
  for (ByteSpan part : parts) hash_update(state, part);
  crypto_generichash_final(&state, inner.bytes.data(), inner.bytes.size());

  for (std::size_t i = 0; i < kHmacBlockLen; ++i) pad.bytes[i] = block_key.bytes[i] ^ 0x5c;
  crypto_generichash_init(&state, nullptr, 0, kNoiseHashLen);
  hash_update(state, pad.span());
  hash_update(state, inner.span());
  crypto_generichash_final(&state, out.data(), out.size());
  sodium_memzero(&state, sizeof state);
}

void noise_hkdf(ByteSpan chaining_key, ByteSpan input_key_material,
                std::span<std::uint8_t, kNoiseHashLen> out1,
                std::span<std::uint8_t, kNoiseHashLen> out2, MutableByteSpan out3) {
  static constexpr std::uint8_t kOne[] = {0x01};
  static constexpr std::uint8_t kTwo[] = {0x02};
  static constexpr std::uint8_t kThree[] = {0x03};
  if (!out3.empty() && out3.size() != kNoiseHashLen) throw Error("HKDF output has the wrong size");
  ScratchKey<kNoiseHashLen> temp_key;
  hmac_blake2b(chaining_key, {input_key_material}, temp_key.span());
  hmac_blake2b(temp_key.span(), {kOne}, out1);
  hmac_blake2b(temp_key.span(), {out1, kTwo}, out2);
  if (!out3.empty()) {
    hmac_blake2b(temp_key.span(), {out2, kThree}, out3.first<kNoiseHashLen>());
  }
}

DhPublicKey x25519_public(const SecretKey& private_key) {
  ensure_sodium();
  DhPublicKey pub{};
  if (crypto_scalarmult_base(pub.data(), private_key.data()) != 0) {
    throw Error("invalid X25519 private key");
  }
  return pub;
}

bool x25519(const SecretKey& private_key, const DhPublicKey& public_key,
            std::span<std::uint8_t, kNoiseKeyLen> out) {
  ensure_sodium();
  // libsodium already fails on an all-zero result; the explicit check keeps the guarantee
  // independent of the library version.
  if (crypto_scalarmult(out.data(), private_key.data(), public_key.data()) != 0 ||
      sodium_is_zero(out.data(), out.size()) == 1) {
    sodium_memzero(out.data(), out.size());
    return false;
  }
  return true;
}

Bytes chachapoly_encrypt(const SecretKey& key, std::uint64_t n, ByteSpan ad, ByteSpan plaintext) {
  ensure_sodium();
  const auto nonce = noise_nonce(n);
  Bytes out(plaintext.size() + kNoiseTagLen);
  unsigned long long out_len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(),
                                            plaintext.size(), ad.data(), ad.size(), nullptr,
                                            nonce.data(), key.data());
  out.resize(static_cast<std::size_t>(out_len));
  return out;
}

std::optional<Bytes> chachapoly_decrypt(const SecretKey& key, std::uint64_t n, ByteSpan ad,
                                        ByteSpan ciphertext) {
  ensure_sodium();
  if (ciphertext.size() < kNoiseTagLen) return std::nullopt;
  const auto nonce = noise_nonce(n);
  Bytes out(ciphertext.size() - kNoiseTagLen);
  unsigned long long out_len = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, ciphertext.data(),
                                                ciphertext.size(), ad.data(), ad.size(),
                                                nonce.data(), key.data()) != 0) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(out_len));
  return out;
}

// ---- CipherState -------------------------------------------------------------------------

CipherState CipherState::clone() const {
  CipherState copy;
  std::copy_n(k_.data(), k_.size(), copy.k_.data());  // into the existing allocation
  copy.has_key_ = has_key_;
  copy.n_ = n_;
  return copy;
}

void CipherState::initialize_key(std::span<const std::uint8_t> key_material) {
  if (key_material.size() < kNoiseKeyLen) throw Error("Noise key material too short");
  std::copy_n(key_material.begin(), kNoiseKeyLen, k_.data());
  has_key_ = true;
  n_ = 0;
}

Bytes CipherState::encrypt_with_ad(ByteSpan ad, ByteSpan plaintext) {
  if (!has_key_) return Bytes(plaintext.begin(), plaintext.end());
  // 2^64-1 is reserved by the Noise specification.
  if (n_ == std::numeric_limits<std::uint64_t>::max()) throw Error("Noise nonce space exhausted");
  Bytes out = chachapoly_encrypt(k_, n_, ad, plaintext);
  ++n_;
  return out;
}

std::optional<Bytes> CipherState::decrypt_with_ad(ByteSpan ad, ByteSpan ciphertext) {
  if (!has_key_) return Bytes(ciphertext.begin(), ciphertext.end());
  if (n_ == std::numeric_limits<std::uint64_t>::max()) return std::nullopt;
  auto out = chachapoly_decrypt(k_, n_, ad, ciphertext);
  if (out) ++n_;
  return out;
}

// ---- SymmetricState ----------------------------------------------------------------------

SymmetricState::SymmetricState(std::string_view protocol_name) {
  if (protocol_name.size() <= kNoiseHashLen) {
    std::copy(protocol_name.begin(), protocol_name.end(), h_.begin());
  } else {
    h_ = noise_hash({as_bytes(protocol_name)});
  }
  std::copy(h_.begin(), h_.end(), ck_.data());
}

SymmetricState SymmetricState::clone() const {
  SymmetricState copy;
  std::copy_n(ck_.data(), ck_.size(), copy.ck_.data());
  copy.h_ = h_;
  copy.cipher_ = cipher_.clone();
  return copy;
}

void SymmetricState::mix_key(ByteSpan input_key_material) {
  ScratchKey<kNoiseHashLen> next_ck;
  ScratchKey<kNoiseHashLen> temp_k;
  noise_hkdf(ck_.span(), input_key_material, next_ck.span(), temp_k.span());
  std::copy(next_ck.bytes.begin(), next_ck.bytes.end(), ck_.data());
  cipher_.initialize_key(temp_k.span());
}

void SymmetricState::mix_hash(ByteSpan data) {
  h_ = noise_hash({h_, data});
}

void SymmetricState::mix_key_and_hash(ByteSpan input_key_material) {
  ScratchKey<kNoiseHashLen> next_ck;
  ScratchKey<kNoiseHashLen> temp_h;
  ScratchKey<kNoiseHashLen> temp_k;
  noise_hkdf(ck_.span(), input_key_material, next_ck.span(), temp_h.span(), temp_k.span());
  std::copy(next_ck.bytes.begin(), next_ck.bytes.end(), ck_.data());
  mix_hash(temp_h.span());
  cipher_.initialize_key(temp_k.span());
}

Bytes SymmetricState::encrypt_and_hash(ByteSpan plaintext) {
  Bytes ciphertext = cipher_.encrypt_with_ad(h_, plaintext);
  mix_hash(ciphertext);
  return ciphertext;
}

std::optional<Bytes> SymmetricState::decrypt_and_hash(ByteSpan ciphertext) {
  auto plaintext = cipher_.decrypt_with_ad(h_, ciphertext);
  if (plaintext) mix_hash(ciphertext);
  return plaintext;
}

std::pair<SecretKey, SecretKey> SymmetricState::split() {
  ScratchKey<kNoiseHashLen> temp_k1;
  ScratchKey<kNoiseHashLen> temp_k2;
  noise_hkdf(ck_.span(), {}, temp_k1.span(), temp_k2.span());
  ck_.wipe();
  SecretKey k1(temp_k1.span().first<kNoiseKeyLen>());
  SecretKey k2(temp_k2.span().first<kNoiseKeyLen>());
  return {std::move(k1), std::move(k2)};
}

}  // namespace hotline::crypto
