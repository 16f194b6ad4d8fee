#include "tests/support/audit_reader.hpp"

#include "core/admin/audit_trail.hpp"
#include "core/admin/role_gate.hpp"

namespace hotline::test {

std::vector<store::AuditEntry> audit_entries_read_by_admin(identity::Profile& profile) {
  constexpr std::string_view kPassphrase = "test administrator";
  admin::AuditTrail trail(profile);
  admin::RoleGate gate(profile, trail, crypto::PassphraseCost::kInteractive);
  if (!gate.has_passphrase(store::Role::kAdministrator)) {
    gate.set_first_passphrases(kPassphrase, std::nullopt, "test");
  }
  return trail.entries(gate.unlock(store::Role::kAdministrator, kPassphrase, "test"));
}

}  // namespace hotline::test
