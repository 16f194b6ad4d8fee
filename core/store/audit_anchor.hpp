#pragma once
// The audit anchor file (audit.anchor, next to hotline.db, mode 0600): the newest position
// of the audit log that a keyed process wrote, signed by the console's key or MAC'd under
// the records key. Rows cut off the end of the log, with the head row rewritten to match, still
// disagree with it. An attacker who restores an older copy of both files is not caught: no
// file on the same disk can show that (docs/security.md).
//
// Format (114 bytes, integers little-endian):
//   0   8   magic "HLAUDIT\n"
//   8   1   version = 1
//   9   8   seq of the newest entry
//   17  32  its hash (AuditLog::entry_hash)
//   49  1   1 = Ed25519 signature, 2 = BLAKE2b-256 MAC (then 32 zero bytes follow it)
//   50  64  the tag over audit_codec::anchor_message(seq, hash)

#include <filesystem>
#include <optional>

#include "core/store/audit_log.hpp"

namespace hotline::store {

struct AuditAnchor {
  enum class State { kAbsent, kDamaged, kPresent };
  State state = State::kAbsent;
  std::int64_t seq = 0;
  AuditHash hash{};
  std::optional<crypto::Signature> signature;
  std::optional<AuditMac> mac;
};

AuditAnchor read_audit_anchor(const std::filesystem::path& path);
// Atomic (temp file, fsync, rename). Does nothing when `authority` holds no key. Returns
// false when the file cannot be written: the anchor then lags behind the log, which only
// weakens the check, so the caller goes on.
bool write_audit_anchor(const std::filesystem::path& path, std::int64_t seq, const AuditHash& hash,
                        const AuditAuthority& authority);

}  // namespace hotline::store
