#include "ui/error_text.hpp"

#include <QCoreApplication>

#include "core/store/role_store.hpp"
#include "ui/language.hpp"
#include "ui/role_lock.hpp"

// Qt's translation context of these strings, at file scope so that lupdate names it as the
// program does ("Errors").
class Errors {
  Q_DECLARE_TR_FUNCTIONS(Errors)
};

namespace hotline::ui {
namespace {

QString value(const std::vector<std::string>& values, std::size_t i) {
  return i < values.size() ? QString::fromStdString(values[i]) : QString();
}

// Core names roles in English ("operator", "administrator"); shown in the user's language.
QString role_value(const std::vector<std::string>& values) {
  const auto role = values.empty() ? std::nullopt : store::parse_role(values[0]);
  return role ? role_name(*role) : value(values, 0);
}

// "key", "operator" or "administrator", as core names whose passphrase it is.
QString passphrase_name(const QString& which) {
  if (which == "key") return Errors::tr("key");
  const auto role = store::parse_role(which.toStdString());
  return role ? role_name(*role) : which;
}

QString endpoint_problem(ErrorCode code, const QString& text) {
  switch (code) {
    case ErrorCode::kEndpointEmpty:
      return Errors::tr(
          "No address was given. Write it as HOST:PORT, for example "
          "192.0.2.7:47000 or [2001:db8::7]:47000.");
    case ErrorCode::kEndpointBadCharacter:
      return Errors::tr(
                 "The address “%1” contains a space or a character that cannot be in "
                 "an address. Separate several addresses with spaces or commas.")
          .arg(text);
    case ErrorCode::kEndpointUnclosedBracket:
      return Errors::tr("In “%1”, the IPv6 address has no closing ‘]’.").arg(text);
    case ErrorCode::kEndpointBracketsNotIpv6:
      return Errors::tr(
                 "In “%1”, brackets are only for IPv6 addresses; write an IPv4 address "
                 "without them, for example 192.0.2.7:47000.")
          .arg(text);
    case ErrorCode::kEndpointNoPortAfterBracket:
      return Errors::tr(
                 "In “%1”, a colon and the port must follow ‘]’, for example "
                 "[2001:db8::7]:47000.")
          .arg(text);
    case ErrorCode::kEndpointIpv6NeedsBrackets:
      return Errors::tr(
                 "In “%1”, write the IPv6 address in brackets, then the port, for "
                 "example [2001:db8::7]:47000.")
          .arg(text);
    case ErrorCode::kEndpointMissingHost:
      return Errors::tr("“%1” has a port but no address before it.").arg(text);
    case ErrorCode::kEndpointMissingPort:
      return Errors::tr("“%1” has no port: add a colon and the port, for example :47000.")
          .arg(text);
    case ErrorCode::kEndpointPortNotNumber:
      return Errors::tr("In “%1”, the port must be a number.").arg(text);
    case ErrorCode::kEndpointPortOutOfRange:
      return Errors::tr("In “%1”, the port must be between 1 and 65535.").arg(text);
    case ErrorCode::kEndpointNotAnAddress:
      return Errors::tr(
                 "“%1” is not an IP address. Give the numeric IPv4 or IPv6 address "
                 "(names are not looked up, so that no third party learns whom this "
                 "console calls).")
          .arg(text);
    case ErrorCode::kEndpointEmptyScope:
      return Errors::tr("In “%1”, the network interface after ‘%’ is missing.").arg(text);
    case ErrorCode::kEndpointBadScope:
      return Errors::tr(
                 "In “%1”, the part after ‘%’ must be a network interface name or "
                 "number.")
          .arg(text);
    case ErrorCode::kEndpointUnknownInterface:
      return Errors::tr(
                 "In “%1”, the network interface after ‘%’ does not exist on this "
                 "computer.")
          .arg(text);
    default:
      return {};
  }
}

// values[0] is the card's line, or empty.
QString card_problem(ErrorCode code, const std::vector<std::string>& values) {
  QString text;
  switch (code) {
    case ErrorCode::kCardNotACard:
      text = Errors::tr(
          "This is not a Hotline Console peer card (it has no “hotline-card 1” "
          "line).");
      break;
    case ErrorCode::kCardUnsupportedVersion:
      text = Errors::tr(
                 "This card is of version %1, which this console does not read. Update "
                 "the console, or ask for a card of version 1.")
                 .arg(value(values, 1));
      break;
    case ErrorCode::kCardTooLong:
      text = Errors::tr(
                 "This text is too long to be a peer card (%1 bytes; a card has at most "
                 "%2).")
                 .arg(value(values, 1), value(values, 2));
      break;
    case ErrorCode::kCardBadKey:
      text = Errors::tr(
          "The card's public key is not a usable key. Ask the other side to send "
          "its card again.");
      break;
    case ErrorCode::kCardFingerprintMismatch:
      text = Errors::tr(
          "The card's fingerprint does not belong to its key: the card was "
          "changed. Do not import it; ask the other side for its card again.");
      break;
    case ErrorCode::kCardSignatureMismatch:
      text = Errors::tr(
          "The card's signature does not match its contents: the card was "
          "changed after it was signed. Do not import it; ask the other side for "
          "its card again.");
      break;
    case ErrorCode::kCardDamaged:
      text = Errors::tr("The card is damaged (%1). Ask the other side to send it again.")
                 .arg(value(values, 1));
      break;
    case ErrorCode::kNameEmpty:
      text = Errors::tr("The name is empty.");
      break;
    case ErrorCode::kNameTooLong:
      text = Errors::tr(
                 "The name is too long: %1 bytes, at most %2 (a Chinese character takes "
                 "3).")
                 .arg(value(values, 1), value(values, 2));
      break;
    case ErrorCode::kNameBadCharacter:
      text = Errors::tr("The name contains a control or invisible character.");
      break;
    case ErrorCode::kNameSpaceAtEnds:
      text = Errors::tr("The name must not begin or end with a space.");
      break;
    default:
      return {};
  }
  const QString line = value(values, 0);
  return line.isEmpty() ? text : Errors::tr("Line %1 of the card: %2").arg(line, text);
}

}  // namespace

QString error_text(ErrorCode code, const std::vector<std::string>& values) {
  const QString first = value(values, 0);
  switch (code) {
    case ErrorCode::kUnspecified:
      return {};
    case ErrorCode::kRoleWrongPassphrase:
      return Errors::tr("Wrong %1 passphrase.").arg(role_value(values));
    case ErrorCode::kRoleWrongPassphraseLocked:
      return Errors::tr(
                 "Wrong %1 passphrase. After %2 wrong tries in a row the role is locked "
                 "for %3 s.")
          .arg(role_value(values), value(values, 1), value(values, 2));
    case ErrorCode::kRoleThrottled:
      return Errors::tr("Too many wrong %1 passphrases: try again in %2 s.")
          .arg(role_value(values), value(values, 1));
    case ErrorCode::kRoleNoPassphrase:
      return Errors::tr(
                 "No %1 passphrase is set on this console yet. An administrator sets it "
                 "in Settings.")
          .arg(role_value(values));
    case ErrorCode::kPeerNotFound:
      return Errors::tr("There is no peer named “%1” (it may have just been removed).").arg(first);
    case ErrorCode::kPeerNameTaken:
      return Errors::tr("A peer named “%1” is already in the directory.").arg(first);
    case ErrorCode::kPeerKeyTaken:
      return Errors::tr("This key is already in the directory, as peer “%1”.").arg(first);
    case ErrorCode::kPassphraseTooShort:
      return Errors::tr("The %1 passphrase is too short: it needs at least %2 characters.")
          .arg(passphrase_name(value(values, 0)), value(values, 1));
    case ErrorCode::kPassphrasesEqual:
      return Errors::tr(
                 "The %1 and %2 passphrases must differ: whoever learns one must not "
                 "hold the other.")
          .arg(passphrase_name(value(values, 0)), passphrase_name(value(values, 1)));
    case ErrorCode::kPskFormat:
      return Errors::tr(
          "This is not a pre-shared key: a key is 32 bytes written as one line of "
          "base64 (44 characters).");
    case ErrorCode::kPskAllZero:
      return Errors::tr("A key of all zeros is no key. Generate one instead.");
    case ErrorCode::kFileNotWritable:
      return Errors::tr(
                 "The file %1 cannot be written (a folder that does not exist, or no "
                 "permission to write there).")
          .arg(first);
    case ErrorCode::kPeerOwnCard:
      return Errors::tr("This is this console's own card. Import the other console's card.");
    case ErrorCode::kPeerEndpointUnusable:
      return Errors::tr(
                 "The address %1 cannot be used from this computer (its network "
                 "interface does not exist here). Set an address that works here "
                 "with Addresses….")
          .arg(first);
    default:
      break;
  }
  const QString card = card_problem(code, values);
  return card.isEmpty() ? endpoint_problem(code, first) : card;
}

QString error_text(const std::exception& error) {
  if (const auto* ours = dynamic_cast<const Error*>(&error)) {
    const QString text = error_text(ours->code(), ours->values());
    if (!text.isEmpty()) return text;
  }
  // A fault no user action causes (the database, a library): its technical message, which
  // in another language is said to be one.
  const QString technical = QString::fromStdString(error.what());
  return current_language() == "en"
             ? technical
             : Errors::tr("The console reports a technical problem (in English): %1")
                   .arg(technical);
}

}  // namespace hotline::ui
