#pragma once
// Verifiers for the role passphrases: libsodium's crypto_pwhash_str (Argon2id, salt and cost
// encoded in the string), so only a slow hash of a passphrase is ever stored.

#include <string>
#include <string_view>

namespace hotline::crypto {

enum class PassphraseCost {
  kInteractive,  // Argon2id INTERACTIVE (64 MiB, 2 passes): tests, and the GUI's re-unlock
  kModerate,     // Argon2id MODERATE (256 MiB, 3 passes): what consoles store
};

// Throws hotline::Error for an empty passphrase or when the hash cannot be computed (out of
// memory); the message never contains the passphrase.
std::string hash_passphrase(std::string_view passphrase, PassphraseCost cost);

// False for a wrong passphrase and for a verifier that is not an Argon2id string.
bool verify_passphrase(const std::string& verifier, std::string_view passphrase);

}  // namespace hotline::crypto
