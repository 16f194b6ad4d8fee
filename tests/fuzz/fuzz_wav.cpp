// WAV files come from operators' tools (announcements, test calls) and are decoded whole.

#include <cstdint>

#include "core/audio/wav.hpp"
#include "tests/fuzz/fixtures.hpp"

using namespace hotline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const audio::PcmBuffer pcm = audio::parse_wav(ByteSpan(data, size));
    // Output is 48 kHz mono and input at least 8 kHz, one byte a frame: at most 6 samples a
    // byte. More would mean a declared length, not the file, sized the output.
    fuzz::require(pcm.samples.size() <= 6 * size + 1);
  } catch (const Error&) {
  }
  return 0;
}
