#pragma once
// The `hotline` subcommands. Each returns the process exit status; errors the user can act on
// are thrown as hotline::Error (exit 1) or UsageError (exit 2) and printed by main().

#include <filesystem>
#include <string>
#include <vector>

#include "app/cli/arguments.hpp"
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
int run_call(const Invocation& in);
int run_answer(const Invocation& in);

// Loads the identity, asking for the key passphrase (file option or terminal) if it has one.
void unlock(identity::Profile& profile, const Arguments& args);

}  // namespace hotline::cli
