#include "core/util/process_hardening.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace hotline {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kUnderSanitizer = true;
#else
constexpr bool kUnderSanitizer = false;
#endif
#else
constexpr bool kUnderSanitizer = false;
#endif

}  // namespace

ProcessHardening harden_process() {
  ProcessHardening done;
  ::umask(077);
  done.private_files = true;
  const rlimit none{0, 0};
  done.no_core_dumps = ::setrlimit(RLIMIT_CORE, &none) == 0;
  if (!kUnderSanitizer) done.not_dumpable = ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
  return done;
}

}  // namespace hotline
