#include "core/store/role_store.hpp"

#include <algorithm>

#include "core/store/database.hpp"
#include "core/store/history_keys.hpp"
#include "core/store/records_key.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

constexpr int kFreeFailures = 2;
// The verifier column of a role whose passphrase is checked by opening its key wrap.
constexpr std::string_view kWrapVerifier =
    "key-wrap";  // wrong passphrases allowed before the role shuts
constexpr std::chrono::seconds kFirstLockout{5};
constexpr std::chrono::seconds kMaxLockout{15 * 60};

void require_passphrase_role(Role role) {
  if (role == Role::kOfficial) throw Error("the official role has no passphrase");
}

struct Attempts {
  int consecutive = 0;
  std::optional<std::int64_t> last_failure_at;
};

Attempts read_attempts(Database& db, Role role) {
  Statement stmt =
      db.prepare("SELECT consecutive_failures, last_failure_at FROM role_attempts WHERE role = ?1");
  if (!stmt.bind(1, to_string(role)).step()) return {};
  return {static_cast<int>(stmt.column_int64(0)), stmt.column_optional_int64(1)};
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kOfficial:
      return "official";
    case Role::kOperator:
      return "operator";
    case Role::kAdministrator:
      break;
  }
  return "admin";
}

std::string_view display_name(Role role) {
  return role == Role::kAdministrator ? "administrator" : to_string(role);
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "official") return Role::kOfficial;
  if (text == "operator") return Role::kOperator;
  if (text == "admin" || text == "administrator") return Role::kAdministrator;
  return std::nullopt;
}

std::chrono::seconds RoleStore::lockout_after(int consecutive_failures) {
  if (consecutive_failures <= kFreeFailures) return std::chrono::seconds{0};
  const int doublings = std::min(consecutive_failures - kFreeFailures - 1, 20);
  return std::min(kFirstLockout * (std::int64_t{1} << doublings), kMaxLockout);
}

bool RoleStore::has_passphrase(Role role) {
  if (role == Role::kOfficial) return false;
  Statement stmt = db_->prepare("SELECT 1 FROM role_passphrases WHERE role = ?1");
  return stmt.bind(1, to_string(role)).step();
}

std::optional<HistoryReaderKey> RoleStore::set_passphrase(Role role, std::string_view passphrase,
                                                          crypto::PassphraseCost cost,
                                                          std::int64_t now_ms,
                                                          const crypto::SecretKey* records_key) {
  require_passphrase_role(role);
  if (passphrase.empty()) throw Error("the passphrase must not be empty");
  // With a wrap, opening it checks the passphrase: no second slow hash is stored.
  const std::string verifier =
      records_key ? std::string(kWrapVerifier) : crypto::hash_passphrase(passphrase, cost);
  std::optional<RoleWrap> wrap;
  if (records_key) wrap = RecordsKeyStore::wrap_for_role(role, passphrase, cost, *records_key);
  Transaction transaction(*db_);
  Statement upsert = db_->prepare(
      "INSERT INTO role_passphrases (role, verifier, set_at, key_wrap, reader_public, reader_mac) "
      "VALUES (?1, ?2, ?3, ?4, NULL, NULL) ON CONFLICT (role) DO UPDATE SET "
      "verifier = excluded.verifier, set_at = excluded.set_at, key_wrap = excluded.key_wrap, "
      "reader_public = NULL, reader_mac = NULL");
  upsert.bind(1, to_string(role)).bind(2, verifier).bind(3, now_ms);
  if (wrap) {
    upsert.bind(4, ByteSpan(wrap->wrap));
  } else {
    upsert.bind_null(4);
  }
  upsert.run();
  if (wrap) {
    HistoryKeyStore(*db_).set_reader(role, wrap->reader.public_key, RecordsKeys(*records_key));
  }
  db_->prepare("UPDATE role_attempts SET consecutive_failures = 0 WHERE role = ?1")
      .bind(1, to_string(role))
      .run();
  transaction.commit();
  if (!wrap) return std::nullopt;
  return std::move(wrap->reader);
}

