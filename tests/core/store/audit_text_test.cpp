// The audit entries' text sealed to the roles that read records (schema 7), attacked with
// file access alone: the text is not in the file, a sealed box edited, moved or given clear
// text beside it is named, and a log written in the clear is sealed once without losing its
// chain or signatures.

#include <sodium.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/store/audit_log.hpp"
#include "core/store/database.hpp"
#include "core/store/history_keys.hpp"
#include "tests/support/sealed_history.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Catch::Matchers::ContainsSubstring;
using Text = AuditEntry::Text;

namespace {

constexpr std::string_view kActor = "Colonel Wei Jianguo";
constexpr std::string_view kDetails = "Singapore: fingerprint 4F2A 19C3 verified by voice";

struct SealedAuditFixture {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  crypto::Identity console = crypto::Identity::generate();
  crypto::SecretKey mac_key = test::random_key();
  AuditLog log{db, console.public_key()};

  // The file as an attacker with sqlite3 or a hex editor sees it, the write-ahead log folded in.
  std::string raw() {
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return test::file_bytes(dir.path() / "hotline.db");
  }
  AuditVerdict verify() { return log.verify(&mac_key); }
};

// A log as the console writes it: signed entries whose text is sealed under an epoch.
struct SealedLog : SealedAuditFixture {
  test::SealedHistory sealed{db};
  HistoryRecords reader = sealed.reader();  // the operator's keys

  void append(std::string_view action, std::string_view details, std::int64_t at) {
    log.append("admin", kActor, action, details, at,
               AuditAuthority{&console, nullptr, sealed.epoch.get()});
  }
  std::vector<AuditEntry> read() { return log.read(reader.keyring()); }
};

}  // namespace

TEST_CASE("sealed audit text: with the file alone, only numbers, times and actions are read") {
  SealedLog f;
  f.append("peer.import", "Singapore imported", 1000);
  f.append("peer.verify", kDetails, 2000);
  f.append("peer.disable", "Singapore disabled", 3000);

  const std::string raw = f.raw();
  CHECK(raw.find(kActor) == std::string::npos);
  CHECK(raw.find(kDetails) == std::string::npos);
  CHECK(raw.find("Singapore") == std::string::npos);
  for (const AuditEntry& e : f.log.list()) {
    CHECK(e.text == Text::kSealed);
    CHECK(e.role.empty());
    CHECK(e.actor.empty());
    CHECK(e.details.empty());
    CHECK(e.epoch == f.sealed.epoch->id);
  }
  CHECK(f.log.list()[1].action == "peer.verify");  // the action stays readable

  const std::vector<AuditEntry> read = f.read();
  REQUIRE(read.size() == 3);
  CHECK(read[1].text == Text::kOpened);
  CHECK(read[1].role == "admin");
  CHECK(read[1].actor == kActor);
  CHECK(read[1].details == kDetails);
  const AuditVerdict v = f.verify();
  CHECK(v.intact);
  CHECK(v.unsigned_entries == 0);
  CHECK(f.log.verify(nullptr).intact);  // the chain needs no key to be checked
}

TEST_CASE("attack: a sealed entry's box edited, moved, or given clear text beside it is named") {
  SealedLog f;
  for (int i = 1; i <= 4; ++i) f.append("peer.verify", kDetails, 1000 * i);
  REQUIRE(f.verify().intact);

  SECTION("one byte of the box flipped") {
    Bytes box = f.log.list()[1].box;
    box.at(30) ^= 0x01;
    f.db.prepare("UPDATE audit_log SET box = ?1 WHERE seq = 2").bind(1, ByteSpan(box)).run();
    const AuditVerdict v = f.verify();
    CHECK_FALSE(v.intact);
    CHECK(v.finding == AuditFinding::kEdited);
    CHECK(v.first_bad == 2);
    CHECK(f.read()[1].text == Text::kUnreadable);
  }
  SECTION("entry 3's box moved into entry 2") {
    f.db.exec("UPDATE audit_log SET box = (SELECT box FROM audit_log WHERE seq = 3) WHERE seq = 2");
    CHECK(f.verify().first_bad == 2);
    CHECK(f.read()[1].text == Text::kUnreadable);  // bound to its seq: it does not open there
  }
  SECTION("clear text written beside the sealed text") {
    f.db.exec("UPDATE audit_log SET actor = 'alice', details = 'nothing happened' WHERE seq = 2");
    const AuditVerdict v = f.verify();
    CHECK_FALSE(v.intact);
    CHECK(v.finding == AuditFinding::kEdited);
    CHECK_THAT(v.problem, ContainsSubstring("entry 2 was edited: text was written beside"));
    CHECK(f.read()[1].actor == kActor);  // what is shown is what was sealed
  }
  SECTION("boxes that are no box: each kind cut short, counts that do not fit") {
    const Bytes whole = f.log.list()[1].box;
    std::vector<Bytes> junk = {
        {0x01},       {0x02},          {0x02, 0x00}, {0x02, 0x01}, {0x02, 0xff, 0x02},
        {0x03, 0x00}, Bytes(200, 0x02)};
    for (std::size_t cut = 0; cut < whole.size(); cut += 7) {
      junk.emplace_back(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut));
    }
    for (const Bytes& box : junk) {
      CAPTURE(box.size());
      f.db.prepare("UPDATE audit_log SET box = ?1 WHERE seq = 2").bind(1, ByteSpan(box)).run();
      const std::vector<AuditEntry> read = f.read();
      CHECK(read[1].text == (box.empty() ? Text::kClear : Text::kUnreadable));
      CHECK_FALSE(f.verify().intact);
    }
  }
  SECTION("the box removed, the entry made a clear one with forged text") {
    f.db.exec(
        "UPDATE audit_log SET box = NULL, role = 'admin', actor = 'alice', "
        "details = 'nothing happened' WHERE seq = 2");
    const AuditVerdict v = f.verify();
    CHECK_FALSE(v.intact);
    CHECK(v.first_bad == 2);
    CHECK_THAT(v.problem, ContainsSubstring("signature does not match"));
  }
}

