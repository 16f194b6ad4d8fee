#include "core/store/history_keys.hpp"

#include <sodium.h>

#include "core/store/database.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr std::string_view kConsoleHolder = "console";
constexpr std::size_t kSealedLen = 32 + crypto_box_SEALBYTES;
constexpr std::size_t kNonceLen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kPendingLen = kNonceLen + 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kRoleWrapLen = kPendingLen;

// Binds a pending epoch key to its epoch, so one cannot be moved to another epoch's row.
Bytes pending_context(std::int64_t epoch) {
  return label_and_le64("hotline-history-pending/1", {epoch});
}

Bytes seal_to(crypto::KeyView key, const PublicKey& public_key) {
  Bytes sealed(kSealedLen);
  if (crypto_box_seal(sealed.data(), key.data(), key.size(), public_key.data()) != 0) {
    throw Error("cannot seal a history key");
  }
  return sealed;
}

Bytes seal_pending(std::int64_t epoch, const crypto::SecretKey& key, const RecordsKeys& keys) {
  Bytes out(kPendingLen);
  randombytes_buf(out.data(), kNonceLen);
  const Bytes ad = pending_context(epoch);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonceLen, nullptr, key.data(),
                                             key.size(), ad.data(), ad.size(), nullptr, out.data(),
                                             keys.history_pending.data());
  return out;
}

std::optional<crypto::SecretKey> open_pending(std::int64_t epoch, ByteSpan sealed,
                                              const RecordsKeys& keys) {
  if (sealed.size() != kPendingLen) return std::nullopt;
  const Bytes ad = pending_context(epoch);
  crypto::SecretKey key;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          key.data(), nullptr, nullptr, sealed.data() + kNonceLen, sealed.size() - kNonceLen,
          ad.data(), ad.size(), sealed.data(), keys.history_pending.data()) != 0) {
    return std::nullopt;
  }
  return key;
}

// A role's symmetric wrap of an epoch key: bound to the epoch and the role.
Bytes role_wrap_context(std::int64_t epoch, Role role) {
  return label_and_le64("hotline-history-role-wrap/1 " + std::string(to_string(role)), {epoch});
}

void put_seal(Database& db, std::int64_t epoch, std::string_view holder, ByteSpan sealed) {
  db.prepare(
        "INSERT INTO history_epoch_keys (epoch, holder, sealed) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (epoch, holder) DO UPDATE SET sealed = excluded.sealed")
      .bind(1, epoch)
      .bind(2, holder)
      .bind(3, sealed)
      .run();
}

}  // namespace

PublicKey reader_public_mac(const crypto::SecretKey& reader_mac, Role role,
                            const PublicKey& public_key) {
  const std::string label = "hotline-history-reader-key/1 " + std::string(to_string(role));
  PublicKey mac{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, reader_mac.data(), reader_mac.size(), mac.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(label.data()),
                            label.size() + 1);  // with its NUL: the label ends unambiguously
  crypto_generichash_update(&state, public_key.data(), public_key.size());
  crypto_generichash_final(&state, mac.data(), mac.size());
  return mac;
}

namespace {

struct StoredReader {
  Role role;
  PublicKey public_key;
  Bytes mac;
};

std::vector<StoredReader> stored_reader_rows(Database& db) {
  std::vector<StoredReader> out;
  Statement stmt = db.prepare(
      "SELECT role, reader_public, reader_mac FROM role_passphrases "
      "WHERE reader_public IS NOT NULL ORDER BY role");
  while (stmt.step()) {
    const std::optional<Role> role = parse_role(stmt.column_text(0));
    const ByteSpan pub = stmt.column_blob(1);
    const ByteSpan mac = stmt.column_blob(2);
    if (!role || pub.size() != 32) continue;
    StoredReader reader{*role, {}, Bytes(mac.begin(), mac.end())};
    std::copy(pub.begin(), pub.end(), reader.public_key.begin());
    out.push_back(std::move(reader));
  }
  return out;
}

}  // namespace

HistoryReaders HistoryKeyStore::readers(const RecordsKeys& keys) {
  HistoryReaders out;
  for (const StoredReader& r : stored_reader_rows(*db_)) {
    const PublicKey expected = reader_public_mac(keys.reader_mac, r.role, r.public_key);
    if (r.mac.size() != expected.size() ||
        sodium_memcmp(r.mac.data(), expected.data(), expected.size()) != 0) {
      out.problems.push_back("the " + std::string(display_name(r.role)) +
                             "'s history key was changed in the file outside the console; "
                             "nothing is sealed to it (set the role's passphrase again)");
      continue;
    }
    out.valid.emplace_back(r.role, r.public_key);
  }
  return out;
}

std::vector<std::pair<Role, PublicKey>> HistoryKeyStore::stored_readers() {
  std::vector<std::pair<Role, PublicKey>> out;
  for (const StoredReader& r : stored_reader_rows(*db_)) out.emplace_back(r.role, r.public_key);
  return out;
}

void HistoryKeyStore::set_reader(Role role, const PublicKey& public_key, const RecordsKeys& keys) {
  const PublicKey mac = reader_public_mac(keys.reader_mac, role, public_key);
  db_->prepare("UPDATE role_passphrases SET reader_public = ?2, reader_mac = ?3 WHERE role = ?1")
      .bind(1, to_string(role))
      .bind(2, ByteSpan(public_key))
      .bind(3, ByteSpan(mac))
      .run();
}

