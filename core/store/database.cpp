#include "core/store/database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "core/store/migrations.hpp"
#include "core/store/upgrade_backup.hpp"

namespace hotline::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// SQLite would create the file with the process umask; the database holds pre-shared keys,
// so create it 0600 ourselves. SQLite gives its -wal and -shm files the same mode.
void create_private_file_if_missing(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno == EEXIST) return;
  throw DatabaseError("cannot create database " + path.string() + ": " + std::strerror(errno),
                      SQLITE_CANTOPEN);
}

[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view doing) {
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw DatabaseError("database " + std::string(file != nullptr ? file : "") + ": " +
                          std::string(doing) + ": " + std::string(message),
                      rc);
}

int to_int(std::size_t size) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw DatabaseError("value too large for the database", SQLITE_TOOBIG);
  }
  return static_cast<int>(size);
}

}  // namespace

// ---- Database ---------------------------------------------------------------------------

Database Database::open(const std::filesystem::path& path, OpenMode mode) {
  Database db = open_without_migrating(path, mode);
  back_up_before_upgrade(db);
  migrate(db);
  return db;
}

Database Database::open_without_migrating(const std::filesystem::path& path, OpenMode mode) {
  if (mode == OpenMode::kCreateIfMissing) create_private_file_if_missing(path);

  sqlite3* raw = nullptr;
  // SQLite's multi-thread mode: a connection is used by one thread at a time (database.hpp), so
  // SQLite need not lock it on every call (a fifth of a full read of the call history).
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    throw DatabaseError("cannot open database " + path.string() + ": " + message, rc);
  }
  Database db(raw, path);
  sqlite3_extended_result_codes(raw, 1);
  db.check(sqlite3_busy_timeout(raw, kBusyTimeoutMs), "cannot set the busy timeout");
  db.exec("PRAGMA foreign_keys = ON");
  // A secret replaced or removed (a clear pre-shared key being encrypted) is zeroed in the
  // file, not left in a free page.
  db.exec("PRAGMA secure_delete = ON");
  {
    Statement wal = db.prepare("PRAGMA journal_mode = WAL");
    if (!wal.step() || wal.column_text(0) != "wal") {
      throw DatabaseError("database " + path.string() + ": cannot switch to WAL journal mode",
                          SQLITE_ERROR);
    }
  }
  db.exec("PRAGMA synchronous = NORMAL");
  return db;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Database::~Database() {
  close();
}

void Database::close() noexcept {
  // close_v2 defers the real close until any statement still alive is finalized.
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

void Database::check(int rc, std::string_view doing) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  throw_error(db_, rc, doing);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec needs a terminated string
  check(sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr), "cannot execute SQL");
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  check(sqlite3_prepare_v2(db_, sql.data(), to_int(sql.size()), &stmt, &tail),
        "cannot prepare statement");
  Statement statement(stmt);
  const std::string_view rest =
      tail != nullptr ? sql.substr(static_cast<std::size_t>(tail - sql.data())) : "";
  if (stmt == nullptr || rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    throw DatabaseError("database " + path_.string() + ": expected exactly one SQL statement",
                        SQLITE_MISUSE);
  }
  return statement;
}

int Database::user_version() {
  Statement stmt = prepare("PRAGMA user_version");
  if (!stmt.step()) throw DatabaseError("database " + path_.string() + ": no user_version", 0);
  return static_cast<int>(stmt.column_int64(0));
}

void Database::set_user_version(int version) {
  exec("PRAGMA user_version = " + std::to_string(version));
}

void Database::set_busy_timeout(std::chrono::milliseconds timeout) {
  check(sqlite3_busy_timeout(db_, static_cast<int>(timeout.count())),
        "cannot set the busy timeout");
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
  return sqlite3_changes(db_);
}

std::pair<std::int64_t, std::int64_t> Database::change_marker() {
  Statement stmt = prepare("PRAGMA data_version");
  stmt.step();
  return {sqlite3_total_changes64(db_), stmt.column_int64(0)};
}

bool Database::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

// ---- Statement --------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value), "cannot bind a parameter");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check(sqlite3_bind_double(stmt_, index, value), "cannot bind a parameter");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  check(sqlite3_bind_text(stmt_, index, text.data(), to_int(text.size()), SQLITE_TRANSIENT),
        "cannot bind a parameter");
  return *this;
}

Statement& Statement::bind(int index, ByteSpan blob) {
  // A zero-length blob with a null pointer would bind NULL; use zeroblob to keep it a blob.
  const int rc = blob.empty() ? sqlite3_bind_zeroblob(stmt_, index, 0)
                              : sqlite3_bind_blob(stmt_, index, blob.data(), to_int(blob.size()),
                                                  SQLITE_TRANSIENT);
  check(rc, "cannot bind a parameter");
  return *this;
}

Statement& Statement::bind_null(int index) {
  check(sqlite3_bind_null(stmt_, index), "cannot bind a parameter");
  return *this;
}

void Statement::check(int rc, std::string_view doing) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  throw_error(sqlite3_db_handle(stmt_), rc, doing);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  check(rc, "cannot run statement");
  return false;
}

void Statement::run() {
  if (step()) {
    const char* file = sqlite3_db_filename(sqlite3_db_handle(stmt_), "main");
    throw DatabaseError("database " + std::string(file != nullptr ? file : "") +
                            ": statement unexpectedly returned rows",
                        SQLITE_MISUSE);
  }
}

void Statement::reset() {
  // The error of a failed step was already reported by step(); reset only clears the state.
  sqlite3_reset(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

int Statement::columns() const {
  return sqlite3_column_count(stmt_);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_text(column);
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int64(column);
}

ByteSpan Statement::column_blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return {data, static_cast<std::size_t>(size)};
}

void Statement::throw_bad_length(std::string_view what, std::size_t expected, std::size_t found) {
  throw DatabaseError("stored " + std::string(what) + " has " + std::to_string(found) +
                          " bytes, expected " + std::to_string(expected),
                      SQLITE_CORRUPT);
}

// ---- Transaction ------------------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db), nested_(db.in_transaction()) {
  db_.exec(nested_ ? "SAVEPOINT hotline_nested" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (done_) return;
  // An error such as SQLITE_FULL may already have rolled the transaction back.
  if (!db_.in_transaction()) return;
  const char* sql = nested_ ? "ROLLBACK TO hotline_nested; RELEASE hotline_nested" : "ROLLBACK";
  sqlite3_exec(db_.handle(), sql, nullptr, nullptr, nullptr);
}

ReadSnapshot::ReadSnapshot(Database& db) : db_(db), owner_(!db.in_transaction()) {
  if (owner_) db_.exec("BEGIN DEFERRED");
}

ReadSnapshot::~ReadSnapshot() {
  if (owner_ && db_.in_transaction())
    sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec(nested_ ? "RELEASE hotline_nested" : "COMMIT");
  done_ = true;
}

}  // namespace hotline::store
