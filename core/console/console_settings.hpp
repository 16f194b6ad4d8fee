#pragma once
// A console's settings in its profile's store: what the command line's calls and the GUI use,
// read and checked in one place.

#include <string>

#include "core/identity/profile.hpp"

namespace hotline::console {

// The settings a console runs with, as stored in its profile.
struct ConsoleSettings {
  std::string input = "default";
  std::string output = "default";
  int frame_ms = 20;
  int bitrate = 32000;
  bool echo_cancellation = true;
  bool noise_suppression = true;
  std::string listen;
  std::string language;  // "" (system), "en", "zh_CN"
  int role_idle_minutes = 5;
};

// The keys (the command line's `settings` command knows the same).
inline constexpr const char* kSettingInput = "audio.input";
inline constexpr const char* kSettingOutput = "audio.output";
inline constexpr const char* kSettingFrameMs = "call.frame_ms";
inline constexpr const char* kSettingBitrate = "call.bitrate";
inline constexpr const char* kSettingEchoCancellation = "audio.echo_cancellation";
inline constexpr const char* kSettingNoiseSuppression = "audio.noise_suppression";
inline constexpr const char* kSettingLanguage = "ui.language";
inline constexpr const char* kSettingRoleIdleMinutes = "ui.role_idle_minutes";
inline constexpr const char* kSettingListen = "listen_endpoint";  // the profile's own

// Missing or malformed values read as their defaults (frame 20 ms, 32 kb/s, echo cancellation
// and noise suppression on, 5 idle minutes); 10 ms frames get at least 32 kb/s.
ConsoleSettings read_settings(identity::Profile& profile);

}  // namespace hotline::console
