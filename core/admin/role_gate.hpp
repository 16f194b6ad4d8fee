#pragma once
// Who may do what. Officials call and answer without a passphrase; operators read, annotate
// and export the history; administrators change peers, keys, settings and passphrases. Every
// privileged operation takes a RoleGrant, and only RoleGate makes grants (from the role's
// passphrase), so no code path can skip the check. Every attempt to unlock a role is audited.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/admin/audit_trail.hpp"
#include "core/crypto/passphrase_hash.hpp"
#include "core/store/history_records.hpp"
#include "core/store/role_store.hpp"
#include "core/util/error.hpp"

namespace hotline::admin {

class AccessDenied : public Error {
 public:
  using Error::Error;
};

class RoleGrant {
 public:
  store::Role role() const { return role_; }
  const std::string& actor() const { return actor_; }
  // The sealed history as this role opens it (operator and administrator); null for the
  // official. Shared by copies of the grant; its keys are wiped with the last of them.
  store::HistoryRecords* history() const { return history_.get(); }

 private:
  friend class RoleGate;
  RoleGrant(store::Role role, std::string actor,
            std::shared_ptr<store::HistoryRecords> history = nullptr)
      : role_(role), actor_(std::move(actor)), history_(std::move(history)) {}
  store::Role role_;
  std::string actor_;
  std::shared_ptr<store::HistoryRecords> history_;
};

// Throws AccessDenied "only an administrator can <what>" unless `grant` is for `role`.
void require(const RoleGrant& grant, store::Role role, std::string_view what);

class RoleGate {
 public:
  RoleGate(identity::Profile& profile, AuditTrail& audit,
           crypto::PassphraseCost cost = crypto::PassphraseCost::kModerate);

  RoleGrant official(std::string actor) const;
  // Checks the passphrase: wrong ones are counted and slow the next attempt down. Throws
  // AccessDenied with the reason (not set, wrong, or locked for N more seconds).
  RoleGrant unlock(store::Role role, std::string_view passphrase, std::string actor);

  bool has_passphrase(store::Role role);
  // A console without an administrator passphrase (a fresh one, or one from before roles)
  // takes its first passphrases without a grant; once one is set, this throws.
  void set_first_passphrases(std::string_view admin, std::optional<std::string_view> operator_,
                             std::string actor);
  void set_passphrase(const RoleGrant& admin, store::Role role, std::string_view passphrase);

 private:
  // Gives the profile the records key the role's passphrase opened (or wraps it for the role,
  // once), and returns the role's history key; throws AccessDenied when neither can be done.
  store::HistoryReaderKey take_records_key(store::Role role, std::string_view passphrase,
                                           store::RoleCheck& check);
  // What a process holding the records key and a role's key does once: history epochs held
  // for want of a reader go to the roles, and clear rows of an earlier version are sealed.
  void seal_waiting_history();

  identity::Profile& profile_;
  AuditTrail& audit_;
  store::RoleStore roles_;
  crypto::PassphraseCost cost_;
};

}  // namespace hotline::admin
