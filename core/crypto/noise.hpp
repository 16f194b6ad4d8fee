#pragma once
// Noise handshakes IK and IKpsk2 over 25519_ChaChaPoly_BLAKE2b (Noise revision 34): the
// HandshakeState of the specification, for both roles. Only the two-message IK shape is
// supported; transport encryption is done by the caller with the keys from split().

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/crypto/identity.hpp"
#include "core/crypto/noise_symmetric.hpp"
#include "core/crypto/secret.hpp"
#include "core/util/bytes.hpp"

namespace hotline::crypto {

struct TransportKeys {
  SecretKey send;
  SecretKey recv;
};

enum class NoisePattern { IK, IKpsk2 };
enum class NoiseRole { Initiator, Responder };

// "Noise_IK_25519_ChaChaPoly_BLAKE2b" or "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b".
std::string_view noise_protocol_name(NoisePattern pattern);

class NoiseHandshake {
 public:
  // The initiator must know the responder's static key (IK); a responder learns the
  // initiator's from message 1 and must not be given one (throws hotline::Error).
  NoiseHandshake(NoisePattern pattern, NoiseRole role, ByteSpan prologue,
                 const SecretKey& local_static_private,
                 const std::optional<DhPublicKey>& remote_static);

  NoiseHandshake(NoiseHandshake&&) noexcept = default;
  NoiseHandshake& operator=(NoiseHandshake&&) noexcept = default;
  // A full copy of the state, so a caller can try an untrusted message on the copy and keep
  // the original when it fails (read_message leaves a handshake unusable on failure).
  NoiseHandshake clone() const;

  // IKpsk2 only; before the psk token (responder: before writing message 2, initiator:
  // before reading it). Throws hotline::Error on misuse.
  void set_psk(const SecretKey& psk);
  // Fixed ephemeral key for the published test vectors; before this side's `e` token.
  void set_ephemeral_for_testing(const SecretKey& ephemeral_private);

  // Throws hotline::Error when it is not this side's turn, the handshake failed or finished,
  // the psk is missing, the message would exceed 65535 bytes, or the configured remote static
  // key has small order.
  Bytes write_message(ByteSpan payload);
  // The decrypted payload, or nullopt on a bad length, a failed authentication or a
  // small-order key from the peer; the handshake is unusable afterwards. Throws
  // hotline::Error on misuse (wrong turn, missing psk).
  std::optional<Bytes> read_message(ByteSpan message);

  bool complete() const { return stage_ == Stage::kComplete || stage_ == Stage::kSplit; }
  bool failed() const { return stage_ == Stage::kFailed; }
  NoisePattern pattern() const { return pattern_; }
  NoiseRole role() const { return role_; }

  // After complete(); throws hotline::Error before.
  const NoiseHash& handshake_hash() const;
  // Initiator: always; responder: after message 1 was read. Throws hotline::Error before.
  const DhPublicKey& remote_static() const;
  // Once, after complete(). Initiator sends with k1, responder with k2. Wipes the chaining key.
  TransportKeys split();

 private:
  enum class Stage { kMessage1, kMessage2, kComplete, kSplit, kFailed };

  NoiseHandshake(NoisePattern pattern, NoiseRole role, SymmetricState symmetric);
  bool is_psk() const { return pattern_ == NoisePattern::IKpsk2; }
  void write_e(Bytes& out);
  void read_e(ByteSpan e_pub);
  [[nodiscard]] bool mix_dh(const SecretKey& private_key, const DhPublicKey& public_key);
  void require_psk() const;
  std::optional<Bytes> fail();
  void finish();

  NoisePattern pattern_;
  NoiseRole role_;
  SymmetricState symmetric_;
  Stage stage_ = Stage::kMessage1;

  SecretKey s_;
  DhPublicKey s_pub_{};
  SecretKey e_;
  DhPublicKey e_pub_{};
  bool has_e_ = false;
  DhPublicKey rs_{};
  bool has_rs_ = false;
  DhPublicKey re_{};
  SecretKey psk_;
  bool has_psk_ = false;
};

}  // namespace hotline::crypto
