#include "core/audio/callback_phase.hpp"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <random>
#include <vector>

using namespace hotline::audio;
using namespace std::chrono_literals;
using Clock = CallbackPhase::Clock;

namespace {

constexpr Clock::duration kPeriod = 5ms;
// The engine's policy (ProtocolCore::voice_deadline): a period seen moved is serviced at once;
// otherwise the next look is just after the predicted end, but never sooner than the 2 ms
// poll it replaces.
constexpr Clock::duration kAfterPeriod = 500us;
constexpr Clock::duration kPoll = 2ms;

struct Outcome {
  double looks_per_period = 0;
  double mean_lag_ms = 0;  // from a callback to the look that saw it
  double max_lag_ms = 0;
};

// Drives a CallbackPhase as the engine does, over callbacks at the given times, and measures
// the looks after `from`.
Outcome run(const std::vector<Clock::time_point>& callbacks, Clock::time_point from) {
  CallbackPhase phase(kPeriod);
  Outcome out;
  std::size_t seen = 0;  // callbacks counted at the previous look
  std::size_t looks = 0;
  double lag_sum = 0;
  std::size_t lagged = 0;
  Clock::time_point now = callbacks.front() - 3ms;
  while (now <= callbacks.back()) {
    const auto count = static_cast<std::size_t>(
        std::upper_bound(callbacks.begin(), callbacks.end(), now) - callbacks.begin());
    phase.observe(count, now);
    if (now >= from) {
      ++looks;
      for (std::size_t k = seen; k < count; ++k) {
        const double lag = std::chrono::duration<double, std::milli>(now - callbacks[k]).count();
        lag_sum += lag;
        ++lagged;
        out.max_lag_ms = std::max(out.max_lag_ms, lag);
      }
    }
    seen = count;
    const auto end = phase.next_end();
    now = end ? std::max(*end + kAfterPeriod, now + kPoll) : now + kPoll;
  }
  const auto periods = std::count_if(callbacks.begin(), callbacks.end(),
                                     [&](Clock::time_point t) { return t >= from; });
  out.looks_per_period = static_cast<double>(looks) / static_cast<double>(periods);
  out.mean_lag_ms = lagged ? lag_sum / static_cast<double>(lagged) : 0.0;
  return out;
}

std::vector<Clock::time_point> regular(Clock::time_point start, int n, Clock::duration period) {
  std::vector<Clock::time_point> t;
  for (int k = 0; k < n; ++k) t.push_back(start + period * k);
  return t;
}

const Clock::time_point kStart = Clock::time_point(1h) + 1300us;

}  // namespace

TEST_CASE("callback phase: nothing is known before a look has seen a callback come") {
  CallbackPhase phase(kPeriod);
  CHECK_FALSE(phase.next_end());
  phase.observe(7, kStart);  // the first look cannot date the 7 it finds
  CHECK_FALSE(phase.next_end());
  phase.observe(8, kStart + 2ms);
  REQUIRE(phase.next_end());
  CHECK(*phase.next_end() == kStart + 2ms + kPeriod);
  // A stream replaced by a new one counts from zero again: dated from the look that saw it.
  phase.observe(1, kStart + 4ms);
  REQUIRE(phase.next_end());
  CHECK(*phase.next_end() == kStart + 4ms + kPeriod);
}

TEST_CASE("callback phase: a steady card is looked at about once per period, just after it") {
  const auto callbacks = regular(kStart, 2000, kPeriod);  // 10 s
  const Outcome o = run(callbacks, kStart + 1s);
  INFO("looks per period " << o.looks_per_period << ", lag mean " << o.mean_lag_ms << " max "
                           << o.max_lag_ms << " ms");
  CHECK(o.looks_per_period <= 1.25);  // a 2 ms poll: 2.5
  CHECK(o.mean_lag_ms <= 1.5);
  CHECK(o.max_lag_ms <= 2.5);
}

TEST_CASE("callback phase: a card clock off the nominal rate is followed") {
  for (const auto period : {Clock::duration(5005us), Clock::duration(4995us)}) {
    const auto callbacks = regular(kStart, 2000, period);  // 0.1 % slow, then fast
    const Outcome o = run(callbacks, kStart + 1s);
    INFO("period " << period.count() << " ns: looks per period " << o.looks_per_period
                   << ", lag mean " << o.mean_lag_ms << " max " << o.max_lag_ms << " ms");
    CHECK(o.looks_per_period <= 1.3);
    CHECK(o.mean_lag_ms <= 1.5);
    CHECK(o.max_lag_ms <= 2.5);
  }
}

TEST_CASE("callback phase: one late callback does not leave every later period serviced late") {
  auto callbacks = regular(kStart, 2000, kPeriod);
  callbacks[400] += 3ms;  // a sound server that was slow once: later ones are back on time
  const Outcome o = run(callbacks, kStart + 4s);
  INFO("after it: looks per period " << o.looks_per_period << ", lag mean " << o.mean_lag_ms
                                     << " max " << o.max_lag_ms << " ms");
  CHECK(o.mean_lag_ms <= 1.5);
  CHECK(o.max_lag_ms <= 2.5);
}

TEST_CASE("callback phase: jittery and bursty callbacks never cost more looks than the poll") {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> jitter_us(0, 1500);
  std::vector<Clock::time_point> jittery;
  for (int k = 0; k < 2000; ++k) jittery.push_back(kStart + kPeriod * k + 1us * jitter_us(random));
  std::sort(jittery.begin(), jittery.end());
  const Outcome j = run(jittery, kStart + 1s);
  INFO("jitter: looks per period " << j.looks_per_period << ", lag mean " << j.mean_lag_ms
                                   << " max " << j.max_lag_ms << " ms");
  CHECK(j.looks_per_period <= 1.6);
  CHECK(j.max_lag_ms <= 3.5);

  // Four callbacks back to back every 20 ms, as a sound server handing over larger chunks.
  std::vector<Clock::time_point> bursts;
  for (int k = 0; k < 2000; ++k) bursts.push_back(kStart + 20ms * (k / 4) + 10us * (k % 4));
  const Outcome b = run(bursts, kStart + 1s);
  INFO("bursts: looks per period " << b.looks_per_period << ", lag mean " << b.mean_lag_ms
                                   << " max " << b.max_lag_ms << " ms");
  CHECK(b.looks_per_period <= 2.5);  // at most the 2 ms poll's (10 looks per 4 periods)
  CHECK(b.max_lag_ms <= 5.0);        // and within a period
}
