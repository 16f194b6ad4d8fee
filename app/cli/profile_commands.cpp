// init, card, fingerprint, and the peer directory: import, list, verify, endpoint, psk,
// enable, disable, remove. Changes need the administrator role.

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/cli/commands.hpp"
#include "app/cli/passphrase.hpp"
#include "app/cli/role_session.hpp"
#include "core/admin/administration.hpp"
#include "core/admin/passphrase_policy.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/identity/key_file.hpp"
#include "core/util/error.hpp"
#include "core/util/time_format.hpp"

namespace hotline::cli {

namespace {

constexpr const char* kNoKeyPassphraseWarning =
    "Warning: this console's key has no passphrase. Anyone who can read the profile's files can "
    "use it: place and answer calls as this console, and sign its audit log. To protect it, "
    "create the console with --passphrase-file FILE.";

std::string read_text(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A HOST:PORT option; a malformed value is a usage error naming the option.
std::optional<net::Endpoint> endpoint_option(const Arguments& args, const std::string& option) {
  const auto text = args.value(option);
  if (!text) return std::nullopt;
  try {
    return net::parse_endpoint_or_throw(*text);
  } catch (const Error& e) {
    throw UsageError(option + ": " + e.what());
  }
}

}  // namespace

void unlock(identity::Profile& profile, const Arguments& args) {
  if (!profile.key_needs_passphrase()) {
    profile.unlock(std::nullopt);
    return;
  }
  const auto file = args.value("--passphrase-file");
  // Typed at a prompt, a mistyped passphrase is asked again (three tries in all); a file's is
  // what it is.
  constexpr int kTries = 3;
  for (int attempt = 1;; ++attempt) {
    std::optional<std::string> passphrase =
        file ? std::optional(read_passphrase_file(*file)) : prompt_passphrase("Key passphrase: ");
    if (!passphrase) {
      throw Error("this console's key is protected by a passphrase: give --passphrase-file FILE");
    }
    try {
      profile.unlock(*passphrase);
      wipe(*passphrase);
      return;
    } catch (const identity::WrongPassphrase&) {
      wipe(*passphrase);
      if (file || attempt == kTries) throw;
      std::cerr << "Wrong passphrase; try again (" << kTries - attempt << " left).\n";
    } catch (...) {
      wipe(*passphrase);
      throw;
    }
  }
}

int run_init(const Invocation& in) {
  const Arguments args(in.args, {{"--name", "--listen", "--passphrase-file",
                                  "--admin-passphrase-file", "--operator-passphrase-file"},
                                 {}});
  args.expect_positional(0, "");
  const auto name = args.value("--name");
  const auto listen = args.value("--listen");
  if (!name) throw UsageError("--name is required");
  if (!listen) throw UsageError("--listen is required");
  const net::Endpoint endpoint = *endpoint_option(args, "--listen");
  std::optional<std::string> passphrase;
  if (auto file = args.value("--passphrase-file")) passphrase = read_passphrase_file(*file);
  // The role passphrases are read before anything is created, so a bad file leaves nothing.
  std::optional<std::string> admin_pass, operator_pass;
  if (auto file = args.value("--admin-passphrase-file")) admin_pass = read_passphrase_file(*file);
  if (auto file = args.value("--operator-passphrase-file")) {
    if (!admin_pass) throw UsageError("--operator-passphrase-file needs --admin-passphrase-file");
    operator_pass = read_passphrase_file(*file);
  }
  // Checked before anything is created, like the files above.
  if (passphrase) admin::require_strong_passphrase(*passphrase, "key");
  if (admin_pass) admin::require_strong_passphrase(*admin_pass, "administrator");
  if (operator_pass) admin::require_strong_passphrase(*operator_pass, "operator");
  if (passphrase && admin_pass)
    admin::require_different(*passphrase, "key", *admin_pass, "administrator");
  if (passphrase && operator_pass)
    admin::require_different(*passphrase, "key", *operator_pass, "operator");
  if (admin_pass && operator_pass) {
    admin::require_different(*operator_pass, "operator", *admin_pass, "administrator");
  }
  auto profile = identity::Profile::create(
      in.profile_dir, *name, endpoint,
      passphrase ? std::optional<std::string_view>(*passphrase) : std::nullopt);
  if (passphrase) wipe(*passphrase);
  std::cout << "Created console '" << profile.name() << "' in " << in.profile_dir.string() << "\n"
            << "Listening address: " << profile.listen().to_string() << "\n"
            << "Fingerprint: " << crypto::fingerprint(profile.public_key()) << "\n";
  if (!passphrase) std::cout << kNoKeyPassphraseWarning << "\n";
  if (admin_pass) {
    admin::AuditTrail audit(profile);
    admin::RoleGate gate(profile, audit);
    gate.set_first_passphrases(
        *admin_pass, operator_pass ? std::optional<std::string_view>(*operator_pass) : std::nullopt,
        admin::current_actor());
    wipe(*admin_pass);
    std::cout << "Administrator passphrase set"
              << (operator_pass ? "; operator passphrase set" : "") << "\n";
    if (operator_pass) wipe(*operator_pass);
  } else {
    std::cout << "No administrator passphrase yet: peers and settings cannot be changed until one "
                 "is set with 'hotline role passphrase admin'\n";
  }
  return 0;
}

int run_card(const Invocation& in) {
  const Arguments args(in.args, {{"--passphrase-file", "--endpoint"}, {}});
  args.expect_positional(0, "");
  std::vector<net::Endpoint> advertised;
  if (auto e = endpoint_option(args, "--endpoint")) advertised.push_back(*e);
  auto profile = identity::Profile::open(in.profile_dir);
  unlock(profile, args);
  std::cout << identity::serialize_card(profile.own_card(advertised));
  return 0;
}

int run_fingerprint(const Invocation& in) {
  const Arguments args(in.args, {});
  if (args.positional().size() > 1) throw UsageError("at most one peer name");
  auto profile = identity::Profile::open(in.profile_dir);
  if (args.positional().empty()) {
    std::cout << crypto::fingerprint(profile.public_key()) << "\n";
    return 0;
  }
  const auto peer = profile.peers().find_by_name(args.positional()[0]);
  if (!peer) throw Error("no peer named '" + args.positional()[0] + "'");
  std::cout << crypto::fingerprint(peer->public_key) << "\n";
  return 0;
}

int run_peer_import(const Invocation& in) {
  const Arguments args(in.args, with_role_options({{"--endpoint"}, {"--replace-key"}}));
  args.expect_positional(1, "card file (or - for standard input)");
  const std::optional<net::Endpoint> endpoint = endpoint_option(args, "--endpoint");
  const std::string text = read_text(args.positional()[0]);
  RoleSession session(in, args, store::Role::kAdministrator);
  admin::Administration administration(session.profile(), session.audit());
  const admin::ImportPreview preview = administration.preview_import(text, endpoint);
  std::string name;
  try {
    name = administration.import_card(session.grant(), text, endpoint, args.flag("--replace-key"));
  } catch (const admin::KeyChangeRefused& e) {
    throw Error(std::string(e.what()) +
                ". If the other side really has a new key, confirm with its administrator by "
                "voice, then run again with --replace-key");
  }
  if (preview.kind == admin::ImportPreview::Kind::kKeyChange) {
    std::cout << "WARNING: replaced the key of peer '" << name << "'\n"
              << "Old fingerprint: " << preview.old_fingerprint << "\n"
              << "New fingerprint: " << preview.fingerprint << " (unverified)\n";
  } else {
    std::cout << "Imported peer '" << name << "' (unverified)\n"
              << "Fingerprint: " << preview.fingerprint << "\n";
  }
  std::cout << "Compare this fingerprint with the other console's administrator by voice, then "
               "run 'hotline peer verify "
            << name << "'.\n";
  return 0;
}

int run_peer_list(const Invocation& in) {
  const Arguments args(in.args, {{"--passphrase-file"}, {}});
  args.expect_positional(0, "");
  auto profile = identity::Profile::open(in.profile_dir);
  unlock_key_if_possible(profile, args);  // to check the directory's seals
  const auto peers = profile.peers().list();
  const auto refused_probes = profile.peers().refused_probes();
  const auto findings = profile.directory_findings();
  if (peers.empty() && (!findings || findings->empty())) {
    std::cout << "No peers. Import a card with 'hotline peer import FILE'.\n";
    return 0;
  }
  for (const auto& p : peers) {
    std::string endpoints;
    for (const auto& e : p.endpoints) endpoints += (endpoints.empty() ? "" : ", ") + e;
    std::cout << p.name << "\n"
              << "  endpoints:   " << endpoints << "\n"
              << "  fingerprint: " << crypto::fingerprint(p.public_key) << "\n"
              << "  status:      " << (p.enabled ? "enabled" : "disabled") << ", "
              << (p.verified_at ? "verified by " + p.verified_by.value_or("?") + " on " +
                                      format_local(*p.verified_at * 1000)
                                : std::string("UNVERIFIED"))
              << (p.has_psk ? ", pre-shared key set" : "") << "\n";
    // A disabled peer whose console keeps showing our line: its probes, refused, are counted
    // here rather than recorded as calls.
    if (const auto probes = refused_probes.find(p.public_key); probes != refused_probes.end()) {
      std::cout << "  refused line-status probes: " << probes->second.count << ", the last on "
                << format_local(probes->second.last_at) << "\n";
    }
    if (!findings) continue;
    for (const auto& f : *findings) {
      if (f.public_key == p.public_key) std::cout << "  TAMPERED:    " << f.problem << "\n";
    }
  }
  if (!findings) {
    std::cout << "(The directory's seals were not checked: the key is locked. Give "
                 "--passphrase-file to check them.)\n";
    return 0;
  }
  if (!findings->empty()) {
    std::cout << "The peer directory was changed outside the console; tampered peers are "
                 "refused:\n";
    for (const auto& f : *findings) std::cout << "  " << f.problem << "\n";
    return 1;
  }
  return 0;
}

int run_peer_verify(const Invocation& in) {
  const Arguments args(in.args, with_role_options({{"--by"}, {}}));
  args.expect_positional(1, "peer name");
  RoleSession session(in, args, store::Role::kAdministrator);
  admin::Administration administration(session.profile(), session.audit());
  administration.verify(session.grant(), args.positional()[0], args.value("--by"));
  std::cout << "Peer '" << args.positional()[0] << "' verified\n";
  return 0;
}

int run_peer_endpoint(const Invocation& in) {
  const Arguments args(in.args, with_role_options({}));
  if (args.positional().size() < 2) throw UsageError("expected a peer name and HOST:PORT...");
  std::vector<net::Endpoint> endpoints;
  for (std::size_t i = 1; i < args.positional().size(); ++i) {
    try {
      endpoints.push_back(net::parse_endpoint_or_throw(args.positional()[i]));
    } catch (const Error& e) {
      throw UsageError(args.positional()[i] + ": " + e.what());
    }
  }
  RoleSession session(in, args, store::Role::kAdministrator);
  admin::Administration(session.profile(), session.audit())
      .set_endpoints(session.grant(), args.positional()[0], endpoints);
  std::cout << "Endpoints of peer '" << args.positional()[0] << "' updated\n";
  return 0;
}

int run_peer_psk(const Invocation& in) {
  const Arguments args(in.args, with_role_options({{"--file"}, {"--generate", "--remove"}}));
  args.expect_positional(1, "peer name");
  const int choices = (args.flag("--generate") ? 1 : 0) + (args.value("--file") ? 1 : 0) +
                      (args.flag("--remove") ? 1 : 0);
  if (choices != 1) throw UsageError("give exactly one of --generate, --file F, --remove");
  std::optional<crypto::SecretKey> from_file;
  if (auto file = args.value("--file")) {
    std::string text = read_text(*file);
    try {
      from_file.emplace(admin::parse_psk(text));
    } catch (...) {
      wipe(text);
      throw;
    }
    wipe(text);
  }
  RoleSession session(in, args, store::Role::kAdministrator);
  admin::Administration administration(session.profile(), session.audit());
  const std::string& peer = args.positional()[0];
  if (args.flag("--remove")) {
    administration.clear_psk(session.grant(), peer);
    std::cout << "Pre-shared key of peer '" << peer << "' removed\n";
  } else if (from_file) {
    administration.set_psk(session.grant(), peer, *from_file);
    std::cout << "Pre-shared key of peer '" << peer << "' set\n";
  } else {
    const crypto::SecretKey psk = administration.generate_psk(session.grant(), peer);
    std::string text = admin::format_psk(psk);
    std::cout << text << "\n";
    wipe(text);
    std::cerr << "This is the new pre-shared key for '" << peer
              << "'. It is shown only now: hand it to the other console's administrator out of "
                 "band, who sets it with 'hotline peer psk NAME --file F'. Calls fail until both "
                 "sides have it.\n";
  }
  return 0;
}

namespace {

int set_enabled(const Invocation& in, bool enabled) {
  const Arguments args(in.args, with_role_options({}));
  args.expect_positional(1, "peer name");
  RoleSession session(in, args, store::Role::kAdministrator);
  admin::Administration(session.profile(), session.audit())
      .set_enabled(session.grant(), args.positional()[0], enabled);
  std::cout << "Peer '" << args.positional()[0] << "' " << (enabled ? "enabled" : "disabled")
            << "\n";
  return 0;
}

}  // namespace

int run_peer_enable(const Invocation& in) {
  return set_enabled(in, true);
}

int run_peer_disable(const Invocation& in) {
  return set_enabled(in, false);
}

int run_peer_remove(const Invocation& in) {
  const Arguments args(in.args, with_role_options({}));
  args.expect_positional(1, "peer name");
  RoleSession session(in, args, store::Role::kAdministrator);
  admin::Administration(session.profile(), session.audit())
      .remove(session.grant(), args.positional()[0]);
  std::cout << "Removed peer '" << args.positional()[0]
            << "' (its calls are refused; history keeps its name and fingerprint)\n";
  return 0;
}

int run_peer_reset_replay(const Invocation& in) {
  const Arguments args(in.args, with_role_options({}));
  args.expect_positional(1, "peer name");
  RoleSession session(in, args, store::Role::kAdministrator);
  const std::string& name = args.positional()[0];
  if (admin::Administration(session.profile(), session.audit())
          .reset_replay(session.grant(), name)) {
    std::cout << "Replay protection for '" << name
              << "' reset: its next call is accepted (a console running now applies it at its "
                 "next start)\n";
  } else {
    std::cout << "No replay state is stored for '" << name << "': nothing to reset\n";
  }
  return 0;
}

}  // namespace hotline::cli
