#pragma once
// A live sound device through PortAudio. When the input and output devices are on the same
// host API, one full-duplex stream carries both directions: its callback sees the microphone
// and the loudspeaker samples of the same instant, so played() gives the echo canceller its
// exact reference. Otherwise, or when the duplex stream cannot be opened, capture and
// playback are two separate streams, so a microphone that is unplugged does not silence the
// loudspeaker (and the other way round), and played() is null. A duplex stream that fails
// takes both directions with it; service() then opens it again if PortAudio had ended it
// (at most kMaxDuplexRestarts times), else replaces it with two streams, and only a direction
// whose own stream cannot be opened fails. Either direction may be absent. A stream runs at
// 48 kHz when the devices support it, otherwise at another rate with rate bridges resampling
// in service(). Buffers are 5 ms by default.
//
// Threads: the constructor, start(), stop() and service() belong to the engine thread
// (PortAudio is not thread-safe); health() and stats() may be asked from any thread. The
// stream callbacks run on PortAudio's real-time threads and only move samples through SPSC
// rings and bump atomics (stream_callbacks.hpp).

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/audio/audio_device.hpp"
#include "core/audio/device_catalog.hpp"
#include "core/audio/portaudio_stream.hpp"
#include "core/audio/stream_callbacks.hpp"