HistoryEpoch HistoryKeyStore::create_epoch(const RecordsKeys& keys, std::int64_t now_ms) {
  crypto::ensure_sodium();
  HistoryEpoch epoch;
  randombytes_buf(epoch.key.data(), epoch.key.size());
  const HistoryReaders to = readers(keys);
  Transaction transaction(*db_);
  db_->prepare("INSERT INTO history_epochs (created_at) VALUES (?1)").bind(1, now_ms).run();
  epoch.id = db_->last_insert_rowid();
  for (const auto& [role, public_key] : to.valid) {
    put_seal(*db_, epoch.id, to_string(role), seal_to(epoch.key, public_key));
  }
  if (to.valid.empty())
    put_seal(*db_, epoch.id, kConsoleHolder, seal_pending(epoch.id, epoch.key, keys));
  transaction.commit();
  return epoch;
}

void HistoryKeyStore::share_epoch(std::int64_t epoch, crypto::KeyView key, Role role,
                                  const PublicKey& public_key) {
  put_seal(*db_, epoch, to_string(role), seal_to(key, public_key));
}

int HistoryKeyStore::hand_pending_to_readers(const RecordsKeys& keys) {
  const HistoryReaders to = readers(keys);
  if (to.valid.empty()) return 0;
  Transaction transaction(*db_);
  Statement stmt =
      db_->prepare("SELECT epoch, sealed FROM history_epoch_keys WHERE holder = ?1 ORDER BY epoch");
  stmt.bind(1, kConsoleHolder);
  int handed = 0;
  std::vector<std::int64_t> done;
  while (stmt.step()) {
    const std::int64_t epoch = stmt.column_int64(0);
    const std::optional<crypto::SecretKey> key = open_pending(epoch, stmt.column_blob(1), keys);
    if (!key) continue;  // not this console's: left for `hotline audit verify` to show
    for (const auto& [role, public_key] : to.valid) share_epoch(epoch, *key, role, public_key);
    done.push_back(epoch);
    ++handed;
  }
  for (std::int64_t epoch : done) {
    db_->prepare("DELETE FROM history_epoch_keys WHERE epoch = ?1 AND holder = ?2")
        .bind(1, epoch)
        .bind(2, kConsoleHolder)
        .run();
  }
  transaction.commit();
  return handed;
}

HistoryKeyring::HistoryKeyring(HistoryReaderKey reader) : reader_(std::move(reader)) {
  const std::string label = "hotline-history-epoch-wrap/1 " + std::string(to_string(reader_.role));
  crypto_generichash(wrap_key_.data(), wrap_key_.size(),
                     reinterpret_cast<const unsigned char*>(label.data()), label.size(),
                     reader_.secret.data(), reader_.secret.size());
}

void HistoryKeyring::refresh(Database& db) {
  std::vector<std::pair<std::int64_t, Bytes>> rewraps;
  {
    Statement stmt = db.prepare(
        "SELECT epoch, sealed FROM history_epoch_keys WHERE holder = ?1 AND epoch > ?2 "
        "ORDER BY epoch");
    stmt.bind(1, to_string(reader_.role)).bind(2, seen_up_to_);
    while (stmt.step()) {
      const std::int64_t epoch = stmt.column_int64(0);
      seen_up_to_ = std::max(seen_up_to_, epoch);
      const ByteSpan sealed = stmt.column_blob(1);
      if (keys_.contains(epoch)) continue;
      const Bytes ad = role_wrap_context(epoch, reader_.role);
      const std::span<std::uint8_t, 32> key = pool_.add();
      if (sealed.size() == kRoleWrapLen) {
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                key.data(), nullptr, nullptr, sealed.data() + kNonceLen, sealed.size() - kNonceLen,
                ad.data(), ad.size(), sealed.data(), wrap_key_.data()) != 0) {
          pool_.drop_last();
          continue;  // wrapped under an earlier passphrase of the role, or damaged
        }
      } else if (sealed.size() != kSealedLen ||
                 crypto_box_seal_open(key.data(), sealed.data(), sealed.size(),
                                      reader_.public_key.data(), reader_.secret.data()) != 0) {
        pool_.drop_last();
        continue;  // sealed to an earlier passphrase of the role, or damaged
      } else {
        // Opening a sealed box costs an X25519 operation; the role's own symmetric wrap,
        // stored in its place, costs a microsecond at every later unlock.
        Bytes wrap(kRoleWrapLen);
        randombytes_buf(wrap.data(), kNonceLen);
        crypto_aead_xchacha20poly1305_ietf_encrypt(wrap.data() + kNonceLen, nullptr, key.data(),
                                                   key.size(), ad.data(), ad.size(), nullptr,
                                                   wrap.data(), wrap_key_.data());
        rewraps.emplace_back(epoch, std::move(wrap));
      }
      keys_.emplace(epoch, key);
    }
  }
  if (rewraps.empty()) return;
  try {
    Transaction transaction(db);
    for (const auto& [epoch, wrap] : rewraps) put_seal(db, epoch, to_string(reader_.role), wrap);
    transaction.commit();
  } catch (const Error&) {
    // Only a speed-up: a store that is busy now gets the wraps at a later unlock.
  }
}

std::optional<crypto::KeyView> HistoryKeyring::key_of(std::int64_t epoch) const {
  const auto it = keys_.find(epoch);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

}  // namespace hotline::store
