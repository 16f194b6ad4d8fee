#pragma once
// What one console is, on its worker thread: the profile and its store, the running engine
// (through the console runtime, which records the history), the administration and the
// operator's access to the history, and the role grants while a role is unlocked. Only code
// run by ConsoleSession::run() touches it, always on the worker thread.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/admin/administration.hpp"
#include "core/admin/history_access.hpp"
#include "core/admin/role_gate.hpp"
#include "core/audio/device_tester.hpp"
#include "core/audio/wav.hpp"
#include "core/console/console_runtime.hpp"
#include "core/console/console_settings.hpp"
#include "core/console/echo_line.hpp"
#include "core/identity/profile.hpp"
#include "ui/call_controller.hpp"

namespace hotline::ui {

using console::ConsoleSettings;
using console::kSettingBitrate;
using console::kSettingEchoCancellation;
using console::kSettingFrameMs;
using console::kSettingInput;
using console::kSettingLanguage;
using console::kSettingListen;
using console::kSettingNoiseSuppression;
using console::kSettingOutput;
using console::kSettingRoleIdleMinutes;
using console::read_settings;

// Where a console's calls get their audio.
enum class AudioMode {
  kLive,          // PortAudio, the devices named in the settings (default devices otherwise)
  kSpeechSample,  // headless: the built-in speech sample as microphone, loudspeaker discarded
  kTone,          // headless: a 440 Hz tone as microphone, loudspeaker discarded
};

struct SessionOptions {
  std::filesystem::path profile_dir;
  AudioMode audio = AudioMode::kLive;
  std::optional<audio::PcmBuffer> speech;  // kSpeechSample
  std::chrono::milliseconds presence_interval{30'000};
  bool echo_line = true;
  crypto::PassphraseCost role_cost = crypto::PassphraseCost::kModerate;
  call::EngineTimers timers;
};

// A peer as the views show it (no secrets).
struct PeerInfo {
  std::string name;
  std::string fingerprint;
  std::vector<std::string> endpoints;
  bool enabled = true;
  bool verified = false;
  std::string verified_by;
  std::int64_t verified_at = 0;  // unix seconds
  bool has_psk = false;
  std::int64_t refused_probes = 0;  // its line-status probes refused while it was disabled
};

struct ConsoleBackend {
  ConsoleBackend(const SessionOptions& options, std::optional<std::string> key_passphrase,
                 EngineEvents& events);
  ~ConsoleBackend();

  // Throws admin::AccessDenied when the role is locked.
  const admin::RoleGrant& grant(store::Role role) const;
  std::vector<PeerInfo> peers();
  // After a change to the directory: the engine learns it too.
  void directory_changed();
  void apply_settings();  // the devices the next call opens

  identity::Profile profile;
  admin::AuditTrail audit;
  admin::RoleGate gate;
  admin::Administration administration;
  admin::HistoryAccess history;
  ConsoleSettings settings;
  std::optional<admin::RoleGrant> operator_grant;
  std::optional<admin::RoleGrant> admin_grant;
  std::unique_ptr<audio::DeviceTester> tester;  // while the settings page tests devices

 private:
  std::shared_ptr<audio::AudioDevice> make_device();

  AudioMode audio_mode_;
  std::optional<audio::PcmBuffer> speech_;
  std::mutex devices_mutex_;  // the engine thread reads the device names for each call
  std::string input_, output_;
  std::unique_ptr<console::EchoLine> echo_;
  std::unique_ptr<console::ConsoleRuntime> runtime_;

 public:
  call::Engine& engine() { return runtime_->engine(); }
  console::ConsoleRuntime& runtime() { return *runtime_; }
};

}  // namespace hotline::ui