TEST_CASE("a process holding no key seals its unlock attempts to the roles' keys") {
  SealedLog f;
  f.append("peer.import", "Singapore imported", 1000);
  f.log.append("-", kActor, "role.unlock.failed", "wrong operator passphrase (3 in a row)", 2000,
               AuditAuthority{});
  const AuditEntry stored = f.log.list()[1];
  CHECK(stored.sealed());
  CHECK(stored.epoch == 0);  // no epoch: sealed to each role's key
  CHECK(stored.actor.empty());
  CHECK(f.raw().find("wrong operator passphrase") == std::string::npos);

  const AuditEntry opened = f.read()[1];
  CHECK(opened.text == Text::kOpened);
  CHECK(opened.actor == kActor);
  CHECK(opened.details == "wrong operator passphrase (3 in a row)");
  // A key that is not the role's does not open it.
  HistoryRecords stranger(f.db, test::random_reader(Role::kOperator));
  CHECK(f.log.read(stranger.keyring())[1].text == Text::kUnreadable);
  const AuditVerdict v = f.verify();
  CHECK(v.intact);
  CHECK(v.unauthenticated_entries == 1);
}

TEST_CASE("a log written in the clear is sealed once, its chain and signatures made again") {
  SealedAuditFixture f;
  // Entries of an earlier version, or written while no role had a key: in the clear.
  f.log.append("admin", kActor, "peer.import", "Singapore imported", 1000, &f.console);
  f.log.append("-", kActor, "role.unlock.failed", "wrong administrator passphrase", 2000,
               AuditAuthority{});
  f.log.append("admin", kActor, "peer.verify", kDetails, 3000, {nullptr, &f.mac_key});
  REQUIRE(f.log.has_clear_entries());
  REQUIRE(f.raw().find(kDetails) != std::string::npos);
  const std::vector<AuditEntry> before = f.log.list();

  test::SealedHistory sealed(f.db);
  SECTION("sealed by the console-key holder") {
    CHECK(f.log.seal_clear(f.console, f.mac_key, *sealed.epoch) == 3);
    CHECK_FALSE(f.log.has_clear_entries());
    CHECK(f.raw().find(kDetails) == std::string::npos);
    CHECK(f.raw().find(kActor) == std::string::npos);
    const AuditVerdict v = f.verify();
    CHECK(v.intact);
    CHECK(v.anchor_checked);
    CHECK(v.unsigned_entries == 0);         // the role's MAC'd entry is signed now
    CHECK(v.unauthenticated_entries == 1);  // the keyless attempt is still not vouched for
    HistoryRecords reader = sealed.reader();
    const std::vector<AuditEntry> after = f.log.read(reader.keyring());
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
      CHECK(after[i].text == Text::kOpened);
      CHECK(after[i].seq == before[i].seq);
      CHECK(after[i].at == before[i].at);
      CHECK(after[i].action == before[i].action);
      CHECK(after[i].role == before[i].role);
      CHECK(after[i].actor == before[i].actor);
      CHECK(after[i].details == before[i].details);
    }
    CHECK_FALSE(after[1].signature.has_value());
    CHECK(f.log.seal_clear(f.console, f.mac_key, *sealed.epoch) == 0);  // once
    // The log goes on from the new head.
    f.log.append("admin", kActor, "peer.disable", "Singapore disabled", 4000,
                 AuditAuthority{&f.console, nullptr, sealed.epoch.get()});
    CHECK(f.verify().intact);
  }
  SECTION("a log found tampered with is left as it is") {
    f.db.exec("UPDATE audit_log SET details = 'nothing happened' WHERE seq = 1");
    CHECK(f.log.seal_clear(f.console, f.mac_key, *sealed.epoch) == 0);
    CHECK(f.log.has_clear_entries());
    CHECK(f.verify().first_bad == 1);
  }
}
