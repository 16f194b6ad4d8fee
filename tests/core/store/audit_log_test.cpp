// The audit log's tamper evidence: edits, removals (in the middle and off the end), reorders
// and forged signatures are found and the first bad entry named; entries made while the key
// was locked are signed later.

#include "core/store/audit_log.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/store/database.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Catch::Matchers::ContainsSubstring;

namespace {

struct Fixture {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  crypto::Identity console = crypto::Identity::generate();
  AuditLog log{db, console.public_key()};

  void append_five(const crypto::Identity* signer) {
    for (int i = 1; i <= 5; ++i) {
      log.append("admin", "chen", "peer.import", "peer " + std::to_string(i), 1000 * i, signer);
    }
  }
};

}  // namespace

TEST_CASE("a signed log verifies; entries are numbered and chained") {
  Fixture f;
  const AuditVerdict empty = f.log.verify();
  CHECK(empty.intact);
  CHECK(empty.entries == 0);
  f.append_five(&f.console);
  const auto entries = f.log.list();
  REQUIRE(entries.size() == 5);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CHECK(entries[i].seq == static_cast<std::int64_t>(i) + 1);
    CHECK(entries[i].signature.has_value());
    if (i > 0) CHECK(entries[i].prev_hash == AuditLog::entry_hash(entries[i - 1]));
  }
  const AuditVerdict v = f.log.verify();
  CHECK(v.intact);
  CHECK(v.entries == 5);
  CHECK(v.unsigned_entries == 0);
}

TEST_CASE("an edited entry is named by its signature") {
  Fixture f;
  f.append_five(&f.console);
  f.db.exec("UPDATE audit_log SET details = 'peer 99' WHERE seq = 3");
  const AuditVerdict v = f.log.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 3);
  CHECK_THAT(v.problem, ContainsSubstring("entry 3 was edited"));
}

TEST_CASE("a removed entry leaves a gap that is named") {
  Fixture f;
  f.append_five(&f.console);
  f.db.exec("DELETE FROM audit_log WHERE seq = 2");
  const AuditVerdict v = f.log.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 2);
  CHECK_THAT(v.problem, ContainsSubstring("entry 2 was removed"));
}

TEST_CASE("entries cut off the end disagree with the signed head") {
  Fixture f;
  f.append_five(&f.console);
  f.db.exec("DELETE FROM audit_log WHERE seq >= 4");
  AuditVerdict v = f.log.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 4);
  CHECK_THAT(v.problem, ContainsSubstring("entries 4 to 5 were removed from the end"));
  // Removing the head too is noticed, and stays on record once the log carries on.
  f.db.exec("DELETE FROM audit_head");
  v = f.log.verify();
  CHECK_FALSE(v.intact);
  CHECK_THAT(v.problem, ContainsSubstring("head record is missing"));
  f.log.append("admin", "chen", "peer.verify", "later", 9000, &f.console);
  v = f.log.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 4);
  CHECK_THAT(v.problem, ContainsSubstring("head record was missing"));
}

TEST_CASE("reordered entries are named at the first place the order breaks") {
  Fixture f;
  f.append_five(&f.console);
  f.db.exec(
      "UPDATE audit_log SET seq = 100 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; "
      "UPDATE audit_log SET seq = 4 WHERE seq = 100;");
  const AuditVerdict v = f.log.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 3);
}

TEST_CASE("a log signed by another key, or moved from another console, does not verify") {
  Fixture f;
  const crypto::Identity stranger = crypto::Identity::generate();
  CHECK_THROWS(f.log.append("admin", "x", "a", "d", 1, &stranger));
  AuditLog other_console(f.db, stranger.public_key());
  other_console.append("admin", "x", "a", "d", 1, &stranger);
  const AuditVerdict v = f.log.verify();  // our genesis differs, and so does the key
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 1);
}

TEST_CASE("entries made while the key is locked are signed later, chain checked first") {
  Fixture f;
  f.log.append("admin", "chen", "peer.import", "signed", 1000, &f.console);
  f.log.append("-", "chen", "role.unlock.failed", "wrong passphrase", 2000, nullptr);
  f.log.append("admin", "chen", "peer.verify", "unsigned", 3000, nullptr);
  AuditVerdict v = f.log.verify();
  CHECK(v.intact);
  CHECK(v.unsigned_entries == 2);
  CHECK(f.log.sign_pending(f.console) == 2);
  v = f.log.verify();
  CHECK(v.intact);
  CHECK(v.unsigned_entries == 0);
  CHECK(f.log.sign_pending(f.console) == 0);

  // A forged unsigned row is never signed: it does not follow the chain.
  f.log.append("admin", "chen", "peer.psk.set", "pending", 4000, nullptr);
  f.db.exec("UPDATE audit_log SET details = 'forged' WHERE seq = 4");
  CHECK(f.log.sign_pending(f.console) == 0);
  CHECK_FALSE(f.log.verify().intact);
}
