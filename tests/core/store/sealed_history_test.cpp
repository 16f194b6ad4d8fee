// The call history against someone with the files (docs/records.md, "Sealed history"): no
// field of a call is in the database in the clear, the console reads back only its own
// start's rows, a key swapped into the file receives nothing, a box moved to another row
// does not open, and clear rows of an earlier version are sealed with their ids.

#include "tests/support/sealed_history.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/store/migrations.hpp"
#include "core/store/record_codec.hpp"
#include "core/store/sealed_call.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr std::string_view kPeer = "Ulaanbaatar Duty Desk";
constexpr std::string_view kSas = "Burbank Medusa miser vagabond";
constexpr std::string_view kNote = "called back at 04:00 via the duty officer";
constexpr std::string_view kFingerprint = "43121 99870 55512 90017";

CallRecord secret_call(std::int64_t started) {
  CallRecord r;
  r.peer_name = std::string(kPeer);
  r.peer_fingerprint = std::string(kFingerprint);
  r.direction = CallDirection::kIn;
  r.started_at = r.last_seen_at = started;
  r.sas = std::string(kSas);
  r.ended_at = started + 60'000;
  r.outcome = CallOutcome::kAnswered;
  return r;
}

// What an attacker with the files reads: the database and its write-ahead log, raw.
std::string raw_profile(const std::filesystem::path& db_path) {
  std::string all = test::file_bytes(db_path);
  const auto wal = std::filesystem::path(db_path.string() + "-wal");
  if (std::filesystem::exists(wal)) all += test::file_bytes(wal);
  return all;
}

// ... and every value of every table, as `sqlite3 .dump` prints them.
std::string dumped_text(Database& db) {
  std::string out;
  Statement tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'");
  while (tables.step()) {
    Statement rows = db.prepare("SELECT * FROM \"" + tables.column_text(0) + "\"");
    while (rows.step()) {
      for (int c = 0; c < rows.columns(); ++c) {
        if (!rows.is_null(c)) out += rows.column_text(c) + "\n";
      }
    }
  }
  return out;
}

void check_nothing_in_the_clear(Database& db) {
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  for (const std::string& seen : {raw_profile(db.path()), dumped_text(db)}) {
    for (std::string_view secret : {kPeer, kSas, kNote, kFingerprint}) {
      INFO(secret);
      CHECK(seen.find(secret) == std::string::npos);
    }
  }
}

}  // namespace

TEST_CASE("no field of a call is in the database file, its log or a dump in the clear") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  CallHistory writer = sealed.writer();
  const std::int64_t id = writer.begin(secret_call(1'700'000'000'000));
  HistoryRecords records = sealed.reader();
  records.set_note(id, kNote);
  REQUIRE(records.get(id)->note == kNote);
  REQUIRE(records.get(id)->peer_name == kPeer);
  check_nothing_in_the_clear(db);
}

