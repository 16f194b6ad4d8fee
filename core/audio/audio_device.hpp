#pragma once
// What the engine's media pipeline sees of any audio device (PortAudio, file, tone, ...): two
// rings of 48 kHz mono int16, each holding at least kDeviceRingSamples.

#include <cstdint>
#include <string>

#include "core/audio/audio_format.hpp"
#include "core/audio/spsc_ring.hpp"

namespace hotline::audio {

class AudioDevice {
 public:
  virtual ~AudioDevice() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
  virtual SpscRing<std::int16_t>& capture() = 0;   // device -> engine (engine reads)
  virtual SpscRing<std::int16_t>& playback() = 0;  // engine -> device (engine writes)
  virtual std::string description() const = 0;
};

}  // namespace hotline::audio
