#pragma once
// What the audit log's signatures and MACs cover, and its rows: shared by the writer
// (audit_log.cpp), the checker (audit_verify.cpp) and the anchor file (audit_anchor.cpp).

#include <optional>
#include <string_view>

#include "core/store/audit_log.hpp"
#include "core/util/bytes.hpp"

namespace hotline::store {

class Statement;

namespace audit_codec {

constexpr std::string_view kColumns =
    "seq, at, role, actor, action, details, prev_hash, signature, mac, epoch, box";

// The signed (or MAC'd) messages: a label, then the fields, so an entry's signature is never
// a head's or an anchor's.
Bytes entry_message(const AuditHash& hash);
Bytes head_message(std::int64_t seq, const AuditHash& hash);
Bytes anchor_message(std::int64_t seq, const AuditHash& hash);

AuditMac mac(const crypto::SecretKey& key, ByteSpan message);
bool mac_matches(const crypto::SecretKey& key, ByteSpan message, const AuditMac& tag);

struct Head {
  std::int64_t seq = 0;
  AuditHash hash{};
  std::optional<crypto::Signature> signature;
  std::optional<AuditMac> mac;
};
std::optional<Head> read_head(Database& db);
void write_head(Database& db, const Head& head);
// Vouches for the head with what `authority` holds (nothing when it holds no key).
Head vouched_head(std::int64_t seq, const AuditHash& hash, const AuditAuthority& authority);

// A row selected with kColumns; a sealed one's text is not opened (AuditEntry::Text::kSealed).
AuditEntry read_entry(const Statement& row);

}  // namespace audit_codec
}  // namespace hotline::store
