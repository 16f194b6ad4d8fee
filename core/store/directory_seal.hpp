#pragma once
// The seals of the peer directory (docs/records.md, "Protection"). Every change an
// administrator makes through the console re-seals the peer it touched: a MAC under the
// records key over each stored field of that row, bound to the peer's public key, so a check
// names the peer and the field that was changed in the file. A second MAC covers the set of
// peer keys, so a row added or deleted in the file is found too. A row whose seal does not
// match is never used (console/console_runtime.cpp).

#include <string>
#include <vector>

#include "core/crypto/identity.hpp"
#include "core/crypto/secret.hpp"

namespace hotline::store {

class Database;

struct DirectoryFinding {
  crypto::PublicKey public_key{};  // the peer as stored (or as sealed, for a deleted one)
  std::string peer;                // its name as stored now ("" when the row was deleted)
  std::string field;               // the first changed of "name", "key", "endpoints", "card",
                                   // "pre-shared key", "enabled", "verified by", "verified at",
                                   // "imported at"; "" for the whole row
  std::string problem;             // plain words, naming the peer and every changed field
};

// Seals the row of `key` (which must exist) and adds the key to the sealed set. In the
// caller's transaction.
void seal_peer(Database& db, const crypto::SecretKey& mac_key, const crypto::PublicKey& key);
// Takes a removed peer's key out of the sealed set.
void unseal_peer(Database& db, const crypto::SecretKey& mac_key, const crypto::PublicKey& key);
// Seals every row as it stands: only when a directory is first protected.
void seal_whole_directory(Database& db, const crypto::SecretKey& mac_key);
// Every row or field changed outside the console; empty when the directory is as sealed.
std::vector<DirectoryFinding> check_directory(Database& db, const crypto::SecretKey& mac_key);

}  // namespace hotline::store
