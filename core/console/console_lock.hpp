#pragma once
// One running console per profile. The lock is an flock(2) on "console.lock" in the profile
// directory: the kernel drops it when the process dies, however it dies, so a console killed
// with SIGKILL never leaves a stale lock behind. Commands that only read or administer the
// store do not take it.

#include <filesystem>

namespace hotline::console {

class ConsoleLock {
 public:
  // Throws hotline::Error "another console is running on profile DIR" if it is held.
  explicit ConsoleLock(const std::filesystem::path& profile_dir);
  ~ConsoleLock();
  ConsoleLock(const ConsoleLock&) = delete;
  ConsoleLock& operator=(const ConsoleLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace hotline::console
