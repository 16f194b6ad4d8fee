#pragma once
// The roles of a console and what it stores about them: an Argon2id verifier of the operator
// and the administrator passphrases, and how many wrong passphrases were given. The official
// role has no passphrase (a hotline must ring). Wrong passphrases slow the next attempt down:
// from the third in a row, the role stays shut for 5 s, doubling to at most 15 minutes. An
// attempt counts as a failure before the (slow) check, so attempts started in parallel are
// slowed down as much as attempts one after another.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/passphrase_hash.hpp"
#include "core/crypto/secret.hpp"
#include "core/util/bytes.hpp"

namespace hotline::store {

class Database;

enum class Role { kOfficial, kOperator, kAdministrator };

using PublicKey = std::array<std::uint8_t, 32>;

// The X25519 key pair a role opens the sealed call history with. It is derived from the same
// Argon2id key as the role's wrap, so the console (which holds the records key but no role
// passphrase) can seal to it and never read it back.
struct HistoryReaderKey {
  Role role = Role::kOperator;
  crypto::SecretKey secret;
  PublicKey public_key{};
};

struct RoleWrap {
  Bytes wrap;
  HistoryReaderKey reader;
};

struct RoleKeys {
  crypto::SecretKey records_key;
  HistoryReaderKey reader;
};

std::string_view to_string(Role role);  // "official", "operator", "admin"
// "official", "operator", "admin" or "administrator".
std::optional<Role> parse_role(std::string_view text);
std::string_view display_name(Role role);  // "official", "operator", "administrator"

struct RoleCheck {
  enum class Result {
    kAccepted,
    kWrong,      // counted
    kThrottled,  // refused unchecked: too many wrong passphrases just now
    kNotSet,     // the role has no passphrase yet
  };
  Result result = Result::kWrong;
  int consecutive_failures = 0;         // after this attempt
  std::chrono::seconds retry_after{0};  // kThrottled, or kWrong when the next one must wait
  // kAccepted with a wrap of the records key: the key it opened and the role's history key
  // (records_key.hpp).
  std::optional<RoleKeys> keys;
};

class RoleStore {
 public:
  explicit RoleStore(Database& db) : db_(&db) {}

  // Only operator and administrator have passphrases.
  bool has_passphrase(Role role);
  // Replaces the verifier and clears the failure count; with `records_key`, the passphrase
  // wraps it, and the wrap (not the verifier) is what check() opens from then on, and the
  // role's history key's public half is stored (the key is returned). Throws for the official role
  // or an empty passphrase.
  std::optional<HistoryReaderKey> set_passphrase(Role role, std::string_view passphrase,
                                                 crypto::PassphraseCost cost, std::int64_t now_ms,
                                                 const crypto::SecretKey* records_key = nullptr);
  // Adds the wrap (and the role's history key, returned) to a passphrase set before the records key
  // existed (after check() accepted it through the verifier).
  HistoryReaderKey add_key_wrap(Role role, std::string_view passphrase, crypto::PassphraseCost cost,
                                const crypto::SecretKey& records_key);
  RoleCheck check(Role role, std::string_view passphrase, std::int64_t now_ms);
  int consecutive_failures(Role role);

  // How long the role stays shut after this many wrong passphrases in a row.
  static std::chrono::seconds lockout_after(int consecutive_failures);

 private:
  Database* db_;
};

}  // namespace hotline::store
