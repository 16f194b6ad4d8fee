#pragma once
// The Noise Protocol Framework (revision 34) building blocks for 25519_ChaChaPoly_BLAKE2b:
// the primitive functions, CipherState and SymmetricState. Built from libsodium primitives
// only. NoiseHandshake (noise.hpp) is the HandshakeState on top of these.

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "core/crypto/identity.hpp"
#include "core/crypto/secret.hpp"
#include "core/util/bytes.hpp"

namespace hotline::crypto {

inline constexpr std::size_t kNoiseHashLen = 64;  // BLAKE2b-512
inline constexpr std::size_t kNoiseKeyLen = 32;
inline constexpr std::size_t kNoiseTagLen = 16;
inline constexpr std::size_t kNoiseMaxMessage = 65535;

using NoiseHash = std::array<std::uint8_t, kNoiseHashLen>;

// ---- Primitive functions (Noise §4) ------------------------------------------------------

// Noise HASH: BLAKE2b-512 over the concatenation of `parts`.
NoiseHash noise_hash(std::initializer_list<ByteSpan> parts);

// Short-lived key material on the stack, wiped when it goes out of scope. Used for the
// many intermediate HKDF and DH outputs: sodium_malloc'd memory costs several syscalls per
// allocation, which would make every handshake (and every forged one) far more expensive.
template <std::size_t N>
struct ScratchKey {
  std::array<std::uint8_t, N> bytes{};
  ScratchKey() = default;
  ScratchKey(const ScratchKey&) = delete;
  ScratchKey& operator=(const ScratchKey&) = delete;
  ~ScratchKey() { sodium_memzero(bytes.data(), bytes.size()); }
  std::span<std::uint8_t, N> span() { return bytes; }
  std::span<const std::uint8_t, N> span() const { return bytes; }
};

// RFC 2104 HMAC with BLAKE2b-512 as the hash (128-byte block), over the concatenation of
// `parts`. Not BLAKE2b's built-in keyed mode: Noise defines HMAC generically.
void hmac_blake2b(ByteSpan key, std::initializer_list<ByteSpan> parts,
                  std::span<std::uint8_t, kNoiseHashLen> out);

// Noise HKDF: two or (when out3 is non-empty) three 64-byte outputs.
void noise_hkdf(ByteSpan chaining_key, ByteSpan input_key_material,
                std::span<std::uint8_t, kNoiseHashLen> out1,
                std::span<std::uint8_t, kNoiseHashLen> out2, MutableByteSpan out3 = {});

// X25519 public key of a private key.
DhPublicKey x25519_public(const SecretKey& private_key);
// X25519 shared secret. false (and `out` zeroed) when the result is all zero, i.e. the
// public key has small order: such a key contributes nothing and must not be accepted.
[[nodiscard]] bool x25519(const SecretKey& private_key, const DhPublicKey& public_key,
                          std::span<std::uint8_t, kNoiseKeyLen> out);

// ChaCha20-Poly1305 (IETF) with the Noise nonce: 4 zero bytes || little-endian 64-bit n.
// Also what tests use to reproduce transport messages of the published vectors.
Bytes chachapoly_encrypt(const SecretKey& key, std::uint64_t n, ByteSpan ad, ByteSpan plaintext);
std::optional<Bytes> chachapoly_decrypt(const SecretKey& key, std::uint64_t n, ByteSpan ad,
                                        ByteSpan ciphertext);

// ---- CipherState (Noise §5.1) ------------------------------------------------------------

class CipherState {
 public:
  CipherState() = default;
  CipherState clone() const;  // explicit: key material is never copied by accident

  // Takes the first 32 bytes of a 64-byte HKDF output (Noise truncates to the key size).
  void initialize_key(std::span<const std::uint8_t> key_material);
  bool has_key() const { return has_key_; }
  std::uint64_t nonce() const { return n_; }

  // Without a key both are the identity. Encrypt throws hotline::Error when the nonce space
  // is exhausted; decrypt returns nullopt on authentication failure (nonce not advanced).
  Bytes encrypt_with_ad(ByteSpan ad, ByteSpan plaintext);
  std::optional<Bytes> decrypt_with_ad(ByteSpan ad, ByteSpan ciphertext);

 private:
  SecretKey k_;
  bool has_key_ = false;
  std::uint64_t n_ = 0;
};

// ---- SymmetricState (Noise §5.2) ---------------------------------------------------------

class SymmetricState {
 public:
  explicit SymmetricState(std::string_view protocol_name);
  SymmetricState clone() const;

  void mix_key(ByteSpan input_key_material);
  void mix_hash(ByteSpan data);
  void mix_key_and_hash(ByteSpan input_key_material);
  bool has_key() const { return cipher_.has_key(); }
  Bytes encrypt_and_hash(ByteSpan plaintext);
  std::optional<Bytes> decrypt_and_hash(ByteSpan ciphertext);
  // The two transport keys (first: initiator -> responder). Wipes the chaining key.
  std::pair<SecretKey, SecretKey> split();

  const NoiseHash& handshake_hash() const { return h_; }

 private:
  SymmetricState() = default;
  Secret<64> ck_;
  NoiseHash h_{};
  CipherState cipher_;
};

}  // namespace hotline::crypto
