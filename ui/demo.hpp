#pragma once
// `hotline-console --demo`: two consoles, "Beijing" and "Singapore", with throw-away profiles
// in a temporary directory, listening on loopback, whose cards are exchanged and verified, so
// a newcomer can click Call in one window and Accept in the other.

#include <QString>
#include <filesystem>

namespace hotline::ui {

struct DemoProfiles {
  std::filesystem::path beijing;
  std::filesystem::path singapore;
};

// The demo's role passphrases, shown in its windows.
inline constexpr const char* kDemoOperatorPassphrase = "operator";
inline constexpr const char* kDemoAdminPassphrase = "administrator";

// Creates both profiles under `root` (which must not exist yet or be empty). Throws
// hotline::Error.
DemoProfiles create_demo_profiles(const std::filesystem::path& root);

// Whether PortAudio finds a default microphone and loudspeaker on this machine.
bool sound_card_present();

}  // namespace hotline::ui
