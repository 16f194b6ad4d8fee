#include "core/store/database_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/store/database.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace {

std::int64_t data_version(Database& db) {
  Statement stmt = db.prepare("PRAGMA data_version");
  stmt.step();
  return stmt.column_int64(0);
}

// Reads the pending inotify events; true if one names the database or its WAL.
bool drain(int fd, const std::string& name) {
  alignas(inotify_event) std::array<char, 4096> buffer{};
  bool ours = false;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n <= 0) return ours;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
      if (event->len > 0) {
        const std::string file(event->name);
        if (file == name || file == name + "-wal") ours = true;
      }
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
}

}  // namespace

DatabaseWatcher::DatabaseWatcher(const std::filesystem::path& database,
                                 std::function<void(Database&)> changed,
                                 std::chrono::milliseconds settle)
    : path_(database), changed_(std::move(changed)), settle_(settle) {
  inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  stop_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  const std::string folder = path_.parent_path().string();
  if (inotify_ < 0 || stop_ < 0 ||
      ::inotify_add_watch(inotify_, folder.c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    const std::string why = std::strerror(errno);
    if (inotify_ >= 0) ::close(inotify_);
    if (stop_ >= 0) ::close(stop_);
    throw Error("cannot watch " + folder + " for changes: " + why);
  }
  thread_ = std::thread([this] { run(); });
}

DatabaseWatcher::~DatabaseWatcher() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(stop_, &one, sizeof one);
  thread_.join();
  ::close(inotify_);
  ::close(stop_);
}

bool DatabaseWatcher::check(Database& db, std::int64_t& seen, bool first) {
  try {
    const std::int64_t now = data_version(db);
    if (now == seen && !first) return true;
    changed_(db);
    seen = now;  // only once handled: a failed check is tried again
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void DatabaseWatcher::run() {
  Database db = Database::open(path_, Database::OpenMode::kMustExist);
  std::int64_t seen = -1;
  const std::string name = path_.filename().string();
  // Once at start: a commit made after the caller last read the database and before `seen`
  // has no event left to tell of it (the watch was added before, so any later one has).
  // A check that fails (the database busy or locked past the timeout) is retried after
  // kRetryAfterMs even if nothing else is written, so no change is ever lost to it.
  constexpr int kRetryAfterMs = 1000;
  bool retry = !check(db, seen, /*first=*/true);
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{inotify_, POLLIN, 0}, pollfd{stop_, POLLIN, 0}};
    const int ready = ::poll(fds.data(), fds.size(), retry ? kRetryAfterMs : -1);
    if (ready < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    if (ready > 0 && !drain(inotify_, name) && !retry) continue;
    // A burst of writes (a transaction, a checkpoint) is taken as one change.
    pollfd stop{stop_, POLLIN, 0};
    if (::poll(&stop, 1, static_cast<int>(settle_.count())) > 0) return;
    drain(inotify_, name);
    retry = !check(db, seen, /*first=*/false);
  }
}

}  // namespace hotline::store
