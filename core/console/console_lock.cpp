#include "core/console/console_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/util/error.hpp"

namespace hotline::console {

ConsoleLock::ConsoleLock(const std::filesystem::path& profile_dir) {
  const std::filesystem::path path = profile_dir / "console.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw Error("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd_);
    fd_ = -1;
    if (saved == EWOULDBLOCK) {
      throw Error("another console is running on profile " + profile_dir.string());
    }
    throw Error("cannot lock " + path.string() + ": " + std::strerror(saved));
  }
}

ConsoleLock::~ConsoleLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace hotline::console
