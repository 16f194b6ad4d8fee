// The echo reference of a duplex callback when the device's round trip changes mid-call.

#include "core/audio/reference_aligner.hpp"

#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/util/error.hpp"

using namespace hotline;
using namespace hotline::audio;

namespace {

// Output sample n is n + 1 (mod 2^16), so a reference value says which output it was.
struct Driver {
  ReferenceAligner aligner{48000};
  SpscRing<std::int16_t> played{1 << 16};
  std::vector<std::int16_t> out = std::vector<std::int16_t>(240);
  std::vector<std::int16_t> ref = std::vector<std::int16_t>(480);
  std::uint16_t next = 1;

  // One callback; returns how far back (in output samples) its reference was taken, after
  // checking the whole block agrees. `in` may exceed the output's 240 samples.
  int callback(double round_trip, std::size_t in = 240) {
    aligner.note_round_trip(round_trip);
    const auto first = next;
    for (auto& s : out) s = static_cast<std::int16_t>(next++);
    aligner.append(out);
    aligner.write_reference(in, played);
    REQUIRE(played.read(std::span(ref).first(in)) == in);
    const int back = static_cast<std::uint16_t>(first - static_cast<std::uint16_t>(ref[0]));
    for (std::size_t i = 1; i < std::min<std::size_t>(in, 240); ++i) {
      REQUIRE(static_cast<std::uint16_t>(first + i - static_cast<std::uint16_t>(ref[i])) ==
              static_cast<std::uint16_t>(back));
    }
    return back;
  }
};

}  // namespace

TEST_CASE("the reference is the callback's own output while the round trip holds") {
  Driver d;
  for (int k = 0; k < 200; ++k) {
    // PortAudio's timestamps wobble by a fraction of a period: nothing moves.
    REQUIRE(d.callback(0.020 + (k % 2 ? 0.0015 : -0.0015)) == 0);
  }
  CHECK(d.aligner.shift() == 0);
  CHECK(d.aligner.shifts() == 0);
  // Without any round trip (a host API that reports none) the same.
  Driver quiet;
  for (int k = 0; k < 20; ++k) REQUIRE(quiet.callback(0.0) == 0);
}

TEST_CASE("a grown round trip moves the reference back by the growth, once it holds") {
  Driver d;
  for (int k = 0; k < 20; ++k) d.callback(0.020);
  // One odd burst of timestamps, shorter than kConfirmations callbacks: ignored.
  for (int k = 0; k < ReferenceAligner::kConfirmations - 1; ++k) REQUIRE(d.callback(0.050) == 0);
  REQUIRE(d.callback(0.020) == 0);
  // After an xrun the round trip stays 30 ms longer: so does the reference's delay.
  int back = 0;
  int callbacks = 0;
  while (back == 0 && callbacks < 50) {
    back = d.callback(0.050);
    ++callbacks;
  }
  CHECK(callbacks == ReferenceAligner::kConfirmations);
  CHECK(back == 1440);
  CHECK(d.aligner.shift() == 1440);
  for (int k = 0; k < 20; ++k) REQUIRE(d.callback(0.0505) == 1440);  // within the hysteresis
  // Implausible timestamps change nothing.
  for (const double odd : {-0.01, 0.0, 0.9, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity()}) {
    for (int k = 0; k < 10; ++k) REQUIRE(d.callback(odd) == 1440);
  }
  // Back to the old round trip, or below it (a new lowest): no shift, once that holds.
  for (int k = 0; k < ReferenceAligner::kConfirmations; ++k) d.callback(0.020);
  CHECK(d.callback(0.020) == 0);
  for (int k = 0; k < ReferenceAligner::kConfirmations; ++k) d.callback(0.012);
  CHECK(d.callback(0.012) == 0);
  CHECK(d.aligner.shifts() == 2);  // out and back; the new lowest needed none
}

TEST_CASE("input beyond the output of its callback is paired with silence") {
  Driver d;
  d.callback(0.020);
  d.callback(0.020, 300);
  for (std::size_t i = 240; i < 300; ++i) REQUIRE(d.ref[i] == 0);
  CHECK(d.ref[239] == 480);  // the last output sample of that callback
}

TEST_CASE("a reference aligner refuses an impossible rate") {
  CHECK_THROWS_AS(ReferenceAligner(1000), Error);
}
