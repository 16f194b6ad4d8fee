// `hotline`: the headless console. Thin: parsing and printing only; all work is in core/.

#include <iostream>
#include <string>
#include <vector>

#include "app/cli/commands.hpp"
#include "core/util/error.hpp"

namespace {

constexpr const char* kUsage = R"(usage: hotline [--profile DIR] COMMAND [ARGS]

  init --name NAME --listen HOST:PORT [--passphrase-file F]
  card [--endpoint HOST:PORT] [--passphrase-file F]
                                              print this console's peer card
  fingerprint [NAME]                          this console's, or a peer's
  peer import FILE|- [--endpoint HOST:PORT]
  peer list
  peer remove NAME
  call NAME [--play IN.wav] [--record OUT.wav] [--seconds N] [--stats-json F]
            [--frame-ms 10|20] [--bitrate 16000..64000] [--passphrase-file F]
  answer [--play IN.wav] [--record OUT.wav] [--calls N] [--stats-json F]
         [--passphrase-file F]

The profile directory defaults to $XDG_DATA_HOME/hotline-console.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace hotline;
  std::vector<std::string> args(argv + 1, argv + argc);
  cli::Invocation in;
  in.profile_dir = identity::Profile::default_directory();
  // --profile may stand anywhere; everything else belongs to the command.
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--profile" || args[i].rfind("--profile=", 0) == 0) {
      if (args[i] == "--profile") {
        if (i + 1 >= args.size()) {
          std::cerr << "hotline: --profile needs a directory\n";
          return 2;
        }
        in.profile_dir = args[i + 1];
        args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
      } else {
        in.profile_dir = args[i].substr(10);
        args.erase(args.begin() + static_cast<long>(i));
      }
      --i;
    }
  }
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "peer") {
    if (args.empty()) {
      std::cerr << "hotline peer: missing subcommand (import, list, remove)\n";
      return 2;
    }
    command += " " + args[0];
    args.erase(args.begin());
  }
  in.args = std::move(args);

  try {
    if (command == "init") return cli::run_init(in);
    if (command == "card") return cli::run_card(in);
    if (command == "fingerprint") return cli::run_fingerprint(in);
    if (command == "peer import") return cli::run_peer_import(in);
    if (command == "peer list") return cli::run_peer_list(in);
    if (command == "peer remove") return cli::run_peer_remove(in);
    if (command == "call") return cli::run_call(in);
    if (command == "answer") return cli::run_answer(in);
    std::cerr << "hotline: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
  } catch (const cli::UsageError& e) {
    std::cerr << "hotline " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "hotline " << command << ": " << e.what() << "\n";
    return 1;
  }
}
