#pragma once
// Passphrases come from a file named on the command line, or from a prompt on the terminal —
// never from an argument, where they would show in `ps` and shell history.

#include <filesystem>
#include <optional>
#include <string>

namespace hotline::cli {

// The file's first line (without the line ending). Throws hotline::Error if unreadable/empty.
std::string read_passphrase_file(const std::filesystem::path& path);

// Asks on the controlling terminal without echo; nullopt when there is no terminal.
std::optional<std::string> prompt_passphrase(const std::string& prompt);

// Best-effort wipe of a passphrase held in a std::string.
void wipe(std::string& secret);

}  // namespace hotline::cli
