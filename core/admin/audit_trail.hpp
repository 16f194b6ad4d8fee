#pragma once
// Where administrative actions go on record: the profile's audit log, signed with the
// console's key while the profile is unlocked, else MAC'd under the records key a role's
// passphrase opened, and signed later (store/audit_log.hpp). The entries' text is sealed
// under a history epoch of this process's own, created at its first entry, so only the roles
// read it (store/audit_text.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity/profile.hpp"
#include "core/store/audit_log.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/role_store.hpp"

namespace hotline::admin {

class RoleGrant;

class AuditTrail {
 public:
  explicit AuditTrail(identity::Profile& profile);

  void record(store::Role role, std::string_view actor, std::string_view action,
              std::string_view details);
  // For attempts that hold no role yet (a wrong passphrase, say): role "-".
  void record_unprivileged(std::string_view actor, std::string_view action,
                           std::string_view details);
  // Signs what waited for the key; call once the profile is unlocked. Returns how many.
  std::int64_t sign_pending();
  // Checks the whole log, strictly when this process holds the records key.
  store::AuditVerdict verify();
  // Every entry, its text opened with the administrator's keys. Throws AccessDenied for any
  // other grant.
  std::vector<store::AuditEntry> entries(const RoleGrant& admin);

  store::AuditLog& log() { return log_; }

 private:
  void append(std::string_view role, std::string_view actor, std::string_view action,
              std::string_view details);

  identity::Profile& profile_;
  store::AuditLog log_;
  std::optional<store::HistoryEpoch> epoch_;  // created with the first entry the keys allow
};

// The person acting, as the system knows them: the login name, else "uid N".
std::string current_actor();

}  // namespace hotline::admin
