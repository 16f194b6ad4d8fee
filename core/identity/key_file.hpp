#pragma once
// The console's 32-byte identity seed on disk (identity.key), optionally sealed with a
// passphrase. The file is always mode 0600 and is replaced atomically.
//
// Format (binary, all integers little-endian):
//   offset size  field
//   0      8     magic "HLKEY\0\r\n" (the CR LF catches text-mode mangling)
//   8      1     format version = 1
//   9      1     protection: 0 = none, 1 = passphrase
//   protection 0 (total 42 bytes):
//   10     32    seed
//   protection 1 (total 114 bytes):
//   10     8     Argon2id opslimit (crypto_pwhash_ALG_ARGON2ID13)
//   18     8     Argon2id memlimit in bytes
//   26     16    salt
//   42     24    XSalsa20 nonce
//   66     48    crypto_secretbox_easy(seed): 16-byte Poly1305 tag then 32-byte ciphertext,
//                key = Argon2id(passphrase, salt, opslimit, memlimit), 32 bytes
// Any other length, magic, version or protection value is "damaged". The stored cost must lie
// within libsodium's MIN..SENSITIVE range, so a crafted file cannot demand unbounded work.

#include <filesystem>
#include <optional>
#include <string_view>

#include "core/crypto/secret.hpp"
#include "core/util/error.hpp"

namespace hotline::identity {

enum class KeyFileCost {
  kInteractive,  // Argon2id INTERACTIVE (64 MiB, 2 passes): for tests
  kModerate,     // Argon2id MODERATE (256 MiB, 3 passes): the default for real key files
};

// Writes atomically: temp file (0600) in the same directory, fsync, rename, fsync directory.
// An empty passphrase is refused ("the passphrase must not be empty").
void write_key_file(const std::filesystem::path& path, const crypto::SecretKey& seed,
                    std::optional<std::string_view> passphrase,
                    KeyFileCost cost = KeyFileCost::kModerate);

// A passphrase that does not open the key (a GUI or a prompt may ask again).
class WrongPassphrase : public Error {
 public:
  WrongPassphrase() : Error("wrong passphrase") {}
};

// Errors (hotline::Error): WrongPassphrase, "this key file needs a passphrase",
// "key file is damaged or not a Hotline key file",
// "key file permissions are too open (must be 0600)", or the OS error opening it.
// A passphrase given for an unprotected file is ignored.
crypto::SecretKey read_key_file(const std::filesystem::path& path,
                                std::optional<std::string_view> passphrase);

// Reads only the header; same permission and damage checks as read_key_file.
bool key_file_needs_passphrase(const std::filesystem::path& path);

}  // namespace hotline::identity
