#pragma once
// The audit log as an administrator reads it (its text opened), for tests whose console has
// no role passphrase yet: gives it a first administrator passphrase (cheap Argon2id), which
// also hands the text sealed so far to that role, and unlocks it. Both go on the record.

#include <vector>

#include "core/identity/profile.hpp"
#include "core/store/audit_log.hpp"

namespace hotline::test {

std::vector<store::AuditEntry> audit_entries_read_by_admin(identity::Profile& profile);

}  // namespace hotline::test
