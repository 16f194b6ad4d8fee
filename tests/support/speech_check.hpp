#pragma once
// Whether a real-time call carried a sentence: waiting until the listener has received all of
// it, and scoring the recording one second at a time.

#include <cstdint>
#include <span>

#include "core/audio/wav.hpp"
#include "core/call/call_types.hpp"
#include "tests/support/signal_compare.hpp"

namespace hotline::test {

class TestConsole;

// Waits until `listener`'s call `id` has received as many voice packets as `speech` has
// frames of 20 ms, and a second more: the sender has then sent the whole sentence at least a
// second ago, whatever the loss on the way.
void wait_until_heard(TestConsole& listener, call::CallId id, const audio::PcmBuffer& speech);

// Catch2 checks of SpeechScore::passed() (signal_compare.hpp), one per condition, with the
// per-second table; under the sanitizers one unexplained second in ten is reported rather
// than failed (speech_check.cpp). Returns the score for checks of the caller's own.
SpeechScore check_speech_carried(std::span<const std::int16_t> speech,
                                 std::span<const std::int16_t> recording, double threshold);

}  // namespace hotline::test
