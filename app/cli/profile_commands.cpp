// init, card, fingerprint, peer import/list/remove.

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/cli/commands.hpp"
#include "app/cli/passphrase.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/util/error.hpp"

namespace hotline::cli {

namespace {

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
  std::optional<std::string> passphrase;
  if (auto file = args.value("--passphrase-file")) {
    passphrase = read_passphrase_file(*file);
  } else {
    passphrase = prompt_passphrase("Key passphrase: ");
  }
  if (!passphrase) {
    throw Error("this console's key is protected by a passphrase: give --passphrase-file FILE");
  }
  try {
    profile.unlock(*passphrase);
  } catch (...) {
    wipe(*passphrase);
    throw;
  }
  wipe(*passphrase);
}

int run_init(const Invocation& in) {
  const Arguments args(in.args, {{"--name", "--listen", "--passphrase-file"}, {}});
  args.expect_positional(0, "");
  const auto name = args.value("--name");
  const auto listen = args.value("--listen");
  if (!name) throw UsageError("--name is required");
  if (!listen) throw UsageError("--listen is required");
  const net::Endpoint endpoint = *endpoint_option(args, "--listen");
  std::optional<std::string> passphrase;
  if (auto file = args.value("--passphrase-file")) passphrase = read_passphrase_file(*file);
  auto profile = identity::Profile::create(
      in.profile_dir, *name, endpoint,
      passphrase ? std::optional<std::string_view>(*passphrase) : std::nullopt);
  if (passphrase) wipe(*passphrase);
  std::cout << "Created console '" << profile.name() << "' in " << in.profile_dir.string() << "\n"
            << "Listening address: " << profile.listen().to_string() << "\n"
            << "Fingerprint: " << crypto::fingerprint(profile.public_key()) << "\n";
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
  const Arguments args(in.args, {{"--endpoint"}, {}});
  args.expect_positional(1, "card file (or - for standard input)");
  const std::optional<net::Endpoint> endpoint = endpoint_option(args, "--endpoint");
  auto profile = identity::Profile::open(in.profile_dir);
  const std::string text = read_text(args.positional()[0]);
  const std::string name = profile.import_card(text, endpoint);
  const auto peer = profile.peers().find_by_name(name);
  std::cout << "Imported peer '" << name << "' (unverified)\n"
            << "Fingerprint: " << crypto::fingerprint(peer->public_key) << "\n"
            << "Compare this fingerprint with the other console's administrator by voice.\n";
  return 0;
}

int run_peer_list(const Invocation& in) {
  const Arguments args(in.args, {});
  args.expect_positional(0, "");
  auto profile = identity::Profile::open(in.profile_dir);
  const auto peers = profile.peers().list();
  if (peers.empty()) {
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
              << (p.verified_at ? "verified" : "unverified") << "\n";
  }
  return 0;
}

int run_peer_remove(const Invocation& in) {
  const Arguments args(in.args, {});
  args.expect_positional(1, "peer name");
  auto profile = identity::Profile::open(in.profile_dir);
  if (!profile.peers().remove(args.positional()[0])) {
    throw Error("no peer named '" + args.positional()[0] + "'");
  }
  std::cout << "Removed peer '" << args.positional()[0] << "'\n";
  return 0;
}

}  // namespace hotline::cli
