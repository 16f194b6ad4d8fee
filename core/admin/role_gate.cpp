#include "core/admin/role_gate.hpp"

#include <system_error>
#include <thread>

#include "core/admin/audit_details.hpp"
#include "core/admin/passphrase_policy.hpp"
#include "core/store/call_history.hpp"
#include "core/store/database.hpp"
#include "core/util/time_format.hpp"

namespace hotline::admin {
namespace {

using store::Role;
using Result = store::RoleCheck::Result;

std::string name_of(Role role) {
  return std::string(store::display_name(role));
}

}  // namespace

void require(const RoleGrant& grant, Role role, std::string_view what) {
  if (grant.role() != role) {
    // "an": official, operator and administrator all begin with a vowel.
    throw AccessDenied("only an " + name_of(role) + " can " + std::string(what) + " (this is an " +
                       name_of(grant.role()) + "'s session)");
  }
}

RoleGate::RoleGate(identity::Profile& profile, AuditTrail& audit, crypto::PassphraseCost cost)
    : profile_(profile), audit_(audit), roles_(profile.database()), cost_(cost) {}

RoleGrant RoleGate::official(std::string actor) const {
  return RoleGrant(Role::kOfficial, std::move(actor));
}

bool RoleGate::has_passphrase(Role role) {
  return roles_.has_passphrase(role);
}

RoleGrant RoleGate::unlock(Role role, std::string_view passphrase, std::string actor) {
  if (role == Role::kOfficial) return official(std::move(actor));
  const std::string name = name_of(role);
  // The operator's history is read on another thread while the passphrase is checked here
  // (Argon2id): once it is accepted, only opening the rows is left (docs/performance.md). A
  // wrong passphrase stops the read (the thread's destructor asks it to, and joins it).
  std::optional<store::HistoryRecords::ReadAhead> ahead;
  std::jthread reader;
  if (role == Role::kOperator) {
    try {
      reader = std::jthread([&ahead, path = profile_.database().path()](std::stop_token stop) {
        try {
          ahead.emplace(store::HistoryRecords::ReadAhead::read(path, stop));
        } catch (...) {
          // Not read ahead: the first query reads the table itself.
        }
      });
    } catch (const std::system_error&) {
      // No thread: the same.
    }
  }
  store::RoleCheck check = roles_.check(role, passphrase, unix_ms_now());
  switch (check.result) {
    case Result::kAccepted: {
      auto history = std::make_shared<store::HistoryRecords>(
          profile_.database(), take_records_key(role, passphrase, check));
      seal_waiting_history();
      audit_.record(role, actor, "role.unlock", audit_details(AuditDetail::kRoleUnlocked, {name}));
      if (reader.joinable()) reader.join();
      if (ahead) history->use(std::move(*ahead));
      return RoleGrant(role, std::move(actor), std::move(history));
    }
    case Result::kNotSet:
      audit_.record_unprivileged(actor, "role.unlock.refused",
                                 audit_details(AuditDetail::kRoleNotSet, {name}));
      throw AccessDenied(ErrorCode::kRoleNoPassphrase,
                         "no " + name + " passphrase is set on this console yet; " +
                             (role == Role::kAdministrator ? "set one first"
                                                           : "an administrator must set one first"),
                         {name});
    case Result::kThrottled:
      audit_.record_unprivileged(actor, "role.unlock.throttled",
                                 audit_details(AuditDetail::kRoleThrottled,
                                               {name, std::to_string(check.consecutive_failures)}));
      throw AccessDenied(ErrorCode::kRoleThrottled,
                         "too many wrong " + name + " passphrases: try again in " +
                             std::to_string(check.retry_after.count()) + " s",
                         {name, std::to_string(check.retry_after.count())});
    case Result::kWrong:
      break;
  }
  audit_.record_unprivileged(
      actor, "role.unlock.failed",
      audit_details(AuditDetail::kRoleWrong, {name, std::to_string(check.consecutive_failures)}));
  std::string message = "wrong " + name + " passphrase";
  if (check.retry_after.count() == 0)
    throw AccessDenied(ErrorCode::kRoleWrongPassphrase, message, {name});
  const std::string failures = std::to_string(check.consecutive_failures);
  const std::string seconds = std::to_string(check.retry_after.count());
  message += "; after " + failures + " in a row the role is locked for " + seconds + " s";
  throw AccessDenied(ErrorCode::kRoleWrongPassphraseLocked, message, {name, failures, seconds});
}

store::HistoryReaderKey RoleGate::take_records_key(Role role, std::string_view passphrase,
                                                   store::RoleCheck& check) {
  if (check.keys) {
    profile_.adopt_records_key(check.keys->records_key);
    return std::move(check.keys->reader);
  }
  // A passphrase set before the records key existed: it gets its wrap now, from a process
  // that holds the key through the console's identity.
  if (const store::RecordsKeys* keys = profile_.records_keys()) {
    return roles_.add_key_wrap(role, passphrase, cost_, keys->root);
  }
  throw AccessDenied(
      "the " + name_of(role) +
      " passphrase is right, but it does not open this console's records key yet; give the "
      "console's key passphrase once (--passphrase-file), which lets the role passphrase open "
      "it from then on");
}

void RoleGate::seal_waiting_history() {
  const store::RecordsKeys* keys = profile_.records_keys();
  if (!keys) return;
  store::Database& db = profile_.database();
  store::HistoryKeyStore(db).hand_pending_to_readers(*keys);
  store::seal_clear_history(db, *keys, unix_ms_now());
}

void RoleGate::set_first_passphrases(std::string_view admin,
                                     std::optional<std::string_view> operator_, std::string actor) {
  store::Transaction transaction(profile_.database());
  if (roles_.has_passphrase(Role::kAdministrator)) {
    throw AccessDenied(
        "this console already has an administrator passphrase; changing it needs the current one");
  }
  const store::RecordsKeys* keys = profile_.records_keys();
  if (!keys) {
    throw AccessDenied(
        "setting the first passphrases needs the console's key, so that they can open its "
        "records: give the key passphrase (--passphrase-file)");
  }
  require_strong_passphrase(admin, "administrator");
  if (operator_) {
    require_strong_passphrase(*operator_, "operator");
    require_different(*operator_, "operator", admin, "administrator");
  }
  roles_.set_passphrase(Role::kAdministrator, admin, cost_, unix_ms_now(), &keys->root);
  audit_.record(Role::kAdministrator, actor, "role.passphrase.set",
                audit_details(AuditDetail::kFirstAdminPassphrase, {}));
  if (operator_) {
    roles_.set_passphrase(Role::kOperator, *operator_, cost_, unix_ms_now(), &keys->root);
    audit_.record(Role::kAdministrator, actor, "role.passphrase.set",
                  audit_details(AuditDetail::kFirstOperatorPassphrase, {}));
  }
  // What was recorded before any role could read it goes to the roles now.
  store::HistoryKeyStore(profile_.database()).hand_pending_to_readers(*keys);
  transaction.commit();
  store::seal_clear_history(profile_.database(), *keys, unix_ms_now());
}

void RoleGate::set_passphrase(const RoleGrant& admin, Role role, std::string_view passphrase) {
  require(admin, Role::kAdministrator, "set role passphrases");
  if (role == Role::kOfficial) throw Error("the official role has no passphrase");
  require_strong_passphrase(passphrase, name_of(role));
  const store::RecordsKeys* keys = profile_.records_keys();
  if (!keys) throw AccessDenied("setting a passphrase needs the console's records key");
  store::Database& db = profile_.database();
  store::Transaction transaction(db);
  const std::optional<store::HistoryReaderKey> reader =
      roles_.set_passphrase(role, passphrase, cost_, unix_ms_now(), &keys->root);
  // The role's new key opens the history the administrator can: every epoch is sealed to it.
  if (store::HistoryRecords* history = admin.history(); history && reader) {
    store::HistoryKeyring& keyring = history->keyring();
    keyring.refresh(db);
    store::HistoryKeyStore epochs(db);
    for (const auto& [epoch, key] : keyring.keys()) {
      epochs.share_epoch(epoch, key, role, reader->public_key);
    }
  }
  store::HistoryKeyStore(db).hand_pending_to_readers(*keys);
  audit_.record(Role::kAdministrator, admin.actor(), "role.passphrase.set",
                audit_details(AuditDetail::kPassphraseChanged, {name_of(role)}));
  transaction.commit();
}

}  // namespace hotline::admin
