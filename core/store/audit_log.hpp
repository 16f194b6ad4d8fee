#pragma once
// The append-only audit log of everything that changes the console's trust: key imports and
// replacements, verifications, pre-shared keys, peers disabled or removed, settings, role
// passphrases and every attempt to unlock a role.
//
// Tamper evidence. Entry n holds the BLAKE2b-256 hash of entry n-1 (entry 1 holds a hash of
// the console's public key, so a log cannot be moved to another console), and an Ed25519
// signature by the console's key over its own hash. A separate head row holds the newest
// entry's sequence number and hash, also signed. So an entry that was edited fails its
// signature; one that was removed leaves a gap in the sequence; entries swapped keep neither
// their hashes nor their signatures; and entries cut off the end disagree with the head.
// What this cannot show: the whole database rolled back to an earlier copy of itself (keep
// exports elsewhere for that; docs/security.md).
//
// Entries are appended unsigned when the key is locked (a command-line action on a console
// whose key has a passphrase) and signed by the next process that holds the key
// (sign_pending); verify() reports how many still wait.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/identity.hpp"

namespace hotline::store {

class Database;

using AuditHash = std::array<std::uint8_t, 32>;

struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, 3, ...
  std::int64_t at = 0;   // unix milliseconds
  std::string role;      // "official", "operator", "admin", or "-" for no role
  std::string actor;     // who acted: the login name, or the name an administrator gave
  std::string action;    // e.g. "peer.import", "role.unlock.failed"
  std::string details;   // free text; never a secret
  AuditHash prev_hash{};
  std::optional<crypto::Signature> signature;
};

struct AuditVerdict {
  bool intact = true;
  std::int64_t entries = 0;
  std::int64_t unsigned_entries = 0;      // waiting for the key (not tampering)
  std::optional<std::int64_t> first_bad;  // the first entry found edited, removed or moved
  std::string problem;                    // plain words, naming that entry
};

class AuditLog {
 public:
  AuditLog(Database& db, const crypto::PublicKey& console_key) : db_(&db), key_(console_key) {}

  // Appends in its own transaction (or the caller's). `signer`, when given, must be the
  // console's identity; the entry and the head are then signed at once.
  std::int64_t append(std::string_view role, std::string_view actor, std::string_view action,
                      std::string_view details, std::int64_t now_ms,
                      const crypto::Identity* signer);
  // Signs the entries (and the head) appended while the key was locked. Returns how many.
  std::int64_t sign_pending(const crypto::Identity& signer);

  std::vector<AuditEntry> list();
  AuditVerdict verify();

  static AuditHash entry_hash(const AuditEntry& entry);

 private:
  AuditHash genesis() const;

  Database* db_;
  crypto::PublicKey key_;
};

}  // namespace hotline::store