TEST_CASE("a console reads back its own start's calls only; a role reads every start's") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  const std::int64_t first = sealed.writer().begin(secret_call(1'000));
  // The next start: a new epoch, sealed to the same operator.
  auto next =
      std::make_shared<const HistoryEpoch>(HistoryKeyStore(db).create_epoch(sealed.keys, 2));
  CallHistory next_start(db, next);
  const std::int64_t second = next_start.begin(secret_call(2'000));
  const auto own = next_start.own_calls(10);
  REQUIRE(own.size() == 1);
  CHECK(own[0].id == second);
  CHECK_THROWS_WITH(next_start.update(secret_call(1'000)), ContainsSubstring("no call with id"));
  CallRecord earlier = secret_call(1'000);
  earlier.id = first;
  CHECK_THROWS_WITH(next_start.update(earlier), ContainsSubstring("no call with id"));

  HistoryRecords records = sealed.reader();
  CHECK(records.count({}) == 2);
  CHECK(records.unreadable() == 0);

  // A key that is not the operator's opens nothing.
  HistoryRecords strange(db, test::random_reader(Role::kOperator));
  CHECK(strange.count({}) == 0);
  CHECK(strange.unreadable() == 2);
}

TEST_CASE("a history key swapped into the file receives no epoch") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  // The attacker writes its own public key over the operator's.
  HistoryReaderKey attacker = test::random_reader(Role::kOperator);
  db.prepare("UPDATE role_passphrases SET reader_public = ?1 WHERE role = 'operator'")
      .bind(1, ByteSpan(attacker.public_key))
      .run();
  const HistoryReaders readers = HistoryKeyStore(db).readers(sealed.keys);
  CHECK(readers.valid.empty());
  REQUIRE(readers.problems.size() == 1);
  CHECK_THAT(readers.problems[0], ContainsSubstring("operator's history key was changed"));

  auto epoch =
      std::make_shared<const HistoryEpoch>(HistoryKeyStore(db).create_epoch(sealed.keys, 3));
  CallHistory(db, epoch).begin(secret_call(3'000));
  HistoryRecords stolen(db, std::move(attacker));
  CHECK(stolen.count({}) == 0);
  CHECK(stolen.unreadable() == 1);
}

TEST_CASE("a sealed row moved to another id, or edited, does not open and is counted") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  CallHistory writer = sealed.writer();
  const std::int64_t a = writer.begin(secret_call(1'000));
  const std::int64_t b = writer.begin(secret_call(2'000));
  db.prepare(
        "UPDATE sealed_calls SET sealed = (SELECT sealed FROM sealed_calls WHERE id = ?1) "
        "WHERE id = ?2")
      .bind(1, a)
      .bind(2, b)
      .run();
  HistoryRecords records = sealed.reader();
  CHECK(records.count({}) == 1);
  CHECK(records.unreadable() == 1);
  CHECK_FALSE(records.get(b));
  {
    Bytes box;  // one bit of the ciphertext flipped
    {
      Statement read = db.prepare("SELECT sealed FROM sealed_calls WHERE id = ?1");
      REQUIRE(read.bind(1, a).step());
      const ByteSpan stored = read.column_blob(0);
      box.assign(stored.begin(), stored.end());
    }
    box.at(40) ^= 0x01;
    db.prepare("UPDATE sealed_calls SET sealed = ?2 WHERE id = ?1")
        .bind(1, a)
        .bind(2, ByteSpan(box))
        .run();
  }
  HistoryRecords next_grant = sealed.reader();
  CHECK(next_grant.count({}) == 0);
  CHECK(next_grant.unreadable() == 2);
}

TEST_CASE("calls recorded before any role had a key are handed to the first one") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  RecordsKeys keys(test::random_key());
  auto epoch = std::make_shared<const HistoryEpoch>(HistoryKeyStore(db).create_epoch(keys, 1));
  const std::int64_t id = CallHistory(db, epoch).begin(secret_call(1'000));
  CHECK(db.prepare("SELECT 1 FROM history_epoch_keys WHERE holder = 'console'").step());

  db.exec("INSERT INTO role_passphrases (role, verifier, set_at) VALUES ('admin', 'key-wrap', 0)");
  HistoryReaderKey admin = test::random_reader(Role::kAdministrator);
  HistoryKeyStore(db).set_reader(Role::kAdministrator, admin.public_key, keys);
  CHECK(HistoryKeyStore(db).hand_pending_to_readers(keys) == 1);
  CHECK_FALSE(db.prepare("SELECT 1 FROM history_epoch_keys WHERE holder = 'console'").step());
  CHECK(HistoryRecords(db, std::move(admin)).get(id)->sas == kSas);
}

TEST_CASE("clear rows of schema v5 are sealed once, with their ids, and leave the file") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  {
    Database db = Database::open_without_migrating(path);
    migrate(db, schema_migrations().first(5));
    db.prepare(
          "INSERT INTO calls (id, peer_name, peer_fingerprint, peer_verified, direction, "
          "started_at, ended_at, last_seen_at, outcome, sas, note) VALUES (7, ?1, ?2, 1, 'in', "
          "1000, 61000, 61000, 'answered', ?3, ?4)")
        .bind(1, kPeer)
        .bind(2, kFingerprint)
        .bind(3, kSas)
        .bind(4, kNote)
        .run();
    db.exec(
        "INSERT INTO calls (id, peer_name, peer_fingerprint, peer_verified, direction, "
        "started_at, last_seen_at) VALUES (8, 'Tokyo', 'f', 0, 'out', 2000, 5000)");
  }
  Database db = Database::open(path);  // to schema v6
  test::SealedHistory sealed(db);
  CHECK(seal_clear_history(db, sealed.keys, 10) == 2);
  CHECK(seal_clear_history(db, sealed.keys, 11) == 0);  // once
  HistoryRecords records = sealed.reader();
  const auto old = records.get(7);
  REQUIRE(old);
  CHECK(old->peer_name == kPeer);
  CHECK(old->note == kNote);
  CHECK(old->outcome == CallOutcome::kAnswered);
  CHECK(records.get(8)->peer_name == "Tokyo");
  CHECK_FALSE(records.get(8)->ended_at);  // still open: the next start closes it
  CHECK(CallHistory::close_interrupted(db) == 1);
  CHECK(records.get(8)->outcome == CallOutcome::kInterrupted);
  // New rows continue after the old ids.
  CHECK(sealed.writer().begin(secret_call(9'000)) == 9);
  check_nothing_in_the_clear(db);
}

TEST_CASE("a sealed record's encoding round trips and refuses damaged bytes") {
  CallRecord r = secret_call(5);
  r.note = std::string(kNote);
  r.answered_at = 7;
  r.quality = CallQuality{1.5, 2.5, 3.5, 4.5, 6, 7};
  const Bytes bytes = encode_call(r);
  CHECK(decode_call(bytes) == r);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    INFO(cut);
    CHECK_FALSE(decode_call(ByteSpan(bytes).first(cut)));
  }
  Bytes padded = bytes;
  padded.push_back(1);  // padding must be zeros
  CHECK_FALSE(decode_call(padded));
}

TEST_CASE("a box opened where it lies reads as one opened into a copy, and a damaged one not") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  test::SealedHistory sealed(db);
  CallRecord r = secret_call(5);
  r.note = std::string(kNote);
  r.quality = CallQuality{1.5, 2.5, 3.5, 4.5, 6, 7};
  const crypto::KeyView key = sealed.epoch->key;
  const Bytes box = seal_call(key, 42, sealed.epoch->id, r);
  r.id = 42;
  REQUIRE(open_call(key, 42, sealed.epoch->id, box) == r);

  Bytes in_place = box;
  const std::optional<CallFields> fields =
      open_call_in_place(key, 42, sealed.epoch->id, MutableByteSpan(in_place));
  REQUIRE(fields);
  CHECK(to_record(*fields, 42) == r);
  CHECK(fields->note == kNote);  // pointing into the opened box
  CHECK(fields->note.data() > reinterpret_cast<const char*>(in_place.data()));
  CHECK(fields->note.data() < reinterpret_cast<const char*>(in_place.data() + in_place.size()));
  // The nonce and the tag stay where they were; the record is read again from the box.
  CHECK(std::equal(box.begin(), box.begin() + 24, in_place.begin()));
  CHECK(std::equal(box.end() - 16, box.end(), in_place.end() - 16));
  CHECK(to_record(*read_opened_call(in_place), 42) == r);

  Bytes damaged = box;
  damaged.at(30) ^= 0x01;
  CHECK_FALSE(open_call_in_place(key, 42, sealed.epoch->id, MutableByteSpan(damaged)));
  Bytes elsewhere = box;
  CHECK_FALSE(open_call_in_place(key, 43, sealed.epoch->id, MutableByteSpan(elsewhere)));
  Bytes short_box(kSealedOverhead - 1, 0);
  CHECK_FALSE(open_call_in_place(key, 42, sealed.epoch->id, MutableByteSpan(short_box)));
}
