#pragma once
// The text of an audit entry (role, actor, details) as it is stored from schema 7: sealed, so
// that someone with the files reads only its number, time and action. The box's first byte
// says how it was sealed:
//   1  under the writing process's history epoch key (XChaCha20-Poly1305, bound to the
//      entry's seq and epoch): what every process holding the records key writes;
//   2  to each role's stored history public key (crypto_box_seal, one box per role): what a
//      process holding no key writes (an unlock attempt), as it has no epoch.
// Either way the roles that read records open it and the console that wrote it cannot.
// docs/records.md, "Sealed audit text".

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto/secret.hpp"
#include "core/store/role_store.hpp"
#include "core/util/bytes.hpp"

namespace hotline::store {

class HistoryKeyring;

struct AuditText {
  std::string role;
  std::string actor;
  std::string details;
};

Bytes seal_audit_text(crypto::KeyView epoch_key, std::int64_t seq, std::int64_t epoch,
                      const AuditText& text);
// Requires at least one reader.
Bytes seal_audit_text_to(const std::vector<std::pair<Role, PublicKey>>& readers, std::int64_t seq,
                         const AuditText& text);
// nullopt when the role's keys do not open it (sealed before the role had its present
// passphrase, or edited in the file) or it is not a box of a known kind.
std::optional<AuditText> open_audit_text(const HistoryKeyring& keyring, std::int64_t seq,
                                         std::int64_t epoch, ByteSpan box);

}  // namespace hotline::store
