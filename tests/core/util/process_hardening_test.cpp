// A console process creates private files and writes no core dump. Checked in a child
// process, so that the test runner itself stays dumpable (LeakSanitizer needs that).

#include "core/util/process_hardening.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <cstdio>
#include <filesystem>

#include "tests/support/test_paths.hpp"

TEST_CASE("a hardened process creates 0600 files and 0700 folders and dumps no core") {
  hotline::test::TempDir dir;
  const std::string file = (dir.path() / "export.csv").string();
  const std::string folder = (dir.path() / "recordings").string();
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const hotline::ProcessHardening done = hotline::harden_process();
    int failures = 0;
    rlimit core{};
    ::getrlimit(RLIMIT_CORE, &core);
    if (!done.private_files || !done.no_core_dumps || core.rlim_cur != 0 || core.rlim_max != 0)
      failures |= 1;
    if (done.not_dumpable && ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) failures |= 2;
    // As the console's own files are made: with the default modes of fopen and mkdir.
    if (std::FILE* f = std::fopen(file.c_str(), "w")) std::fclose(f);
    ::mkdir(folder.c_str(), 0777);
    ::_exit(failures);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(folder.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}
