#pragma once
// The details of an audit entry are English text, recorded and signed as written: that text
// is the evidence, and `hotline audit` prints it. Each kind of entry is written from one
// template here, and the same template reads it back into its values, so that the GUI can
// show the entry in the user's language from the signed text alone (nothing unsigned decides
// what is shown). Text no template matches (an entry of another version) is shown as it is.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::admin {

enum class AuditDetail {
  kRoleUnlocked,             // role
  kRoleNotSet,               // role
  kRoleThrottled,            // role, failures
  kRoleWrong,                // role, failures
  kFirstAdminPassphrase,     //
  kFirstOperatorPassphrase,  //
  kPassphraseChanged,        // role
  kNoteSet,                  // call id, note (entries from before the sealed history)
  kNoteWritten,              // call id, characters (the note stays in the sealed row)
  kExported,                 // format, calls, filter ("all calls" or key=value pairs)
  kKeyReplaced,              // peer, old fingerprint, new fingerprint, endpoints
  kImported,                 // peer, fingerprint, endpoints
  kVerified,                 // peer, fingerprint, who compared
  kEndpointsChanged,         // peer, old endpoints, new endpoints
  kPskSet,                   // peer
  kPskRotated,               // peer
  kPskRemoved,               // peer
  kEnabled,                  // peer
  kDisabled,                 // peer
  kRemoved,                  // peer, fingerprint
  kReplayReset,              // peer
  kSettingSet,               // key, value
  kListenChangedAtStart,     // key, value, the address that was in use
  kSettingUnset,             // key
  kInterceptionIn,           // call id, peer, fingerprint
  kInterceptionOut,          // call id, peer, fingerprint
};

struct ParsedAuditDetails {
  AuditDetail kind;
  std::vector<std::string> values;
  friend bool operator==(const ParsedAuditDetails&, const ParsedAuditDetails&) = default;
};

// The English text of `kind` with `values` in its placeholders (as many as it has).
std::string audit_details(AuditDetail kind, const std::vector<std::string>& values);
// The kind and values of an entry's details, if `action`'s templates produce `details`.
std::optional<ParsedAuditDetails> parse_audit_details(std::string_view action,
                                                      std::string_view details);

}  // namespace hotline::admin
