#include "core/store/records_key.hpp"

#include <sodium.h>

#include <string>

#include "core/store/database.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'h', 'l', 'r', 'e', 'c', 'o', 'r', 'd'};
enum Subkey : std::uint64_t {
  kAuditMac = 1,
  kDirectoryMac = 2,
  kPskAead = 3,
  kReaderMac = 4,
  kHistoryPending = 5
};

constexpr std::uint8_t kWrapVersion = 1;
constexpr std::size_t kSaltLen = crypto_pwhash_SALTBYTES;
constexpr std::size_t kNonceLen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kBoxLen = 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kWrapLen = 1 + 8 + 8 + kSaltLen + kNonceLen + kBoxLen;
constexpr std::size_t kSealedLen = 32 + crypto_box_SEALBYTES;

crypto::SecretKey derive(const crypto::SecretKey& root, Subkey id) {
  crypto::SecretKey out;
  crypto_kdf_derive_from_key(out.data(), out.size(), id, kKdfContext, root.data());
  return out;
}

// Binds a wrap to its role, so the operator's wrap cannot stand in for the administrator's.
std::string wrap_context(Role role) {
  return "hotline-records-key-wrap/1 " + std::string(to_string(role));
}

std::optional<crypto::SecretKey> passphrase_key(std::string_view passphrase, ByteSpan salt,
                                                std::uint64_t ops, std::uint64_t mem) {
  crypto::SecretKey key;
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(), ops,
                    static_cast<std::size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return std::nullopt;
  }
  return key;
}

// The role's history key pair: X25519 from a seed that is a keyed hash of the passphrase key.
HistoryReaderKey reader_key(Role role, const crypto::SecretKey& passphrase_key) {
  const std::string label = "hotline-history-reader/1 " + std::string(to_string(role));
  crypto::SecretKey seed;
  crypto_generichash(seed.data(), seed.size(), reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), passphrase_key.data(), passphrase_key.size());
  HistoryReaderKey out;
  out.role = role;
  crypto_box_seed_keypair(out.public_key.data(), out.secret.data(), seed.data());
  return out;
}

}  // namespace

RecordsKeys::RecordsKeys(const crypto::SecretKey& records_key)
    : audit_mac(derive(records_key, kAuditMac)),
      directory_mac(derive(records_key, kDirectoryMac)),
      psk_aead(derive(records_key, kPskAead)),
      reader_mac(derive(records_key, kReaderMac)),
      history_pending(derive(records_key, kHistoryPending)),
      root(records_key.clone()) {}

bool RecordsKeyStore::exists() {
  return db_->prepare("SELECT 1 FROM records_key WHERE id = 1").step();
}

crypto::SecretKey RecordsKeyStore::create(const crypto::Identity& console) {
  crypto::ensure_sodium();
  crypto::SecretKey key;
  randombytes_buf(key.data(), key.size());
  Bytes sealed(kSealedLen);
  if (crypto_box_seal(sealed.data(), key.data(), key.size(), console.dh_public().data()) != 0) {
    throw Error("cannot seal the records key");
  }
  Transaction transaction(*db_);
  if (exists()) throw Error("this console already has a records key");
  db_->prepare("INSERT INTO records_key (id, sealed) VALUES (1, ?1)")
      .bind(1, ByteSpan(sealed))
      .run();
  transaction.commit();
  return key;
}

std::optional<crypto::SecretKey> RecordsKeyStore::open(const crypto::Identity& console) {
  Statement stmt = db_->prepare("SELECT sealed FROM records_key WHERE id = 1");
  if (!stmt.step()) return std::nullopt;
  const ByteSpan sealed = stmt.column_blob(0);
  crypto::SecretKey key;
  if (sealed.size() != kSealedLen ||
      crypto_box_seal_open(key.data(), sealed.data(), sealed.size(), console.dh_public().data(),
                           console.dh_private().data()) != 0) {
    throw Error(
        "the console's records key does not open with its identity: the database was damaged "
        "or its records key replaced");
  }
  return key;
}

RoleWrap RecordsKeyStore::wrap_for_role(Role role, std::string_view passphrase,
                                        crypto::PassphraseCost cost,
                                        const crypto::SecretKey& records_key) {
  crypto::ensure_sodium();
  if (passphrase.empty()) throw Error("the passphrase must not be empty");
  const bool moderate = cost == crypto::PassphraseCost::kModerate;
  const std::uint64_t ops =
      moderate ? crypto_pwhash_OPSLIMIT_MODERATE : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  const std::uint64_t mem =
      moderate ? crypto_pwhash_MEMLIMIT_MODERATE : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  Bytes wrap(kWrapLen);
  wrap[0] = kWrapVersion;
  store_le64(wrap.data() + 1, ops);
  store_le64(wrap.data() + 9, mem);
  std::uint8_t* salt = wrap.data() + 17;
  std::uint8_t* nonce = salt + kSaltLen;
  std::uint8_t* box = nonce + kNonceLen;
  randombytes_buf(salt, kSaltLen);
  randombytes_buf(nonce, kNonceLen);
  const auto key = passphrase_key(passphrase, ByteSpan(salt, kSaltLen), ops, mem);
  if (!key) throw Error("cannot derive a key from the passphrase (out of memory)");
  const std::string ad = wrap_context(role);
  unsigned long long box_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(box, &box_len, records_key.data(), records_key.size(),
                                             reinterpret_cast<const unsigned char*>(ad.data()),
                                             ad.size(), nullptr, nonce, key->data());
  return RoleWrap{std::move(wrap), reader_key(role, *key)};
}

std::optional<RoleKeys> RecordsKeyStore::unwrap_for_role(Role role, ByteSpan wrap,
                                                         std::string_view passphrase) {
  crypto::ensure_sodium();
  if (wrap.size() != kWrapLen || wrap[0] != kWrapVersion) return std::nullopt;
  const std::uint64_t ops = load_le64(wrap.data() + 1);
  const std::uint64_t mem = load_le64(wrap.data() + 9);
  // A crafted row must not demand unbounded work.
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
    return std::nullopt;
  }
  const std::uint8_t* salt = wrap.data() + 17;
  const std::uint8_t* nonce = salt + kSaltLen;
  const std::uint8_t* box = nonce + kNonceLen;
  const auto key = passphrase_key(passphrase, ByteSpan(salt, kSaltLen), ops, mem);
  if (!key) return std::nullopt;
  const std::string ad = wrap_context(role);
  crypto::SecretKey out;
  unsigned long long out_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, box, kBoxLen,
                                                 reinterpret_cast<const unsigned char*>(ad.data()),
                                                 ad.size(), nonce, key->data()) != 0) {
    return std::nullopt;
  }
  return RoleKeys{std::move(out), reader_key(role, *key)};
}

}  // namespace hotline::store