HistoryReaderKey RoleStore::add_key_wrap(Role role, std::string_view passphrase,
                                         crypto::PassphraseCost cost,
                                         const crypto::SecretKey& records_key) {
  require_passphrase_role(role);
  RoleWrap wrap = RecordsKeyStore::wrap_for_role(role, passphrase, cost, records_key);
  Transaction transaction(*db_);
  db_->prepare("UPDATE role_passphrases SET key_wrap = ?2, verifier = ?3 WHERE role = ?1")
      .bind(1, to_string(role))
      .bind(2, ByteSpan(wrap.wrap))
      .bind(3, std::string(kWrapVerifier))
      .run();
  HistoryKeyStore(*db_).set_reader(role, wrap.reader.public_key, RecordsKeys(records_key));
  transaction.commit();
  return std::move(wrap.reader);
}

int RoleStore::consecutive_failures(Role role) {
  return role == Role::kOfficial ? 0 : read_attempts(*db_, role).consecutive;
}

RoleCheck RoleStore::check(Role role, std::string_view passphrase, std::int64_t now_ms) {
  require_passphrase_role(role);
  RoleCheck out;
  std::string verifier;
  std::optional<Bytes> wrap;
  {
    Transaction transaction(*db_);
    Statement stmt =
        db_->prepare("SELECT verifier, key_wrap FROM role_passphrases WHERE role = ?1");
    if (!stmt.bind(1, to_string(role)).step()) {
      out.result = RoleCheck::Result::kNotSet;
      return out;
    }
    verifier = stmt.column_text(0);
    if (!stmt.is_null(1)) {
      const ByteSpan blob = stmt.column_blob(1);
      wrap.emplace(blob.begin(), blob.end());
    }
    const Attempts before = read_attempts(*db_, role);
    const auto lockout = lockout_after(before.consecutive);
    if (before.last_failure_at && lockout.count() > 0) {
      const std::int64_t open_at = *before.last_failure_at + lockout.count() * 1000;
      if (now_ms < open_at) {
        out.result = RoleCheck::Result::kThrottled;
        out.consecutive_failures = before.consecutive;
        out.retry_after = std::chrono::seconds((open_at - now_ms + 999) / 1000);
        return out;
      }
    }
    // Counted as a failure now; a right passphrase clears it below.
    db_->prepare(
           "INSERT INTO role_attempts (role, consecutive_failures, total_failures, "
           "last_failure_at) VALUES (?1, 1, 1, ?2) ON CONFLICT (role) DO UPDATE SET "
           "consecutive_failures = consecutive_failures + 1, total_failures = total_failures + 1, "
           "last_failure_at = excluded.last_failure_at")
        .bind(1, to_string(role))
        .bind(2, now_ms)
        .run();
    transaction.commit();
  }
  if (wrap) {
    out.keys = RecordsKeyStore::unwrap_for_role(role, *wrap, passphrase);
  }
  if (wrap ? out.keys.has_value() : crypto::verify_passphrase(verifier, passphrase)) {
    Transaction transaction(*db_);
    // A wrap from before the sealed history (schema v5) gets its history key at the first
    // unlock; one already stored is only ever replaced with the passphrase.
    if (out.keys && !db_->prepare("SELECT 1 FROM role_passphrases WHERE role = ?1 AND "
                                  "reader_public IS NOT NULL")
                         .bind(1, to_string(role))
                         .step()) {
      HistoryKeyStore(*db_).set_reader(role, out.keys->reader.public_key,
                                       RecordsKeys(out.keys->records_key));
    }
    db_->prepare(
           "UPDATE role_attempts SET consecutive_failures = 0, total_failures = "
           "max(0, total_failures - 1) WHERE role = ?1")
        .bind(1, to_string(role))
        .run();
    transaction.commit();
    out.result = RoleCheck::Result::kAccepted;
    return out;
  }
  out.result = RoleCheck::Result::kWrong;
  out.consecutive_failures = read_attempts(*db_, role).consecutive;
  out.retry_after = lockout_after(out.consecutive_failures);
  return out;
}

}  // namespace hotline::store
