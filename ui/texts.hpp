#pragma once
// The words the console shows for the engine's and the store's states, in the user's
// language (every string goes through Qt's translation).

#include <QString>

#include "core/call/call_stats.hpp"
#include "core/store/call_history.hpp"

namespace hotline::ui {

QString state_text(const call::CallStats& call);
// Why a call ended, in plain words, for the official who placed or took it.
QString end_text(const call::CallStats& call);
QString outcome_text(store::CallOutcome outcome);
// A history row's end reason code ("remote_hangup", "console_stopped", …) in words; a code
// this version does not know is shown as it is.
QString end_reason_text(std::string_view code);
// An audit entry's action code ("peer.verify") and role ("admin") in words; an unknown code
// is shown as it is.
QString audit_action_text(std::string_view action);
QString audit_role_text(std::string_view role);
// An audit entry's details in words, read from the signed English text by its template
// (admin::parse_audit_details); text no template matches is shown as it is.
QString audit_details_text(std::string_view action, std::string_view details);
QString direction_text(store::CallDirection direction);
QString duration_text(double seconds);  // "1:05", "1:02:03"
// "3 s ago", "10:42", "2 Dec 10:42"
QString last_seen_text(std::int64_t unix_ms);
// A visible name for an engine peer name (the Echo Test line's is translated).
QString peer_display_name(const std::string& peer);

}  // namespace hotline::ui
