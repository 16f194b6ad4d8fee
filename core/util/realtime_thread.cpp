#include "core/util/realtime_thread.hpp"

#include <pthread.h>
#include <sched.h>

#include <cstddef>
#include <cstdlib>
#include <string_view>

namespace hotline {

namespace {
// Below PulseAudio's and PipeWire's own real-time threads (5..20 with rtkit, typically 9 or
// 20 for the server), above everything that is not real-time.
constexpr int kPriority = 4;
}  // namespace

bool request_realtime_priority() {
  // Only when asked for (see the header).
  if (const char* env = std::getenv("HOTLINE_REALTIME"); !env || std::string_view(env) != "1") {
    return false;
  }
  sched_param param{};
  param.sched_priority = kPriority;
  return pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
}

void name_this_thread(const char* name) {
  char cut[16] = {};
  for (std::size_t i = 0; i + 1 < sizeof cut && name[i] != '\0'; ++i) cut[i] = name[i];
  pthread_setname_np(pthread_self(), cut);
}

}  // namespace hotline
