#include "core/admin/passphrase_policy.hpp"

#include <string>

#include "core/util/error.hpp"

namespace hotline::admin {

void require_strong_passphrase(std::string_view passphrase, std::string_view what) {
  std::size_t chars = 0;
  for (const char c : passphrase) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;  // not a continuation byte
  }
  if (chars >= kMinPassphraseChars) return;
  const std::string most = std::to_string(kMinPassphraseChars);
  throw Error(
      ErrorCode::kPassphraseTooShort,
      "the " + std::string(what) + " passphrase is too short: at least " + most + " characters",
      {std::string(what), most});
}

void require_different(std::string_view a, std::string_view a_name, std::string_view b,
                       std::string_view b_name) {
  if (a != b) return;
  throw Error(
      ErrorCode::kPassphrasesEqual,
      "the " + std::string(a_name) + " and " + std::string(b_name) + " passphrases must differ",
      {std::string(a_name), std::string(b_name)});
}

}  // namespace hotline::admin
