#pragma once
// Errors a user can act on. Messages name the problem in plain words and never carry secrets.
//
// what() is English, for logs and the command line. An error a user can cause through the
// GUI also carries a code and its values (a peer's name, a number of seconds), from which the
// GUI writes the sentence in the user's language (ui/error_text.cpp); kUnspecified errors are
// shown with their English text inside a translated sentence.

#include <stdexcept>
#include <string>
#include <vector>

namespace hotline {

enum class ErrorCode {
  kUnspecified,
  // An address written as HOST:PORT (net::parse_endpoint_or_throw, net::to_udp).
  kEndpointEmpty,
  kEndpointBadCharacter,
  kEndpointUnclosedBracket,
  kEndpointBracketsNotIpv6,
  kEndpointNoPortAfterBracket,
  kEndpointIpv6NeedsBrackets,
  kEndpointMissingHost,
  kEndpointMissingPort,
  kEndpointPortNotNumber,
  kEndpointPortOutOfRange,
  kEndpointNotAnAddress,
  kEndpointEmptyScope,
  kEndpointBadScope,
  kEndpointUnknownInterface,
  // Unlocking a role (admin::RoleGate). Values: the role ("operator", "administrator"), then
  // as named.
  kRoleWrongPassphrase,        // role
  kRoleWrongPassphraseLocked,  // role, failures in a row, seconds locked
  kRoleThrottled,              // role, seconds to wait
  kRoleNoPassphrase,           // role
  // The directory (admin::Administration, store::PeerStore).
  kPeerNotFound,          // name
  kPeerNameTaken,         // name
  kPeerKeyTaken,          // name it is imported as
  kPeerOwnCard,           //
  kPeerEndpointUnusable,  // endpoint
  // A peer card or a console name (identity::CardError). Values: the card's line ("" when the
  // problem is not on one line), then as named.
  kCardNotACard,
  kCardUnsupportedVersion,   // line, version
  kCardTooLong,              // line, bytes, most bytes
  kCardBadKey,               // line
  kCardFingerprintMismatch,  // line
  kCardSignatureMismatch,    // line
  kCardDamaged,              // line, the parser's English detail
  kNameEmpty,                // line
  kNameTooLong,              // line, bytes, most bytes
  kNameBadCharacter,         // line
  kNameSpaceAtEnds,          // line
  // Pre-shared keys (admin::parse_psk, Administration::set_psk).
  kPskFormat,
  kPskAllZero,
  // A file the console was asked to write (an export, a card).
  kFileNotWritable,  // path
  // Choosing a passphrase (admin::require_strong_passphrase, require_different). Names are
  // "key", "operator", "administrator".
  kPassphraseTooShort,  // which, the least number of characters
  kPassphrasesEqual,    // which, which
  kLast = kPassphrasesEqual,
};

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  Error(ErrorCode code, const std::string& what, std::vector<std::string> values = {})
      : std::runtime_error(what), code_(code), values_(std::move(values)) {}

  ErrorCode code() const noexcept { return code_; }
  const std::vector<std::string>& values() const noexcept { return values_; }

 private:
  ErrorCode code_ = ErrorCode::kUnspecified;
  std::vector<std::string> values_;
};

}  // namespace hotline
