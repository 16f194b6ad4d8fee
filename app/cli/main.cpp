// `hotline`: the headless console. Thin: parsing and printing only; all work is in core/.

#include <iostream>
#include <string>
#include <vector>

#include "app/cli/commands.hpp"
#include "core/util/error.hpp"
#include "core/util/process_hardening.hpp"

namespace {

constexpr const char* kUsage = R"(usage: hotline [--profile DIR] COMMAND [ARGS]

Official (no passphrase):
  init --name NAME --listen HOST:PORT [--passphrase-file F]
       [--admin-passphrase-file F [--operator-passphrase-file F]]
  card [--endpoint HOST:PORT] [--passphrase-file F]
                                              print this console's peer card
  fingerprint [NAME]                          this console's, or a peer's
  peer list
  call NAME [--input DEV] [--output DEV] [--seconds N] [--stats-json F]
            [--frame-ms 10|20] [--bitrate 16000..64000] [--passphrase-file F]
            [--no-aec] [--no-ns] [--agc] [--no-tones] [--play IN.wav] [--record OUT.wav]
  answer [--input DEV] [--output DEV] [--calls N] [--stats-json F] [--passphrase-file F]
         [--no-aec] [--no-ns] [--agc] [--no-tones] [--play IN.wav] [--record OUT.wav]
         During a call, type: confirm (the SAS words matched), mute, unmute, hangup
  devices                                     list sound devices (no profile needed)
  settings list | get KEY

Operator (operator passphrase):
  history [--peer NAME] [--since DATE] [--until DATE] [--outcome O] [--direction in|out]
          [--search TEXT] [--limit N] [--csv [--bom]|--json]
  history note ID TEXT

Administrator (administrator passphrase):
  peer import FILE|- [--endpoint HOST:PORT] [--replace-key]
  peer verify NAME [--by WHO]                 the fingerprint was compared by voice
  peer endpoint NAME HOST:PORT...
  peer psk NAME --generate|--file F|--remove
  peer disable NAME | enable NAME | remove NAME | reset-replay NAME
  settings set KEY VALUE | unset KEY          KEY: audio.input, audio.output, listen, ...
  role passphrase operator|admin [--new-passphrase-file F]
  audit [--csv]
  audit verify

Role commands read the role's passphrase from --role-passphrase-file F or ask on the
terminal, and take --passphrase-file F (the key's) to sign their audit entries at once.
Calls use the sound devices named by --input/--output, else by the audio.input/audio.output
settings, else the system's default ones. --play IN.wav takes the microphone's place and
--record OUT.wav the loudspeaker's. With a file on one side, the other side is live only
when named: --play with --output, --record with --input; otherwise the call is headless (a
side not given is silence / discarded).
The profile directory defaults to $XDG_DATA_HOME/hotline-console.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace hotline;
  harden_process();
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
  if (command == "peer" || command == "settings" || command == "role") {
    if (args.empty()) {
      std::cerr << "hotline " << command << ": missing subcommand ("
                << (command == "peer"       ? "import, list, verify, endpoint, psk, enable, "
                                              "disable, remove, reset-replay"
                    : command == "settings" ? "list, get, set, unset"
                                            : "passphrase")
                << ")\n";
      return 2;
    }
    command += " " + args[0];
    args.erase(args.begin());
  } else if ((command == "history" && !args.empty() && args[0] == "note") ||
             (command == "audit" && !args.empty() && args[0] == "verify")) {
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
    if (command == "peer reset-replay") return cli::run_peer_reset_replay(in);
    if (command == "peer verify") return cli::run_peer_verify(in);
    if (command == "peer endpoint") return cli::run_peer_endpoint(in);
    if (command == "peer psk") return cli::run_peer_psk(in);
    if (command == "peer enable") return cli::run_peer_enable(in);
    if (command == "peer disable") return cli::run_peer_disable(in);
    if (command == "history") return cli::run_history(in);
    if (command == "history note") return cli::run_history_note(in);
    if (command == "audit") return cli::run_audit(in);
    if (command == "audit verify") return cli::run_audit_verify(in);
    if (command == "role passphrase") return cli::run_role_passphrase(in);
    if (command == "call") return cli::run_call(in);
    if (command == "answer") return cli::run_answer(in);
    if (command == "devices") return cli::run_devices(in);
    if (command == "settings list") return cli::run_settings_list(in);
    if (command == "settings get") return cli::run_settings_get(in);
    if (command == "settings set") return cli::run_settings_set(in);
    if (command == "settings unset") return cli::run_settings_unset(in);
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
