// Role passphrases: verified against Argon2id hashes, wrong ones counted and slowing the next
// attempt down, all state in the store (so a new process is slowed down just the same).

#include "core/store/role_store.hpp"

#include <catch2/catch_test_macros.hpp>

#include "core/store/database.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Result = RoleCheck::Result;
using std::chrono::seconds;

namespace {
constexpr auto kCost = crypto::PassphraseCost::kInteractive;
}

TEST_CASE("a role's passphrase is checked; a role without one is not set") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  RoleStore roles(db);
  CHECK_FALSE(roles.has_passphrase(Role::kAdministrator));
  CHECK(roles.check(Role::kAdministrator, "anything", 0).result == Result::kNotSet);
  roles.set_passphrase(Role::kAdministrator, "correct horse", kCost, 0);
  CHECK(roles.has_passphrase(Role::kAdministrator));
  CHECK_FALSE(roles.has_passphrase(Role::kOperator));
  CHECK(roles.check(Role::kAdministrator, "correct horse", 1000).result == Result::kAccepted);
  CHECK(roles.check(Role::kAdministrator, "correct hors", 2000).result == Result::kWrong);
  CHECK(roles.check(Role::kOperator, "correct horse", 3000).result == Result::kNotSet);
  // Only a slow hash is stored.
  Statement stmt = db.prepare("SELECT verifier FROM role_passphrases");
  REQUIRE(stmt.step());
  CHECK(stmt.column_text(0).rfind("$argon2id$", 0) == 0);
  CHECK(stmt.column_text(0).find("correct") == std::string::npos);
  CHECK_THROWS(roles.set_passphrase(Role::kOfficial, "x", kCost, 0));
  CHECK_THROWS(roles.set_passphrase(Role::kOperator, "", kCost, 0));
}

TEST_CASE("wrong passphrases shut the role for longer and longer, across connections") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  Database db = Database::open(path);
  RoleStore roles(db);
  roles.set_passphrase(Role::kOperator, "right", kCost, 0);
  std::int64_t now = 1'000'000;
  CHECK(roles.check(Role::kOperator, "wrong", now).result == Result::kWrong);
  CHECK(roles.check(Role::kOperator, "wrong", now).result == Result::kWrong);
  const RoleCheck third = roles.check(Role::kOperator, "wrong", now);
  CHECK(third.result == Result::kWrong);
  CHECK(third.consecutive_failures == 3);
  CHECK(third.retry_after == seconds(5));

  // Another process (connection) is held off just the same, even with the right passphrase.
  Database other = Database::open(path);
  const RoleCheck held = RoleStore(other).check(Role::kOperator, "right", now + 4000);
  CHECK(held.result == Result::kThrottled);
  CHECK(held.retry_after == seconds(1));
  CHECK(roles.consecutive_failures(Role::kOperator) == 3);  // a throttled try is not counted

  const RoleCheck fourth = roles.check(Role::kOperator, "wrong", now + 5000);
  CHECK(fourth.result == Result::kWrong);
  CHECK(fourth.retry_after == seconds(10));
  CHECK(roles.check(Role::kOperator, "right", now + 14'000).result == Result::kThrottled);
  CHECK(roles.check(Role::kOperator, "right", now + 15'000).result == Result::kAccepted);
  CHECK(roles.consecutive_failures(Role::kOperator) == 0);
  CHECK(roles.check(Role::kOperator, "wrong", now + 16'000).retry_after == seconds(0));
}

TEST_CASE("the lockout doubles from 5 s up to 15 minutes") {
  CHECK(RoleStore::lockout_after(0) == seconds(0));
  CHECK(RoleStore::lockout_after(2) == seconds(0));
  CHECK(RoleStore::lockout_after(3) == seconds(5));
  CHECK(RoleStore::lockout_after(4) == seconds(10));
  CHECK(RoleStore::lockout_after(9) == seconds(320));
  CHECK(RoleStore::lockout_after(10) == seconds(640));
  CHECK(RoleStore::lockout_after(11) == seconds(900));
  CHECK(RoleStore::lockout_after(1000) == seconds(900));
}

TEST_CASE("role names parse") {
  CHECK(parse_role("admin") == Role::kAdministrator);
  CHECK(parse_role("administrator") == Role::kAdministrator);
  CHECK(parse_role("operator") == Role::kOperator);
  CHECK(parse_role("official") == Role::kOfficial);
  CHECK_FALSE(parse_role("root"));
}
