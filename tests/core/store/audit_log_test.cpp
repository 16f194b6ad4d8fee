// The audit log's tamper evidence, each case an attack made with file access alone (sqlite3
// on the database, no passphrase): edits, removals in the middle and off the end (with the
// head rewritten to match), reorders, forged entries, a log moved from another console. Each
// is found and named; entries MAC'd by a role are signed later, forged ones never.

#include "core/store/audit_log.hpp"

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <filesystem>

#include "core/store/audit_codec.hpp"
#include "core/store/database.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Catch::Matchers::ContainsSubstring;

namespace {

crypto::SecretKey random_key() {
  crypto::SecretKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

struct Fixture {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  crypto::Identity console = crypto::Identity::generate();
  crypto::SecretKey mac_key = random_key();
  AuditLog log{db, console.public_key()};

  std::filesystem::path anchor() const { return dir.path() / AuditLog::kAnchorFileName; }

  void append_signed(int count) {
    for (int i = 1; i <= count; ++i) {
      log.append("admin", "chen", "peer.import", "peer " + std::to_string(i), 1000 * i, &console);
    }
  }
  AuditVerdict verify() { return log.verify(&mac_key); }

  // What an attacker with sqlite3 does to append an entry: chain it correctly (the hash needs
  // no key) and move the head, which it cannot sign or MAC.
  void forge(std::string_view action, std::string_view details) {
    const std::vector<AuditEntry> entries = log.list();
    AuditEntry e;
    e.seq = entries.back().seq + 1;
    e.at = 99000;
    e.role = "admin";
    e.actor = "alice";
    e.action = std::string(action);
    e.details = std::string(details);
    e.prev_hash = AuditLog::entry_hash(entries.back());
    db.prepare(
          "INSERT INTO audit_log (seq, at, role, actor, action, details, prev_hash) VALUES "
          "(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, e.seq)
        .bind(2, e.at)
        .bind(3, e.role)
        .bind(4, e.actor)
        .bind(5, e.action)
        .bind(6, e.details)
        .bind(7, ByteSpan(e.prev_hash))
        .run();
    audit_codec::write_head(db, audit_codec::Head{e.seq, AuditLog::entry_hash(e), {}, {}});
  }
  // Deletes entries from `first` on and leaves a bare head over the entry before them.
  void truncate_from(std::int64_t first) {
    db.prepare("DELETE FROM audit_log WHERE seq >= ?1").bind(1, first).run();
    const AuditEntry last = log.list().back();
    audit_codec::write_head(db, audit_codec::Head{last.seq, AuditLog::entry_hash(last), {}, {}});
  }
};

}  // namespace

TEST_CASE("a signed log verifies; entries are numbered and chained") {
  Fixture f;
  const AuditVerdict empty = f.verify();
  CHECK(empty.intact);
  CHECK(empty.entries == 0);
  f.append_signed(5);
  const auto entries = f.log.list();
  REQUIRE(entries.size() == 5);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CHECK(entries[i].seq == static_cast<std::int64_t>(i) + 1);
    CHECK(entries[i].signature.has_value());
    if (i > 0) CHECK(entries[i].prev_hash == AuditLog::entry_hash(entries[i - 1]));
  }
  const AuditVerdict v = f.verify();
  CHECK(v.intact);
  CHECK(v.strict);
  CHECK(v.anchor_checked);
  CHECK(v.entries == 5);
  CHECK(v.unsigned_entries == 0);
}

TEST_CASE("attack: an edited entry is named by its signature") {
  Fixture f;
  f.append_signed(5);
  f.db.exec("UPDATE audit_log SET details = 'peer 99' WHERE seq = 3");
  const AuditVerdict v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.finding == AuditFinding::kEdited);
  CHECK(v.first_bad == 3);
  CHECK_THAT(v.problem, ContainsSubstring("entry 3 was edited"));
}

TEST_CASE("attack: removed entries leave a gap that is named") {
  Fixture f;
  f.append_signed(5);
  f.db.exec("DELETE FROM audit_log WHERE seq IN (2, 3)");
  const AuditVerdict v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.finding == AuditFinding::kRemoved);
  CHECK(v.first_bad == 2);
  CHECK_THAT(v.problem, ContainsSubstring("entries 2 to 3 were removed"));
}

TEST_CASE("attack: entries cut off the end, the head rewritten to match, are found") {
  Fixture f;
  f.append_signed(10);
  // The review's attack: entries 5 to 10 deleted, an unsigned head left over entry 4.
  f.truncate_from(5);
  AuditVerdict v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.finding == AuditFinding::kTruncated);
  CHECK(v.first_bad == 5);
  CHECK_THAT(v.problem, ContainsSubstring("entries 5 to 10 were removed from the end"));
  CHECK(to_string(v.finding) == "truncated");

  // The anchor file deleted too: the bare head over a signed entry gives it away.
  std::filesystem::remove(f.anchor());
  v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.finding == AuditFinding::kTruncated);
  CHECK_THAT(v.problem, ContainsSubstring("anchor file audit.anchor is missing"));

  // Not signed over by the next keyed process either.
  CHECK(f.log.sign_pending(f.console, &f.mac_key) == 0);
  CHECK_FALSE(f.verify().intact);
}

