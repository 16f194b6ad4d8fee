#pragma once
// One open PortAudio stream of a PortAudioDevice: capture only, playback only, or full duplex.
// It owns what its real-time callback touches (the rings at the stream's rate, the counters)
// and, for devices not at 48 kHz, the rate bridges to and from the engine's 48 kHz rings.
// Engine thread only, like PortAudio itself; the callback runs on PortAudio's thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/audio/device_catalog.hpp"
#include "core/audio/spsc_ring.hpp"
#include "core/audio/stream_callbacks.hpp"

namespace hotline::audio {

// The device's 48 kHz rings, as the engine sees them.
struct EngineRings {
  SpscRing<std::int16_t>& capture;
  SpscRing<std::int16_t>& playback;
  SpscRing<std::int16_t>& played;  // filled by a duplex stream only
};

class PortAudioStream {
 public:
  // One direction, at 48 kHz or else the device's default rate. Throws hotline::Error naming
  // the device and PortAudio's reason when it cannot be opened.
  static std::unique_ptr<PortAudioStream> open(const DeviceInfo& device, StreamDirection direction,
                                               const EngineRings& engine,
                                               std::chrono::microseconds buffer);
  // Both directions at a rate both devices support (48 kHz, else either's default). Null when
  // PortAudio refuses: the caller falls back to two streams, which report their own errors.
  static std::unique_ptr<PortAudioStream> open_duplex(const DeviceInfo& in, const DeviceInfo& out,
                                                      const EngineRings& engine,
                                                      std::chrono::microseconds buffer);
  ~PortAudioStream();
  PortAudioStream(const PortAudioStream&) = delete;
  PortAudioStream& operator=(const PortAudioStream&) = delete;

  const std::optional<DeviceInfo>& input() const { return in_; }    // captures from
  const std::optional<DeviceInfo>& output() const { return out_; }  // plays to
  bool duplex() const { return in_ && out_; }
  int rate() const { return rate_; }
  // How much sound one callback moves, as time.
  std::chrono::nanoseconds period() const {
    return std::chrono::nanoseconds(static_cast<std::int64_t>(frames_per_buffer_) * 1'000'000'000 /
                                    rate_);
  }
  // "input device 'X'", "output device 'Y'" or both joined by "and".
  std::string label() const;

  std::optional<std::string> start();  // PortAudio's reason when it will not start
  void abort();
  // Null while PortAudio reports the stream active, else why it is not.
  std::optional<std::string> inactive() const;
  // Moves samples between the bridges and `engine` (streams not at 48 kHz). Returns the
  // captured 48 kHz samples that did not fit.
  std::size_t service(const EngineRings& engine);

  // What the callback counts. A one-way stream uses only its direction's state; disabling
  // both silences a failed stream.
  CallbackState& capture_state();
  CallbackState& playback_state();
  const CallbackState& capture_state() const;
  const CallbackState& playback_state() const;
  const ReferenceAligner* reference() const;  // null unless duplex

  // What the callback touches (defined with the callback thunks); its address is PortAudio's
  // user data.
  struct RealTime;

 private:
  struct Bridges;
  PortAudioStream();
  void attach(const EngineRings& engine, std::chrono::microseconds buffer);

  std::optional<DeviceInfo> in_;
  std::optional<DeviceInfo> out_;
  int rate_ = 0;
  unsigned long frames_per_buffer_ = 0;
  std::unique_ptr<RealTime> rt_;
  std::unique_ptr<Bridges> bridges_;  // null at 48 kHz
  void* pa_ = nullptr;                // PaStream, kept out of this header with portaudio.h
};

}  // namespace hotline::audio
