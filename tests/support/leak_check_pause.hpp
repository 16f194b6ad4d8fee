#pragma once
// While one of these lives, LeakSanitizer ignores what the current thread allocates. For
// calls into PortAudio: the ALSA and PulseAudio plugins it loads are unloaded again with
// memory still allocated, so the leak report names no module and cannot be suppressed
// selectively. Our own allocations elsewhere in the test stay checked. No-op without ASan.

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define HOTLINE_HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define HOTLINE_HAVE_LSAN 1
#endif
#endif

namespace hotline::test {

class LeakCheckPause {
 public:
#ifdef HOTLINE_HAVE_LSAN
  LeakCheckPause() {
    __lsan_disable();
  }
  ~LeakCheckPause() {
    __lsan_enable();
  }
#else
  LeakCheckPause() = default;
#endif
  LeakCheckPause(const LeakCheckPause&) = delete;
  LeakCheckPause& operator=(const LeakCheckPause&) = delete;
};

}  // namespace hotline::test
