#include "core/crypto/fingerprint.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/crypto/pgp_words.hpp"
#include "core/util/error.hpp"
#include "core/wire/wire.hpp"

namespace hotline::crypto {
namespace {

constexpr std::size_t kGroups = 12;
constexpr std::size_t kGroupBytes = 5;
constexpr std::size_t kSasWords = 4;

}  // namespace

std::string fingerprint(const PublicKey& key) {
  ensure_sodium();
  std::array<std::uint8_t, crypto_generichash_BYTES_MAX> digest{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, digest.size());
  const ByteSpan label = as_bytes(wire::kFingerprintLabel);
  crypto_generichash_update(&state, label.data(), label.size());
  crypto_generichash_update(&state, key.data(), key.size());
  crypto_generichash_final(&state, digest.data(), digest.size());
  static_assert(kGroups * kGroupBytes <= crypto_generichash_BYTES_MAX);

  std::string out;
  out.reserve(kGroups * 6);
  for (std::size_t group = 0; group < kGroups; ++group) {
    std::uint64_t chunk = 0;
    for (std::size_t i = 0; i < kGroupBytes; ++i)
      chunk = (chunk << 8) | digest[group * kGroupBytes + i];
    char digits[8];
    std::snprintf(digits, sizeof digits, "%05u", static_cast<unsigned>(chunk % 100000));
    if (group > 0) out.push_back(' ');
    out.append(digits, 5);
  }
  return out;
}

SasCode sas_code(const wire::HandshakeHash& handshake_hash, const wire::SasNonce& caller_nonce,
                 const wire::SasNonce& callee_nonce) {
  ensure_sodium();
  std::array<std::uint8_t, crypto_generichash_BYTES_MAX> digest{};
  const ByteSpan label = as_bytes(wire::kSasLabel);
  // BLAKE2b itself allows any key length up to 64 bytes; libsodium's KEYBYTES_MIN (16) is a
  // recommendation for secret keys, and the label is a public domain separator.
  crypto_generichash_state state;
  if (crypto_generichash_init(&state, label.data(), label.size(), digest.size()) != 0) {
    throw Error("could not compute the short authentication string");
  }
  crypto_generichash_update(&state, handshake_hash.data(), handshake_hash.size());
  crypto_generichash_update(&state, caller_nonce.data(), caller_nonce.size());
  crypto_generichash_update(&state, callee_nonce.data(), callee_nonce.size());
  crypto_generichash_final(&state, digest.data(), digest.size());
  SasCode out{};
  static_assert(std::tuple_size_v<SasCode> == kSasWords);
  std::copy_n(digest.begin(), kSasWords, out.begin());
  return out;
}

std::vector<std::string> sas_words(const SasCode& code) {
  std::vector<std::string> words;
  words.reserve(kSasWords);
  for (std::size_t i = 0; i < kSasWords; ++i) words.emplace_back(pgp_word(code[i], i));
  return words;
}

std::string sas_digits(const SasCode& code) {
  std::string out;
  for (const std::uint8_t byte : code) {
    if (!out.empty()) out.push_back(' ');
    const char digits[3] = {static_cast<char>('0' + byte / 100),
                            static_cast<char>('0' + byte / 10 % 10),
                            static_cast<char>('0' + byte % 10)};
    out.append(digits, 3);
  }
  return out;
}

std::string sas_string(const SasCode& code) {
  std::string out;
  for (const std::string& word : sas_words(code)) {
    if (!out.empty()) out.push_back(' ');
    out += word;
  }
  return out;
}

wire::SasNonce random_sas_nonce() {
  ensure_sodium();
  wire::SasNonce nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  return nonce;
}

wire::SasCommitment sas_commitment(const wire::SasNonce& nonce) {
  ensure_sodium();
  wire::SasCommitment out{};
  const ByteSpan label = as_bytes(wire::kSasCommitmentLabel);
  if (crypto_generichash(out.data(), out.size(), nonce.data(), nonce.size(), label.data(),
                         label.size()) != 0) {
    throw Error("could not compute the SAS commitment");
  }
  return out;
}

}  // namespace hotline::crypto