TEST_CASE("attack: the head removed as well is noticed, and stays on record") {
  Fixture f;
  f.append_signed(5);
  f.db.exec("DELETE FROM audit_log WHERE seq >= 4; DELETE FROM audit_head");
  AuditVerdict v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.finding == AuditFinding::kTruncated);
  f.log.append("admin", "chen", "peer.verify", "later", 9000, &f.console);
  v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 4);
  CHECK_THAT(v.problem, ContainsSubstring("head record was missing"));
}

TEST_CASE("attack: an edited anchor file is named") {
  Fixture f;
  f.append_signed(3);
  std::FILE* file = std::fopen(f.anchor().c_str(), "r+b");
  REQUIRE(file != nullptr);
  std::fseek(file, 9, SEEK_SET);
  std::fputc(2, file);  // seq 3 -> 2
  std::fclose(file);
  const AuditVerdict v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.finding == AuditFinding::kEdited);
  CHECK_THAT(v.problem, ContainsSubstring("anchor file audit.anchor was edited"));
}

TEST_CASE("attack: reordered entries are named at the first place the order breaks") {
  Fixture f;
  f.append_signed(5);
  f.db.exec(
      "UPDATE audit_log SET seq = 100 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; "
      "UPDATE audit_log SET seq = 4 WHERE seq = 100;");
  const AuditVerdict v = f.verify();
  CHECK_FALSE(v.intact);  // an entry's number is in its hash: its signature no longer matches
  CHECK(v.first_bad == 3);
}

TEST_CASE("a log signed by another key, or moved from another console, does not verify") {
  Fixture f;
  const crypto::Identity stranger = crypto::Identity::generate();
  CHECK_THROWS(f.log.append("admin", "x", "a", "d", 1, &stranger));
  AuditLog other_console(f.db, stranger.public_key());
  other_console.append("admin", "x", "a", "d", 1, &stranger);
  const AuditVerdict v = f.verify();  // our genesis differs, and so does the key
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 1);
}

TEST_CASE("entries a role MACs are signed later; unlock attempts without a key never are") {
  Fixture f;
  const AuditAuthority role{nullptr, &f.mac_key};
  const AuditAuthority nobody{};
  f.log.append("admin", "chen", "peer.import", "signed", 1000, &f.console);
  f.log.append("-", "chen", "role.unlock.failed", "wrong passphrase", 2000, nobody);
  f.log.append("admin", "chen", "peer.verify", "by the role", 3000, role);
  AuditVerdict v = f.verify();
  CHECK(v.intact);
  CHECK(v.unsigned_entries == 1);
  CHECK(v.unauthenticated_entries == 1);
  CHECK(f.log.sign_pending(f.console, &f.mac_key) == 1);
  v = f.verify();
  CHECK(v.intact);
  CHECK(v.unsigned_entries == 0);
  CHECK(v.unauthenticated_entries == 1);  // reported, not adopted
  const auto entries = f.log.list();
  CHECK_FALSE(entries[1].signature.has_value());
  CHECK(entries[2].signature.has_value());

  // Only unlock attempts may go on record without a key.
  CHECK_THROWS_WITH(f.log.append("admin", "chen", "peer.enable", "x", 4000, nobody),
                    ContainsSubstring("only with the console's key or a role's key"));
  CHECK(f.log.list().size() == 3);
}

TEST_CASE("attack: a forged entry appended to the log is named and never signed") {
  Fixture f;
  f.append_signed(5);
  f.forge("peer.verify", "bob: fingerprint verified by alice");
  AuditVerdict v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.finding == AuditFinding::kForged);
  CHECK(v.first_bad == 6);
  CHECK_THAT(v.problem, ContainsSubstring("entry 6 (peer.verify) is forged"));
  // The next start does not adopt it (it used to sign any correctly chained run).
  CHECK(f.log.sign_pending(f.console, &f.mac_key) == 0);
  CHECK_FALSE(f.log.list().back().signature.has_value());
  CHECK(f.verify().finding == AuditFinding::kForged);
}

TEST_CASE("attack: an entry edited under a forged MAC does not verify") {
  Fixture f;
  f.log.append("admin", "chen", "peer.verify", "by the role", 3000, {nullptr, &f.mac_key});
  f.db.exec("UPDATE audit_log SET details = 'by alice' WHERE seq = 1");
  const AuditVerdict v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.finding == AuditFinding::kEdited);
  CHECK_THAT(v.problem, ContainsSubstring("its MAC does not match"));
  // Without the key the MAC cannot be judged: the verdict says it was not strict.
  CHECK_FALSE(f.log.verify(nullptr).strict);
}
