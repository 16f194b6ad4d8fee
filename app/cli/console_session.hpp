#pragma once
// A console for one `hotline call` / `hotline answer` run: the console runtime built from the
// profile (engine, history, profile lock), the audio its calls use, and one queue where
// engine events, lines typed on standard input and SIGINT/SIGTERM meet, so the command's main
// thread reacts to everything in one place without polling.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/audio/device_catalog.hpp"
#include "core/audio/voice_options.hpp"
#include "core/audio/wav.hpp"
#include "core/console/console_runtime.hpp"
#include "core/identity/profile.hpp"
#include "core/util/event_queue.hpp"

namespace hotline::cli {

struct SessionEvent {
  enum class Kind { kCallChanged, kCallEnded, kSignal, kCommand };
  Kind kind;
  call::CallStats stats;
  std::string command;  // kCommand: the line typed, trimmed
};

// Where calls get their audio. Each direction is a live sound device through PortAudio or a
// WAV file through a clocked device: --play replaces the microphone, --record the
// loudspeaker. With a file on one side, the other side is live only when its device was named
// on the command line (--output with --play, --input with --record); otherwise it is silence
// or discarded, and the call is headless.
struct AudioSetup {
  std::optional<audio::PcmBuffer> play;  // loaded (and validated) before any call
  std::optional<std::filesystem::path> record;
  std::optional<std::string> input;  // live device names; nullopt: that side is not live
  std::optional<std::string> output;
  std::string input_origin;  // where the name came from, for error messages
  std::string output_origin;
  audio::VoiceOptions voice;

  bool live() const { return input || output; }
};

class ConsoleSession final : public call::EngineListener {
 public:
  // Live audio: opens both devices once before anything else, so a missing or unusable one
  // is reported (hotline::Error) before a call is placed or awaited.
  ConsoleSession(identity::Profile& profile, AudioSetup audio);
  ~ConsoleSession() override;

  call::Engine& engine() { return runtime_->engine(); }
  console::ConsoleRuntime& runtime() { return *runtime_; }
  // Waits for the next event until `deadline` (nullopt: no deadline).
  std::optional<SessionEvent> next_event(
      std::optional<std::chrono::steady_clock::time_point> deadline);

  void on_call_changed(const call::CallStats& snapshot) override;
  void on_call_ended(const call::CallStats& final_stats) override;

 private:
  void push(SessionEvent event);
  void read_commands();  // standard input, until end of file or shutdown
  std::shared_ptr<audio::AudioDevice> make_device(const call::CallStats& call);

  AudioSetup audio_;
  // Live audio only: keeps PortAudio's device list the same from the check to the calls.
  std::optional<audio::PortAudioLibrary> portaudio_;
  int calls_with_audio_ = 0;         // engine thread only
  EventQueue<SessionEvent> events_;  // engine, signal and command threads -> the session
  std::thread signal_thread_;
  int stop_pipe_[2] = {-1, -1};  // written at shutdown to wake the command reader
  std::thread command_thread_;
  std::unique_ptr<console::ConsoleRuntime> runtime_;
};

// OUT.wav for the first call, OUT-2.wav, OUT-3.wav... for the next ones.
std::filesystem::path numbered_path(const std::filesystem::path& path, int call_number);

}  // namespace hotline::cli
