#pragma once
// A headless console for one `hotline call` / `hotline answer` run: the engine built from the
// profile, and one queue where engine events and SIGINT/SIGTERM meet, so the command's main
// thread reacts to everything in one place without polling.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/audio/wav.hpp"
#include "core/call/engine.hpp"
#include "core/identity/profile.hpp"

namespace hotline::cli {

struct SessionEvent {
  enum class Kind { kCallChanged, kCallEnded, kSignal };
  Kind kind;
  call::CallStats stats;
};

struct AudioFiles {
  std::optional<audio::PcmBuffer> play;  // loaded (and validated) before any call
  std::optional<std::filesystem::path> record;
};

class ConsoleSession final : public call::EngineListener {
 public:
  ConsoleSession(identity::Profile& profile, AudioFiles files);
  ~ConsoleSession() override;

  call::Engine& engine() { return *engine_; }
  // Waits for the next event until `deadline` (nullopt: no deadline).
  std::optional<SessionEvent> next_event(
      std::optional<std::chrono::steady_clock::time_point> deadline);

  void on_call_changed(const call::CallStats& snapshot) override;
  void on_call_ended(const call::CallStats& final_stats) override;

 private:
  void push(SessionEvent event);
  std::shared_ptr<audio::AudioDevice> make_device(const call::CallStats& call);

  AudioFiles files_;
  int calls_with_audio_ = 0;  // engine thread only
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<SessionEvent> events_;
  std::thread signal_thread_;
  std::unique_ptr<call::Engine> engine_;
};

// OUT.wav for the first call, OUT-2.wav, OUT-3.wav... for the next ones.
std::filesystem::path numbered_path(const std::filesystem::path& path, int call_number);

}  // namespace hotline::cli
