#include "app/cli/role_session.hpp"

#include "app/cli/passphrase.hpp"
#include "core/util/error.hpp"

namespace hotline::cli {
namespace {

std::string capitalised(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

OptionSpec with_role_options(OptionSpec spec) {
  spec.with_value.insert(kRoleOptionNames.begin(), kRoleOptionNames.end());
  return spec;
}

void unlock_key_if_possible(identity::Profile& profile, const Arguments& args) {
  if (!profile.key_needs_passphrase()) {
    profile.unlock(std::nullopt);
  } else if (args.value("--passphrase-file")) {
    unlock(profile, args);
  }
}

RoleSession::RoleSession(const Invocation& in, const Arguments& args, store::Role role)
    : profile_(identity::Profile::open(in.profile_dir)), audit_(profile_), gate_(profile_, audit_) {
  unlock_key_if_possible(profile_, args);
  const std::string name(store::display_name(role));
  if (role == store::Role::kOfficial) {
    grant_.emplace(gate_.official(admin::current_actor()));
    return;
  }
  if (!gate_.has_passphrase(role)) {
    throw Error("no " + name + " passphrase is set on this console yet; " +
                (role == store::Role::kAdministrator
                     ? "set one with 'hotline role passphrase admin'"
                     : "an administrator sets one with 'hotline role passphrase operator'"));
  }
  std::optional<std::string> passphrase;
  if (auto file = args.value("--role-passphrase-file")) {
    passphrase = read_passphrase_file(*file);
  } else {
    passphrase = prompt_passphrase(capitalised(name) + " passphrase: ");
  }
  if (!passphrase) {
    throw Error("this needs the " + name + " passphrase: give --role-passphrase-file FILE");
  }
  try {
    grant_.emplace(gate_.unlock(role, *passphrase, admin::current_actor()));
  } catch (...) {
    wipe(*passphrase);
    throw;
  }
  wipe(*passphrase);
}

std::string new_passphrase(const Arguments& args, const std::string& option,
                           const std::string& what) {
  if (auto file = args.value(option)) return read_passphrase_file(*file);
  auto first = prompt_passphrase("New " + what + " passphrase: ");
  if (!first) throw Error("give the new " + what + " passphrase with " + option + " FILE");
  auto second = prompt_passphrase("Again: ");
  if (!second || *second != *first) {
    wipe(*first);
    if (second) wipe(*second);
    throw Error("the two passphrases differ");
  }
  wipe(*second);
  if (first->empty()) throw Error("the passphrase must not be empty");
  return std::move(*first);
}

}  // namespace hotline::cli