namespace hotline::audio {

struct PortAudioDeviceOptions {
  // Device names as find_input()/find_output() take them; nullopt: no such stream.
  std::optional<std::string> input = "default";
  std::optional<std::string> output = "default";
  // Per callback. 10 ms halves the wake-ups through a sound server and saves about a tenth of
  // the CPU, but the jitter buffer then keeps 14 ms more and still conceals more often
  // (docs/performance.md): for a hotline the delay and the sound weigh more.
  std::chrono::microseconds buffer{5'000};
  // One full-duplex stream when both devices are on one host API; false: always two streams.
  bool duplex = true;
  // A running stream whose callback has not run for this long has failed (device gone, or
  // its server hung); in the first start_grace after start() it may be quiet for longer,
  // as PulseAudio can take a second or more to get a new stream going.
  std::chrono::milliseconds stall_timeout{1'000};
  std::chrono::milliseconds start_grace{3'000};
};

// Counts are over the device's life, across the streams it replaced.
struct PortAudioDeviceStats {
  bool duplex = false;            // one full-duplex stream carries both directions now
  int duplex_restarts = 0;        // duplex streams opened again after PortAudio ended one
  bool duplex_abandoned = false;  // a failed duplex stream was replaced by two streams
  int capture_rate = 0;           // 0: no capture stream
  int playback_rate = 0;
  std::uint64_t capture_callbacks = 0;
  std::uint64_t capture_overruns = 0;  // callbacks whose samples did not all fit
  std::uint64_t capture_overrun_samples = 0;
  std::uint64_t playback_callbacks = 0;
  std::uint64_t playback_underruns = 0;  // callbacks the engine had not supplied enough for
  std::uint64_t playback_underrun_samples = 0;
  std::uint64_t host_xruns = 0;  // input overflows and output underflows PortAudio reported
  // Duplex: how far back in the output the echo reference is taken now, beyond the round
  // trip at the start (ReferenceAligner), and how often that changed.
  double reference_shift_ms = 0.0;
  std::uint64_t reference_shifts = 0;
  // When the echo path last changed under the canceller: seconds from start() to the
  // service() call that first saw a host xrun, a reference shift or a duplex restart;
  // negative: never. The live echo test uses it to tell a canceller that fails from one
  // that was still adapting to a change.
  double last_disturbance_s = -1.0;
};

class PortAudioDevice final : public AudioDevice {
 public:
  // Resolves the names and opens the streams (not started). Throws hotline::Error naming the
  // device, the direction and PortAudio's reason when a device is missing or cannot be opened.
  explicit PortAudioDevice(PortAudioDeviceOptions options = {});
  ~PortAudioDevice() override;
  PortAudioDevice(const PortAudioDevice&) = delete;
  PortAudioDevice& operator=(const PortAudioDevice&) = delete;

  void start() override;  // a stream that will not start fails as in service()
  void stop() override;
  // Resamples (devices not at 48 kHz) and watches each running stream: stopped by PortAudio,
  // finished, or no callback for stall_timeout marks its direction failed; a duplex stream
  // is replaced instead (see above), which blocks the engine thread while streams open.
  void service() override;
  // A direction opened without a device reports as not ok ("no input device"), like a
  // failed one, so the engine keeps that side going on its own clock.
  DeviceHealth health() const override;
  // Names the mode ("duplex stream" or "two streams"), the devices, host API and rates.
  // Engine thread only, as the streams may change.
  std::string description() const override;
  // The stream that carries capture (else playback) while it runs: its callbacks as counted
  // and when the next should have run, as learnt in service() (CallbackPhase). Null before
  // service() could date a callback, and once that stream failed: the engine polls then.
  std::optional<PeriodClock> period_clock() const override;
  // What one callback moves (the buffer option), at the engine's 48 kHz. A sound server
  // may run callbacks a whole period early or back to back, so the jitter is one period.
  std::size_t period_samples() const override;
  std::size_t period_jitter_samples() const override { return period_samples(); }
  DeviceCounters counters() const override;

 protected:
  SpscRing<std::int16_t>& capture_ring() override { return capture_; }
  SpscRing<std::int16_t>& playback_ring() override { return playback_; }
  // Only in duplex mode (at 48 kHz or through the rate bridges); null with two streams, also
  // after a failed duplex stream was replaced by two.
  SpscRing<std::int16_t>* played_ring() override;

 public:
  PortAudioDeviceStats stats() const;

 private:
  struct Stream;  // an open stream and how the device watches it
  using Clock = std::chrono::steady_clock;
  static constexpr int kMaxDuplexRestarts = 3;

  EngineRings engine_rings() { return {capture_, playback_, played_}; }
  Stream* clock_stream() const;
  Stream* add(std::unique_ptr<PortAudioStream> stream);  // and make it input_ / output_
  void begin(Stream& stream, Clock::time_point now);
  void watch(Stream& stream, Clock::time_point now);
  // A failed one-way stream fails its direction. A failed duplex stream is left to
  // replace_failed_duplex(): opened again, else as two streams, else its directions fail.
  void fail(Stream& stream, const std::string& why, bool stalled = false);
  void replace_failed_duplex();
  void report(const std::string& message, bool capture);
  static void add_counts(const Stream& stream, PortAudioDeviceStats& out);
  std::uint64_t disturbances() const;  // what moves last_disturbance_s, from stats()

  PortAudioLibrary library_;  // first member: outlives the streams
  PortAudioDeviceOptions options_;
  SpscRing<std::int16_t> capture_{kDeviceRingSamples};
  SpscRing<std::int16_t> playback_{kDeviceRingSamples};
  SpscRing<std::int16_t> played_{kDeviceRingSamples};  // written in duplex mode only
  std::vector<std::unique_ptr<Stream>> streams_;       // one (duplex) or one per direction
  Stream* input_ = nullptr;                            // null: no capture
  Stream* output_ = nullptr;                           // the same stream in duplex mode
  bool running_ = false;
  Clock::time_point started_at_;
  std::uint64_t disturbances_seen_ = 0;
  int duplex_restarts_ = 0;
  bool duplex_abandoned_ = false;

  // health() and stats() may be asked from other threads, while the engine thread may
  // replace the streams: changes to streams_ happen under this lock too.
  mutable std::mutex mutex_;
  DeviceHealth health_;
  PortAudioDeviceStats retired_;  // counts of the streams replaced
  double last_disturbance_s_ = -1.0;
};

}  // namespace hotline::audio
