#pragma once
// The `hotline` subcommands. Each returns the process exit status; errors the user can act on
// are thrown as hotline::Error (exit 1) or UsageError (exit 2) and printed by main().

#include <filesystem>
#include <string>
#include <vector>

#include "app/cli/arguments.hpp"
#include "core/console/console_settings.hpp"
#include "core/identity/profile.hpp"

namespace hotline::cli {

struct Invocation {
  std::filesystem::path profile_dir;
  std::vector<std::string> args;  // after the command name (and after "peer <sub>")
};

int run_init(const Invocation& in);
int run_card(const Invocation& in);
int run_fingerprint(const Invocation& in);
int run_peer_import(const Invocation& in);
int run_peer_list(const Invocation& in);
int run_peer_remove(const Invocation& in);
int run_peer_reset_replay(const Invocation& in);
int run_peer_verify(const Invocation& in);
int run_peer_endpoint(const Invocation& in);
int run_peer_psk(const Invocation& in);
int run_peer_enable(const Invocation& in);
int run_peer_disable(const Invocation& in);
int run_history(const Invocation& in);
int run_history_note(const Invocation& in);
int run_audit(const Invocation& in);
int run_audit_verify(const Invocation& in);
int run_role_passphrase(const Invocation& in);
int run_call(const Invocation& in);
int run_answer(const Invocation& in);
int run_devices(const Invocation& in);
int run_settings_set(const Invocation& in);
int run_settings_get(const Invocation& in);
int run_settings_list(const Invocation& in);
int run_settings_unset(const Invocation& in);

// Profile settings naming the sound devices calls use (--input/--output override them).
inline constexpr const char* kInputSetting = console::kSettingInput;
inline constexpr const char* kOutputSetting = console::kSettingOutput;

// Loads the identity, asking for the key passphrase (file option or terminal) if it has one.
void unlock(identity::Profile& profile, const Arguments& args);

}  // namespace hotline::cli
