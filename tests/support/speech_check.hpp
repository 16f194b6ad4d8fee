#pragma once
// Whether a real-time call carried a sentence: waiting until the listener has received all of
// it, and scoring the recording one second at a time.

#include <cstdint>
#include <span>

#include "core/audio/wav.hpp"
#include "core/call/call_types.hpp"

namespace hotline::test {

class TestConsole;

// Waits until `listener`'s call `id` has received as many voice packets as `speech` has
// frames of 20 ms, and a second more: the sender has then sent the whole sentence at least a
// second ago, whatever the loss on the way.
void wait_until_heard(TestConsole& listener, call::CallId id, const audio::PcmBuffer& speech);

// Checks that every second of `speech` is in `recording`, each aligned on its own
// with an envelope correlation above `threshold`. On a loaded machine a stalled process grows
// the playout delay part-way through, which spoils the second it happens in; such a second
// must sit between carried seconds whose delays differ by 10 ms or more. At least two thirds
// of the seconds must be carried.
void check_speech_carried(std::span<const std::int16_t> speech,
                          std::span<const std::int16_t> recording, double threshold);

}  // namespace hotline::test
