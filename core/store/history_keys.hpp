#pragma once
// Who can read the call history. The console writes it without any passphrase (officials
// never type one) but cannot read back what another start wrote: every process that records
// calls has an epoch, a random data key stored only sealed (crypto_box_seal) to the public
// history key of each role that reads records — the operator's and the administrator's,
// derived from their passphrases (records_key.hpp). While no role has one (a console before
// its first role passphrase), an epoch key is held under the records key instead and handed
// to the first role that gets one. docs/records.md, "Sealed history".

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto/secret.hpp"
#include "core/crypto/secret_key_pool.hpp"
#include "core/store/records_key.hpp"

namespace hotline::store {

class Database;

// One start's data key; the console keeps it in memory for as long as it runs.
struct HistoryEpoch {
  std::int64_t id = 0;
  crypto::SecretKey key;
};

// The MAC binding a role's history public key to this console (RecordsKeys::reader_mac), so
// someone with the files cannot swap in a key of their own and read what is sealed after.
PublicKey reader_public_mac(const crypto::SecretKey& reader_mac, Role role,
                            const PublicKey& public_key);

struct HistoryReaders {
  std::vector<std::pair<Role, PublicKey>> valid;
  std::vector<std::string> problems;  // a key changed in the file, by role
};

class HistoryKeyStore {
 public:
  explicit HistoryKeyStore(Database& db) : db_(&db) {}

  // The roles' history public keys, each checked against its MAC; a key that fails is left
  // out and named in `problems` (nothing is ever sealed to it).
  HistoryReaders readers(const RecordsKeys& keys);
  // The same keys as stored, unchecked: for a process holding no key, which cannot check
  // them, to seal what only a role may read (audit_text.hpp). A key swapped in the file
  // gets what is sealed so; the console shows the swap (readers().problems).
  std::vector<std::pair<Role, PublicKey>> stored_readers();
  void set_reader(Role role, const PublicKey& public_key, const RecordsKeys& keys);

  // A new epoch: a random key sealed to every valid reader, or under the records key while
  // there is none.
  HistoryEpoch create_epoch(const RecordsKeys& keys, std::int64_t now_ms);
  // Seals `key` of epoch `epoch` to `role` (replacing an older seal for the role).
  void share_epoch(std::int64_t epoch, crypto::KeyView key, Role role, const PublicKey& public_key);
  // Epoch keys held under the records key go to every valid reader, and the console's copies
  // are deleted once one reader has them. Returns how many epochs were handed over.
  int hand_pending_to_readers(const RecordsKeys& keys);

 private:
  Database* db_;
};

// The epoch keys a role has opened, kept for as long as its grant lives (dropping the grant
// wipes them). refresh() opens only the epochs that are new since the last call. An epoch
// key sealed to the role (an X25519 operation to open) is replaced by the role's symmetric
// wrap of it once opened, so an unlock opens a thousand epochs in a few milliseconds. The
// keys live in one pool of guarded memory, a page per 127 keys.
class HistoryKeyring {
 public:
  explicit HistoryKeyring(HistoryReaderKey reader);

  const HistoryReaderKey& reader() const { return reader_; }
  void refresh(Database& db);
  // Nothing when the role cannot open the epoch (sealed before it had its key). The view
  // lives as long as the keyring.
  std::optional<crypto::KeyView> key_of(std::int64_t epoch) const;
  // Every epoch key opened so far, for sharing them with another role.
  const std::map<std::int64_t, crypto::KeyView>& keys() const { return keys_; }

 private:
  HistoryReaderKey reader_;
  crypto::SecretKey wrap_key_;  // from the role's secret: the symmetric wraps
  crypto::SecretKeyPool pool_;
  std::map<std::int64_t, crypto::KeyView> keys_;  // into pool_
  std::int64_t seen_up_to_ = 0;                   // highest epoch id refresh() has looked at
};

}  // namespace hotline::store
