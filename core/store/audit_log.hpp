#pragma once
// The append-only audit log of everything that changes the console's trust: key imports and
// replacements, verifications, pre-shared keys, peers disabled or removed, settings, role
// passphrases and every attempt to unlock a role.
//
// Tamper evidence (docs/records.md, "Protection"). Entry n holds the BLAKE2b-256 hash of
// entry n-1 (entry 1 holds a hash of the console's public key, so a log cannot be moved to
// another console). Each entry is vouched for by the process that wrote it: an Ed25519
// signature by the console's key, or, when that key is locked (a command-line action on a
// console whose key has a passphrase), a MAC under the records key that the role's
// passphrase opened; the next process holding the signing key signs MAC'd entries, after
// checking the whole log. A head row holds the newest entry's number and hash, vouched for
// the same way, and the anchor file next to the database (audit_anchor.hpp) holds the newest
// position a keyed process wrote, so entries cut off the end are found even if the head row
// is rewritten. Only attempts to unlock a role are written by a process that holds no key at
// all; they are reported as such, never signed, and no other entry may lack a signature or
// MAC: one that does was forged. What this cannot show: the whole profile rolled back to an
// earlier copy of itself, anchor file included (docs/security.md).
//
// Confidentiality (schema 7): an entry's role, actor and details are sealed so that only the
// roles that read records open them (audit_text.hpp); its number, time and action stay in the
// clear, and the hash covers the sealed box, so the chain, the signatures, the head and the
// anchor are checked without opening anything. Entries written before are sealed once by the
// console-key holder (seal_clear()).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/identity.hpp"
#include "core/crypto/secret.hpp"
#include "core/util/bytes.hpp"

namespace hotline::store {

class Database;
class HistoryKeyring;
struct HistoryEpoch;

using AuditHash = std::array<std::uint8_t, 32>;
using AuditMac = std::array<std::uint8_t, 32>;

struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, 3, ...
  std::int64_t at = 0;   // unix milliseconds
  std::string role;      // "official", "operator", "admin", or "-" for no role
  std::string actor;     // who acted: the login name, or the name an administrator gave
  std::string action;    // e.g. "peer.import", "role.unlock.failed"
  std::string details;   // free text; never a secret
  AuditHash prev_hash{};
  std::optional<crypto::Signature> signature;
  std::optional<AuditMac> mac;
  // A sealed entry's role, actor and details (audit_text.hpp), whose columns are then empty;
  // `epoch` is the history epoch whose key sealed them (0: sealed to the roles' keys). An
  // empty box: the text is in the clear (an entry from before schema 7 not sealed yet, or
  // written while no role could read it).
  std::int64_t epoch = 0;
  Bytes box;
  enum class Text {
    kClear,      // stored in the clear
    kSealed,     // sealed, not opened (list())
    kOpened,     // sealed, opened by read(): role, actor and details filled in
    kUnreadable  // sealed, and the reader's keys do not open it: role, actor, details empty
  };
  Text text = Text::kClear;
  bool sealed() const { return !box.empty(); }
};

// What the writing process can vouch for an entry with.
struct AuditAuthority {
  const crypto::Identity* signer = nullptr;    // the console's identity
  const crypto::SecretKey* mac_key = nullptr;  // RecordsKeys::audit_mac
  // The writing process's history epoch: the text is sealed under its key. Without one it is
  // sealed to the roles' stored history keys, and kept in the clear only while no role has
  // one (seal_clear() seals it later).
  const HistoryEpoch* epoch = nullptr;
};

enum class AuditFinding {
  kNone,
  kEdited,     // an entry, the head or the anchor changed after it was written
  kRemoved,    // entries missing from the middle
  kTruncated,  // entries missing from the end
  kForged,     // an entry no keyed process wrote
  kReordered,  // entries moved or replaced
};
std::string_view to_string(AuditFinding finding);  // "edited", "removed", ...

struct AuditVerdict {
  bool intact = true;
  AuditFinding finding = AuditFinding::kNone;
  std::int64_t entries = 0;
  std::int64_t unsigned_entries = 0;  // MAC'd, waiting for the signing key (not tampering)
  // Unlock attempts written by a process without any key: kept and shown, never trusted.
  std::int64_t unauthenticated_entries = 0;
  // False when verify() was given no records key: MACs and entries without one were not
  // judged (a console that has no records key yet, or a process that holds none).
  bool strict = false;
  bool anchor_checked = false;
  std::optional<std::int64_t> first_bad;  // the first entry found edited, removed or moved
  std::string problem;                    // plain words, naming that entry
};

class AuditLog {
 public:
  // The anchor file lives next to the database file (kAnchorFileName).
  AuditLog(Database& db, const crypto::PublicKey& console_key);

  static constexpr std::string_view kAnchorFileName = "audit.anchor";

  // Appends in its own transaction (or the caller's). With neither a signer (which must be
  // the console's identity) nor a MAC key, only an unlock attempt may be written; any other
  // action throws hotline::Error and nothing is written.
  std::int64_t append(std::string_view role, std::string_view actor, std::string_view action,
                      std::string_view details, std::int64_t now_ms, AuditAuthority authority);
  std::int64_t append(std::string_view role, std::string_view actor, std::string_view action,
                      std::string_view details, std::int64_t now_ms,
                      const crypto::Identity* signer) {
    return append(role, actor, action, details, now_ms, AuditAuthority{signer, nullptr});
  }

  // Signs the MAC'd entries and the head once verify(mac_key) finds the log intact; returns
  // how many entries it signed. `adopt_unvouched` also signs entries that carry neither
  // signature nor MAC: only for the one-time protection of a log written before MACs
  // existed (store/records_protection.hpp).
  std::int64_t sign_pending(const crypto::Identity& signer, const crypto::SecretKey* mac_key,
                            bool adopt_unvouched = false);

  // The entries as stored: sealed text not opened (Text::kSealed).
  std::vector<AuditEntry> list();
  // The entries with their text opened by a reading role (its keyring is refreshed first):
  // Text::kOpened, kClear or kUnreadable. Throws hotline::Error if a database read fails.
  std::vector<AuditEntry> read(HistoryKeyring& keyring);
  AuditVerdict verify(const crypto::SecretKey* mac_key = nullptr);

  // Whether any entry's text is still in the clear.
  bool has_clear_entries();
  // Seals the text of every entry still in the clear under `epoch`, then chains and signs
  // again every entry from the first of them on (their hashes change), with the head and the
  // anchor: once verify(&mac_key) finds the log intact, else nothing. Returns how many
  // entries it sealed. Only the console-key holder can, as signed entries are re-signed.
  std::int64_t seal_clear(const crypto::Identity& signer, const crypto::SecretKey& mac_key,
                          const HistoryEpoch& epoch);

  // Version 1 over the clear fields for an entry in the clear; version 2 over the number,
  // time, epoch, action and sealed box for a sealed one.
  static AuditHash entry_hash(const AuditEntry& entry);
  // Actions a process holding no key may write: attempts to unlock a role, and the note that
  // the head row was found missing.
  static bool keyless_action(std::string_view action);

 private:
  AuditHash genesis() const;

  Database* db_;
  crypto::PublicKey key_;
};

}  // namespace hotline::store
