#pragma once
// Whether a real-time call carried a sentence: waiting until the listener has received all of
// it, and scoring the recording one second at a time.

#include <cstdint>
#include <span>
#include <string>

#include "core/audio/wav.hpp"
#include "core/call/call_types.hpp"

namespace hotline::test {

class TestConsole;

// Waits until `listener`'s call `id` has received as many voice packets as `speech` has
// frames of 20 ms, and a second more: the sender has then sent the whole sentence at least a
// second ago, whatever the loss on the way.
void wait_until_heard(TestConsole& listener, call::CallId id, const audio::PcmBuffer& speech);

// Each second of `speech` (pauses skipped) aligned on its own in `recording`, searched up
// to 1 s late: a longer mouth-to-ear delay is a failure, and a wider search lets unrelated
// speech match by chance (up to 0.85 within 3 s). A second is carried when its envelope
// correlation exceeds `threshold`. On a loaded machine a stalled process grows the playout
// delay part-way through, which spoils the second it happens in; a second not carried is
// excused when it sits where the delay changed, between carried seconds whose delays differ
// by 30 ms or more (more than the playout's ±1 % steering and one stretched frame move it in
// a second), or when no carried second precedes or follows it.
struct SpeechScore {
  std::size_t seconds = 0;      // seconds scored
  std::size_t carried = 0;      // above the threshold
  std::size_t unexplained = 0;  // neither carried nor excused
  std::string table;            // per second: lag, correlation, verdict
};
SpeechScore score_speech(std::span<const std::int16_t> speech,
                         std::span<const std::int16_t> recording, double threshold);

// Catch2 checks on score_speech: no second unexplained, two thirds carried. Returns the
// score for checks of the caller's own.
SpeechScore check_speech_carried(std::span<const std::int16_t> speech,
                                 std::span<const std::int16_t> recording, double threshold);

}  // namespace hotline::test
