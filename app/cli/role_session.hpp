#pragma once
// A command run under the operator or administrator role: the profile, its audit trail and
// the role's grant, unlocked with the passphrase from --role-passphrase-file or a prompt on
// the terminal (never from an argument).

#include <optional>
#include <string>

#include "app/cli/arguments.hpp"
#include "app/cli/commands.hpp"
#include "core/admin/audit_trail.hpp"
#include "core/admin/role_gate.hpp"

namespace hotline::cli {

// The options every role command takes: the role passphrase, and the key passphrase, which
// lets its audit entries be signed at once on a console whose key has one (otherwise they
// are signed by the next console run).
inline const std::set<std::string> kRoleOptionNames = {"--role-passphrase-file",
                                                       "--passphrase-file"};
OptionSpec with_role_options(OptionSpec spec);

class RoleSession {
 public:
  RoleSession(const Invocation& in, const Arguments& args, store::Role role);

  identity::Profile& profile() { return profile_; }
  admin::AuditTrail& audit() { return audit_; }
  admin::RoleGate& gate() { return gate_; }
  const admin::RoleGrant& grant() const { return *grant_; }

 private:
  identity::Profile profile_;
  admin::AuditTrail audit_;
  admin::RoleGate gate_;
  std::optional<admin::RoleGrant> grant_;
};

// A new passphrase: the file's first line, or typed twice on the terminal.
std::string new_passphrase(const Arguments& args, const std::string& option,
                           const std::string& what);

// Unlocks the console key when that needs no passphrase or --passphrase-file gives it.
void unlock_key_if_possible(identity::Profile& profile, const Arguments& args);

}  // namespace hotline::cli
