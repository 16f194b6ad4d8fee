// Checks on how a call kept up with real time, judged only where the code runs at speed.
//
// The end-to-end call tests run two engines on virtual sound cards that tick on the real
// clock. Whether a call then had no interruption, few late packets or exactly one packet per
// frame depends on the engine threads keeping up. Sanitizer builds run the same code several
// times slower (ThreadSanitizer 5-15x) on a shared 2-core machine, so a stall there is the
// instrumentation's, not the product's. Those builds run the same tests for memory and thread
// safety and report these figures (Catch2's CHECK_NOFAIL: shown, not failing); the optimised
// build judges them. What a call carried (loss, FEC, state, counters) is judged everywhere.
#pragma once

#include <catch2/catch_test_macros.hpp>

namespace hotline::test {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr bool kRealtimeJudged = false;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
inline constexpr bool kRealtimeJudged = false;
#else
inline constexpr bool kRealtimeJudged = true;
#endif
#else
inline constexpr bool kRealtimeJudged = true;
#endif

}  // namespace hotline::test

// CHECK in the optimised build, a reported CHECK_NOFAIL in sanitizer builds.
#define CHECK_REALTIME(...)                           \
  do {                                                \
    if constexpr (::hotline::test::kRealtimeJudged) { \
      CHECK(__VA_ARGS__);                             \
    } else {                                          \
      CHECK_NOFAIL(__VA_ARGS__);                      \
    }                                                 \
  } while (false)
