#include "core/store/upgrade_backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "core/store/database.hpp"
#include "core/store/migrations.hpp"
#include "core/util/error.hpp"

namespace hotline::store {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kSuffix = "-backup";

// VACUUM INTO keeps the mode of an empty file it is given, so the copy is private from the
// first byte (the database holds secrets).
void create_private_empty_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw Error("cannot create " + path.string() + ": " + std::strerror(errno));
  ::close(fd);
}

void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

fs::path upgrade_backup_path(const fs::path& database, int version) {
  fs::path path = database;
  path += ".v" + std::to_string(version) + std::string(kSuffix);
  return path;
}

void back_up_before_upgrade(Database& db) {
  const int version = db.user_version();
  if (version <= 0 || version >= latest_schema_version()) return;
  const fs::path target = upgrade_backup_path(db.path(), version);
  std::error_code ec;
  if (fs::is_regular_file(target, ec)) return;
  fs::path partial = target;
  partial += ".partial";
  fs::remove(partial, ec);  // left by an upgrade that died while copying
  try {
    create_private_empty_file(partial);
    db.prepare("VACUUM INTO ?1").bind(1, partial.string()).run();
    sync_file(partial);
    fs::rename(partial, target);
  } catch (const std::exception& e) {
    fs::remove(partial, ec);
    throw Error("cannot back up " + db.path().string() + " before upgrading it from schema " +
                "version " + std::to_string(version) + ": " + e.what() +
                "; nothing was changed (free some space, or check the folder's permissions)");
  }
}

int remove_unprotected_backups(const fs::path& database) {
  int removed = 0;
  std::error_code ec;
  for (int version = 1; version < kFirstProtectedVersion; ++version) {
    if (fs::remove(upgrade_backup_path(database, version), ec)) ++removed;
  }
  return removed;
}

}  // namespace hotline::store
