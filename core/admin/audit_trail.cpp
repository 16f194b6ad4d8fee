#include "core/admin/audit_trail.hpp"

#include <pwd.h>
#include <unistd.h>

#include "core/admin/role_gate.hpp"
#include "core/util/time_format.hpp"

namespace hotline::admin {

AuditTrail::AuditTrail(identity::Profile& profile)
    : profile_(profile), log_(profile.database(), profile.public_key()) {}

void AuditTrail::append(std::string_view role, std::string_view actor, std::string_view action,
                        std::string_view details) {
  const store::RecordsKeys* keys = profile_.records_keys();
  if (keys && !epoch_) {
    epoch_ = store::HistoryKeyStore(profile_.database()).create_epoch(*keys, unix_ms_now());
  }
  log_.append(
      role, actor, action, details, unix_ms_now(),
      store::AuditAuthority{profile_.unlocked() ? &profile_.identity() : nullptr,
                            keys ? &keys->audit_mac : nullptr, epoch_ ? &*epoch_ : nullptr});
}

std::vector<store::AuditEntry> AuditTrail::entries(const RoleGrant& admin) {
  require(admin, store::Role::kAdministrator, "read the audit log");
  store::HistoryRecords* history = admin.history();
  if (history == nullptr) throw AccessDenied("this grant holds no key to the records");
  return log_.read(history->keyring());
}

store::AuditVerdict AuditTrail::verify() {
  const store::RecordsKeys* keys = profile_.records_keys();
  return log_.verify(keys ? &keys->audit_mac : nullptr);
}

void AuditTrail::record(store::Role role, std::string_view actor, std::string_view action,
                        std::string_view details) {
  append(store::to_string(role), actor, action, details);
}

void AuditTrail::record_unprivileged(std::string_view actor, std::string_view action,
                                     std::string_view details) {
  append("-", actor, action, details);
}

std::int64_t AuditTrail::sign_pending() {
  const store::RecordsKeys* keys = profile_.records_keys();
  if (!profile_.unlocked() || !keys) return 0;
  return log_.sign_pending(profile_.identity(), &keys->audit_mac);
}

std::string current_actor() {
  if (const passwd* entry = ::getpwuid(::geteuid()); entry && entry->pw_name && *entry->pw_name) {
    return entry->pw_name;
  }
  return "uid " + std::to_string(::geteuid());
}

}  // namespace hotline::admin
