#pragma once
// The least a passphrase must be, wherever one is chosen (the wizard, `hotline init`, `hotline
// role passphrase`, RoleGate): at least 8 characters, and the key's, the administrator's and
// the operator's all different — whoever learns one must not hold another (the key's unlocks
// the console; a role's only its pages). No composition rules: length is what a guesser pays
// for, and each guess also costs an Argon2id hash.

#include <string_view>

namespace hotline::admin {

inline constexpr std::size_t kMinPassphraseChars = 8;

// Throws hotline::Error (ErrorCode::kPassphraseTooShort, values: `what`, the minimum) for a
// passphrase of fewer than kMinPassphraseChars characters (UTF-8 code points).
void require_strong_passphrase(std::string_view passphrase, std::string_view what);
// Throws hotline::Error (ErrorCode::kPassphrasesEqual, values: both names) when equal.
void require_different(std::string_view a, std::string_view a_name, std::string_view b,
                       std::string_view b_name);

}  // namespace hotline::admin
