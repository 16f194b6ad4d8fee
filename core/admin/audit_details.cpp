#include "core/admin/audit_details.hpp"

#include <array>

namespace hotline::admin {
namespace {

struct Template {
  AuditDetail kind;
  std::string_view action;
  std::string_view text;  // "{}" marks each value
};

constexpr std::string_view kRefused =
    "its security words could not be trusted (they differed, or the caller's commitment to "
    "them was broken); treat the line as intercepted until the key is verified again";

// Order matters where one action has several templates: the more specific first.
constexpr std::array kTemplates = {
    Template{AuditDetail::kRoleUnlocked, "role.unlock", "{} role unlocked"},
    Template{AuditDetail::kRoleNotSet, "role.unlock.refused", "no {} passphrase is set"},
    Template{AuditDetail::kRoleThrottled, "role.unlock.throttled",
             "{} role locked after {} wrong passphrases; refused unchecked"},
    Template{AuditDetail::kRoleWrong, "role.unlock.failed", "wrong {} passphrase ({} in a row)"},
    Template{AuditDetail::kFirstAdminPassphrase, "role.passphrase.set",
             "administrator passphrase set (first set-up)"},
    Template{AuditDetail::kFirstOperatorPassphrase, "role.passphrase.set",
             "operator passphrase set (first set-up)"},
    Template{AuditDetail::kPassphraseChanged, "role.passphrase.set", "{} passphrase changed"},
    Template{AuditDetail::kNoteWritten, "history.note", "call {}: note written ({} characters)"},
    Template{AuditDetail::kNoteSet, "history.note", "call {}: note set to \"{}\""},
    Template{AuditDetail::kExported, "history.export", "{}, {} calls, {}"},
    Template{AuditDetail::kKeyReplaced, "peer.key.replace",
             "{}: key replaced, now unverified; old fingerprint {}; new fingerprint {}; "
             "endpoints {}"},
    Template{AuditDetail::kImported, "peer.import",
             "{}: imported unverified; fingerprint {}; endpoints {}"},
    Template{AuditDetail::kVerified, "peer.verify",
             "{}: fingerprint {} compared with the other side by {}"},
    Template{AuditDetail::kEndpointsChanged, "peer.endpoints", "{}: endpoints {} -> {}"},
    Template{AuditDetail::kPskRotated, "peer.psk.set", "{}: pre-shared key rotated"},
    Template{AuditDetail::kPskSet, "peer.psk.set", "{}: pre-shared key set"},
    Template{AuditDetail::kPskRemoved, "peer.psk.clear", "{}: pre-shared key removed"},
    Template{AuditDetail::kEnabled, "peer.enable", "{}: enabled"},
    Template{AuditDetail::kDisabled, "peer.disable", "{}: disabled; its calls are refused"},
    Template{AuditDetail::kRemoved, "peer.remove",
             "{}: removed; fingerprint {}; its calls are refused"},
    Template{AuditDetail::kReplayReset, "peer.replay.reset",
             "{}: replay protection reset; its next initiation starts it again"},
    Template{AuditDetail::kListenChangedAtStart, "settings.set",
             "{} = {} (at start-up: {} was in use)"},
    Template{AuditDetail::kSettingSet, "settings.set", "{} = {}"},
    Template{AuditDetail::kSettingUnset, "settings.unset", "{}"},
    Template{AuditDetail::kInterceptionIn, "call.interception_suspected",
             "call {} from {} (key {}): "},
    Template{AuditDetail::kInterceptionOut, "call.interception_suspected",
             "call {} to {} (key {}): "},
};

const Template& find(AuditDetail kind) {
  for (const Template& t : kTemplates) {
    if (t.kind == kind) return t;
  }
  return kTemplates.front();  // unreachable: every kind has a template
}

bool is_interception(AuditDetail kind) {
  return kind == AuditDetail::kInterceptionIn || kind == AuditDetail::kInterceptionOut;
}

// The values of `text` in the placeholders of `pattern`; each literal part is found at its
// first place after the previous value, the last one at the end.
std::optional<std::vector<std::string>> match(std::string_view pattern, std::string_view text) {
  std::vector<std::string_view> literals;
  for (std::size_t at = 0;;) {
    const std::size_t hole = pattern.find("{}", at);
    literals.push_back(pattern.substr(at, hole == std::string_view::npos ? hole : hole - at));
    if (hole == std::string_view::npos) break;
    at = hole + 2;
  }
  if (!text.starts_with(literals.front())) return std::nullopt;
  if (literals.size() == 1) {
    if (text != literals.front()) return std::nullopt;
    return std::vector<std::string>{};
  }
  if (!text.ends_with(literals.back())) return std::nullopt;
  const std::size_t end = text.size() - literals.back().size();
  std::size_t at = literals.front().size();
  if (at > end) return std::nullopt;
  std::vector<std::string> values;
  for (std::size_t i = 1; i + 1 < literals.size(); ++i) {
    const std::size_t next = text.substr(0, end).find(literals[i], at);
    if (next == std::string_view::npos || literals[i].empty()) return std::nullopt;
    values.emplace_back(text.substr(at, next - at));
    at = next + literals[i].size();
  }
  values.emplace_back(text.substr(at, end - at));
  return values;
}

}  // namespace

std::string audit_details(AuditDetail kind, const std::vector<std::string>& values) {
  const std::string_view pattern = find(kind).text;
  std::string out;
  std::size_t value = 0;
  for (std::size_t at = 0;;) {
    const std::size_t hole = pattern.find("{}", at);
    out.append(pattern.substr(at, hole == std::string_view::npos ? hole : hole - at));
    if (hole == std::string_view::npos) break;
    if (value < values.size()) out += values[value++];
    at = hole + 2;
  }
  if (is_interception(kind)) out += kRefused;
  return out;
}

std::optional<ParsedAuditDetails> parse_audit_details(std::string_view action,
                                                      std::string_view details) {
  for (const Template& t : kTemplates) {
    if (t.action != action) continue;
    std::string_view text = details;
    if (is_interception(t.kind)) {
      if (!text.ends_with(kRefused)) continue;
      text.remove_suffix(kRefused.size());
    }
    if (auto values = match(t.text, text)) return ParsedAuditDetails{t.kind, std::move(*values)};
  }
  return std::nullopt;
}

}  // namespace hotline::admin
