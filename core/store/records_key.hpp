#pragma once
// The records key: one random 32-byte key per console that protects what the console keeps
// on disk against someone who can read and write the profile's files but knows no
// passphrase. From it come three subkeys: the MAC key of audit entries written without the
// console's signing key, the MAC key of the peer directory's seals, and the AEAD key of the
// pre-shared keys.
//
// Who holds it: the console's identity (the key is sealed to its X25519 form with
// crypto_box_seal, so a process holding only the public key can never read it back), and
// each role passphrase (the key is wrapped with XChaCha20-Poly1305 under Argon2id of the
// passphrase; opening the wrap is also how the passphrase is checked). A file-only attacker
// has neither. docs/security.md, "Records at rest".

#include <optional>
#include <string_view>

#include "core/crypto/identity.hpp"
#include "core/crypto/passphrase_hash.hpp"
#include "core/crypto/secret.hpp"
#include "core/store/role_store.hpp"
#include "core/util/bytes.hpp"

namespace hotline::store {

class Database;

// The subkeys a process uses; derived once when the records key is opened.
struct RecordsKeys {
  explicit RecordsKeys(const crypto::SecretKey& records_key);
  crypto::SecretKey audit_mac;        // audit entries, the head and the anchor file
  crypto::SecretKey directory_mac;    // the peer directory's seals
  crypto::SecretKey psk_aead;         // pre-shared keys at rest
  crypto::SecretKey reader_mac;       // the roles' history public keys (history_keys.hpp)
  crypto::SecretKey history_pending;  // history epochs written while no role could read them
  crypto::SecretKey root;             // the records key itself, to wrap for a role
};

class RecordsKeyStore {
 public:
  explicit RecordsKeyStore(Database& db) : db_(&db) {}

  bool exists();
  // A new random key sealed to `console`; throws if the console already has one.
  crypto::SecretKey create(const crypto::Identity& console);
  // nullopt when the console has none yet. Throws hotline::Error when the stored box does
  // not open with this identity (damaged, or replaced by someone else's).
  std::optional<crypto::SecretKey> open(const crypto::Identity& console);

  // The wrap of `records_key` under `passphrase` for an operator or administrator, and the
  // public half of the role's history key from the same passphrase.
  static RoleWrap wrap_for_role(Role role, std::string_view passphrase, crypto::PassphraseCost cost,
                                const crypto::SecretKey& records_key);
  // nullopt for a wrong passphrase (or a wrap that is damaged: the two look alike).
  static std::optional<RoleKeys> unwrap_for_role(Role role, ByteSpan wrap,
                                                 std::string_view passphrase);

 private:
  Database* db_;
};

}  // namespace hotline::store
