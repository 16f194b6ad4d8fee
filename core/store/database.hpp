#pragma once
// A thin RAII layer over the sqlite3 C API: one connection, prepared statements and
// transactions. Every failure becomes a hotline::store::DatabaseError carrying SQLite's own
// message (which names tables and constraints, never bound values).
//
// A connection is used by one thread at a time; it is not locked on every call. The console's
// worker thread owns the profile's (docs/console.md); the database watcher and the call
// recorder open their own.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace hotline::store {

class DatabaseError : public Error {
 public:
  DatabaseError(const std::string& message, int code) : Error(message), code_(code) {}
  int code() const { return code_; }  // SQLite extended result code

 private:
  int code_;
};

class Statement;

class Database {
 public:
  enum class OpenMode { kCreateIfMissing, kMustExist };

  // Opens (creating with mode 0600 if allowed and missing) the database, configures WAL,
  // foreign keys, synchronous=NORMAL and a 5 s busy timeout, then brings the schema up to
  // date (see migrations.hpp).
  static Database open(const std::filesystem::path& path,
                       OpenMode mode = OpenMode::kCreateIfMissing);
  // The same without the schema step: for tests that build a database of an older version.
  static Database open_without_migrating(const std::filesystem::path& path,
                                         OpenMode mode = OpenMode::kCreateIfMissing);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more SQL statements that take no parameters (schema changes, pragmas).
  void exec(std::string_view sql);
  // Exactly one statement; trailing text other than whitespace is refused.
  Statement prepare(std::string_view sql);

  int user_version();
  void set_user_version(int version);
  std::int64_t last_insert_rowid() const;
  // How long a statement waits for another connection's lock before failing as locked.
  void set_busy_timeout(std::chrono::milliseconds timeout);
  int changes() const;  // rows changed by the most recent INSERT/UPDATE/DELETE
  // Changes as a cache sees them: this connection's own rows changed so far, and SQLite's
  // data_version (moves when another connection commits). Equal values: nothing changed.
  std::pair<std::int64_t, std::int64_t> change_marker();
  bool in_transaction() const;

  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // Throws DatabaseError for a non-OK result code, prefixed with what was being done.
  void check(int rc, std::string_view doing) const;

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  void close() noexcept;

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text and blobs are copied by SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, ByteSpan blob);
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // true: a row is available; false: the statement has finished.
  bool step();
  // Steps a statement that must not return rows (INSERT/UPDATE/DELETE).
  void run();
  void reset();  // ready to step again; bindings are kept

  // Columns are 0-based. Text/blob views stay valid until the next step/reset.
  bool is_null(int column) const;
  std::int64_t column_int64(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  int columns() const;  // of the result
  std::optional<std::string> column_optional_text(int column) const;
  std::optional<std::int64_t> column_optional_int64(int column) const;
  ByteSpan column_blob(int column) const;
  // The blob must be exactly N bytes; otherwise DatabaseError naming `what`.
  template <std::size_t N>
  std::array<std::uint8_t, N> column_array(int column, std::string_view what) const {
    const ByteSpan blob = column_blob(column);
    if (blob.size() != N) throw_bad_length(what, N, blob.size());
    std::array<std::uint8_t, N> out{};
    std::copy(blob.begin(), blob.end(), out.begin());
    return out;
  }

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  void check(int rc, std::string_view doing) const;
  [[noreturn]] static void throw_bad_length(std::string_view what, std::size_t expected,
                                            std::size_t found);

  sqlite3_stmt* stmt_ = nullptr;  // knows its connection, so a moved Database is no problem
};

// BEGIN IMMEDIATE on construction so a read-then-write never fails half way with
// SQLITE_BUSY (the busy timeout applies while waiting for the write lock). Inside an open
// transaction it becomes a SAVEPOINT, so store operations compose. Rolls back in the
// destructor unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  void commit();

 private:
  Database& db_;
  bool nested_;
  bool done_ = false;
};

// A consistent view for several reads (BEGIN DEFERRED: no write lock is taken), ended on
// destruction. Inside a transaction already open, it adds nothing.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database& db);
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();

 private:
  Database& db_;
  bool owner_;
};

}  // namespace hotline::store
