#include "core/store/database.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <fstream>

#include "core/store/migrations.hpp"
#include "core/store/settings_store.hpp"
#include "tests/support/test_paths.hpp"

using namespace hotline;
using namespace hotline::store;
using Catch::Matchers::ContainsSubstring;

namespace {

std::string pragma_text(Database& db, std::string_view pragma) {
  Statement stmt = db.prepare("PRAGMA " + std::string(pragma));
  REQUIRE(stmt.step());
  return stmt.column_text(0);
}

std::vector<std::string> table_names(Database& db) {
  Statement stmt = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  std::vector<std::string> names;
  while (stmt.step()) names.push_back(stmt.column_text(0));
  return names;
}

void add_notes_table(Database& db) {
  db.exec("CREATE TABLE notes (text TEXT NOT NULL)");
}

void half_done_then_fail(Database& db) {
  db.exec("CREATE TABLE doomed (x INTEGER)");
  db.exec("INSERT INTO no_such_table VALUES (1)");
}

}  // namespace

TEST_CASE("opening configures WAL, foreign keys, synchronous and the v1 schema") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  CHECK(pragma_text(db, "journal_mode") == "wal");
  CHECK(pragma_text(db, "foreign_keys") == "1");
  CHECK(pragma_text(db, "synchronous") == "1");  // NORMAL
  CHECK(pragma_text(db, "busy_timeout") == "5000");
  CHECK(pragma_text(db, "secure_delete") == "1");
  CHECK(db.user_version() == latest_schema_version());
  CHECK(latest_schema_version() == 8);
  CHECK(table_names(db) ==
        std::vector<std::string>{"audit_head", "audit_log", "calls", "directory_seal",
                                 "handshake_replay", "history_epoch_keys", "history_epochs",
                                 "peers", "records_key", "refused_probes", "removed_peers",
                                 "role_attempts", "role_passphrases", "sealed_calls",
                                 "sealed_calls_version", "settings", "sqlite_sequence"});
}

TEST_CASE("a new database file is private to the user") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  { Database db = Database::open(path); }
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("data survives close and reopen") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  {
    Database db = Database::open(path);
    SettingsStore(db).set("own_name", "Alpha");
  }
  Database db = Database::open(path);
  CHECK(SettingsStore(db).get("own_name") == "Alpha");
  CHECK(db.user_version() == latest_schema_version());
}

TEST_CASE("migrating an empty file creates the schema; migrating again changes nothing") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  { std::ofstream touch(path); }
  REQUIRE(std::filesystem::file_size(path) == 0);
  Database db = Database::open(path);
  CHECK(db.user_version() == latest_schema_version());
  SettingsStore(db).set("k", "v");
  migrate(db);
  migrate(db);
  CHECK(db.user_version() == latest_schema_version());
  CHECK(SettingsStore(db).get("k") == "v");
}

TEST_CASE("a new migration appended to the list upgrades a current file") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  {
    Database db = Database::open(path);
    SettingsStore(db).set("k", "v");
  }
  Database db = Database::open(path);
  std::vector<Migration> steps(schema_migrations().begin(), schema_migrations().end());
  steps.push_back(&add_notes_table);
  migrate(db, steps);
  CHECK(db.user_version() == latest_schema_version() + 1);
  db.exec("INSERT INTO notes VALUES ('hello')");
  migrate(db, steps);  // idempotent
  CHECK(db.user_version() == latest_schema_version() + 1);
  CHECK(SettingsStore(db).get("k") == "v");
}

TEST_CASE("a failing migration is rolled back and leaves the previous version") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  std::vector<Migration> steps(schema_migrations().begin(), schema_migrations().end());
  steps.push_back(&half_done_then_fail);
  CHECK_THROWS_WITH(migrate(db, steps), ContainsSubstring("no such table: no_such_table"));
  CHECK(db.user_version() == latest_schema_version());
  CHECK_FALSE(db.in_transaction());
  const auto tables = table_names(db);
  CHECK(std::find(tables.begin(), tables.end(), "doomed") == tables.end());
}

TEST_CASE("a database from a newer program is refused") {
  test::TempDir dir;
  const auto path = dir.path() / "hotline.db";
  {
    Database db = Database::open(path);
    db.set_user_version(latest_schema_version() + 1);
  }
  CHECK_THROWS_WITH(
      Database::open(path),
      ContainsSubstring("schema version " + std::to_string(latest_schema_version() + 1) +
                        ", newer than"));
}

TEST_CASE("a file that is not a database gives SQLite's message") {
  test::TempDir dir;
  const auto path = dir.path() / "garbage.db";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(4096, 'x');
  }
  CHECK_THROWS_WITH(Database::open(path), ContainsSubstring("file is not a database"));
}

TEST_CASE("kMustExist does not create a missing database") {
  test::TempDir dir;
  const auto path = dir.path() / "missing.db";
  CHECK_THROWS_AS(Database::open(path, Database::OpenMode::kMustExist), DatabaseError);
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("transactions roll back unless committed, and nest as savepoints") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  SettingsStore settings(db);
  {
    Transaction transaction(db);
    settings.set("a", "1");
  }
  CHECK_FALSE(settings.get("a"));
  {
    Transaction outer(db);
    settings.set("b", "1");
    {
      Transaction inner(db);
      settings.set("c", "1");
    }  // inner rolled back only
    {
      Transaction inner(db);
      settings.set("d", "1");
      inner.commit();
    }
    outer.commit();
  }
  CHECK(settings.get("b") == "1");
  CHECK_FALSE(settings.get("c"));
  CHECK(settings.get("d") == "1");
  CHECK_FALSE(db.in_transaction());
}

TEST_CASE("statements bind and read every column type") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  db.exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n TEXT)");
  const Bytes blob = {0, 1, 2, 255};
  db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)")
      .bind(1, std::int64_t{-42})
      .bind(2, std::string_view("北京"))
      .bind(3, ByteSpan(blob))
      .bind(4, std::optional<std::string>{})
      .run();
  Statement select = db.prepare("SELECT i, s, b, n FROM t");
  REQUIRE(select.step());
  CHECK(select.column_int64(0) == -42);
  CHECK(select.column_text(1) == "北京");
  const ByteSpan read = select.column_blob(2);
  CHECK(Bytes(read.begin(), read.end()) == blob);
  CHECK(select.is_null(3));
  CHECK_FALSE(select.column_optional_text(3));
  CHECK_THROWS_AS(select.column_array<5>(2, "test blob"), DatabaseError);
  CHECK_FALSE(select.step());
}

TEST_CASE("prepare refuses more than one statement and reports syntax errors") {
  test::TempDir dir;
  Database db = Database::open(dir.path() / "hotline.db");
  CHECK_THROWS_WITH(db.prepare("SELECT 1; SELECT 2"), ContainsSubstring("exactly one"));
  CHECK_THROWS_WITH(db.prepare("SELEC 1"), ContainsSubstring("syntax error"));
  CHECK_NOTHROW(db.prepare("SELECT 1;  "));
}
