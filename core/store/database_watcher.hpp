#pragma once
// Tells a running console that its database was changed by another process (an
// administrator's `hotline peer disable`, say), without polling: a thread sleeps in poll() on
// an inotify watch of the database's folder and wakes only when the database or its WAL file
// is written; `PRAGMA data_version` on the watcher's own connection then says whether a
// commit happened (any other connection's, this process's included: the caller compares what
// it cares about). Writes in a burst are taken together (`settle`).

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

namespace hotline::store {

class Database;

class DatabaseWatcher {
 public:
  // `changed` runs on the watcher's thread, with the watcher's connection: once as the thread
  // starts (for what was committed while it did), then after commits by other connections, at
  // most once per `settle`. It compares what it cares about. Throws hotline::Error if the folder
  // cannot be watched.
  DatabaseWatcher(const std::filesystem::path& database, std::function<void(Database&)> changed,
                  std::chrono::milliseconds settle = std::chrono::milliseconds(100));
  ~DatabaseWatcher();  // stops and joins the thread
  DatabaseWatcher(const DatabaseWatcher&) = delete;
  DatabaseWatcher& operator=(const DatabaseWatcher&) = delete;

 private:
  void run();

  std::filesystem::path path_;
  // Calls `changed_` if another connection committed since `seen` (always when `first`);
  // false when that failed.
  bool check(Database& db, std::int64_t& seen, bool first);
  std::function<void(Database&)> changed_;
  std::chrono::milliseconds settle_;
  int inotify_ = -1;
  int stop_ = -1;  // eventfd
  std::thread thread_;
};

}  // namespace hotline::store
