#include "core/crypto/passphrase_hash.hpp"

#include <sodium.h>

#include <array>

#include "core/crypto/secret.hpp"
#include "core/util/error.hpp"

namespace hotline::crypto {

std::string hash_passphrase(std::string_view passphrase, PassphraseCost cost) {
  ensure_sodium();
  if (passphrase.empty()) throw Error("the passphrase must not be empty");
  const bool moderate = cost == PassphraseCost::kModerate;
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(
          out.data(), passphrase.data(), passphrase.size(),
          moderate ? crypto_pwhash_OPSLIMIT_MODERATE : crypto_pwhash_OPSLIMIT_INTERACTIVE,
          moderate ? crypto_pwhash_MEMLIMIT_MODERATE : crypto_pwhash_MEMLIMIT_INTERACTIVE,
          crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error("cannot hash the passphrase (out of memory)");
  }
  return std::string(out.data());
}

bool verify_passphrase(const std::string& verifier, std::string_view passphrase) {
  ensure_sodium();
  // Only Argon2id verifiers are ours; anything else is refused unread.
  if (verifier.rfind("$argon2id$", 0) != 0 || verifier.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  return crypto_pwhash_str_verify(verifier.c_str(), passphrase.data(), passphrase.size()) == 0;
}

}  // namespace hotline::crypto
