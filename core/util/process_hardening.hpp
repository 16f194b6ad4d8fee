#pragma once
// What a console process does first, before it reads a key: files it creates are private to
// the user (umask 077: 0600 files, 0700 folders — recordings, exports, cards, the database),
// and no core dump is written (RLIMIT_CORE 0, PR_SET_DUMPABLE 0: a crashed console's memory
// held the pre-shared keys; not dumpable also keeps other processes of the same user from
// attaching a debugger to read its memory). Secret keys themselves live in sodium_malloc'd,
// locked pages (crypto/secret.hpp).

namespace hotline {

struct ProcessHardening {
  bool private_files = false;  // umask 077 set
  bool no_core_dumps = false;  // RLIMIT_CORE 0
  bool not_dumpable = false;   // PR_SET_DUMPABLE 0 (not under the sanitizers: LeakSanitizer
                               // ptraces the process to stop it, which this forbids)
};

ProcessHardening harden_process();

}  // namespace hotline
