#include "ui/texts.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

#include "core/admin/audit_details.hpp"
#include "core/console/console_settings.hpp"
#include "core/console/echo_line.hpp"

// Qt's translation context of these strings, at file scope so that lupdate names it as the
// program does ("Texts").
class Texts {
  Q_DECLARE_TR_FUNCTIONS(Texts)
};

namespace hotline::ui {
QString state_text(const call::CallStats& c) {
  const bool incoming = c.direction == call::Direction::kIncoming;
  switch (c.state) {
    case call::CallState::kDialling:
      return Texts::tr("Dialling…");
    case call::CallState::kRinging:
      return incoming ? Texts::tr("Incoming call") : Texts::tr("Ringing…");
    case call::CallState::kConnected:
      return c.link_interrupted
                 ? Texts::tr("Connected — link interrupted, waiting for the other side")
                 : Texts::tr("Connected");
    case call::CallState::kEnded:
      break;
  }
  return Texts::tr("Ended");
}

QString end_text(const call::CallStats& c) {
  const QString peer = peer_display_name(c.peer);
  switch (c.end_reason) {
    case call::EndReason::kLocalHangup:
      return Texts::tr("You ended the call with %1.").arg(peer);
    case call::EndReason::kRemoteHangup:
      return Texts::tr("%1 ended the call.").arg(peer);
    case call::EndReason::kDeclined:
      return c.direction == call::Direction::kIncoming
                 ? Texts::tr("You declined the call from %1.").arg(peer)
                 : Texts::tr("%1 declined the call.").arg(peer);
    case call::EndReason::kBusy:
      return Texts::tr("%1 is busy on another call.").arg(peer);
    case call::EndReason::kNoAnswer:
      return Texts::tr("No answer from %1.").arg(peer);
    case call::EndReason::kCancelled:
      return c.direction == call::Direction::kIncoming
                 ? Texts::tr("Missed call from %1.").arg(peer)
                 : Texts::tr("You cancelled the call to %1.").arg(peer);
    case call::EndReason::kUnreachable:
      return Texts::tr(
                 "%1 could not be reached: its console is off or offline, or it does not accept "
                 "this console (not imported, disabled, or a different pre-shared key).")
          .arg(peer);
    case call::EndReason::kConnectionLost:
      return Texts::tr("The connection to %1 was lost.").arg(peer);
    case call::EndReason::kRefused:
      return c.direction == call::Direction::kIncoming
                 ? Texts::tr("A call from %1 was refused: this peer is disabled or removed.")
                       .arg(peer)
                 : Texts::tr("%1 is disabled in the directory: calls to it are refused.").arg(peer);
    case call::EndReason::kFailed:
      return c.device_problem.empty()
                 ? Texts::tr("The call to %1 failed.").arg(peer)
                 : Texts::tr("The call failed: %1").arg(QString::fromStdString(c.device_problem));
    case call::EndReason::kInterceptionSuspected:
      return Texts::tr(
                 "The call with %1 was ended because its security words could not be trusted: "
                 "someone may be listening in. Do not call again on this console until an "
                 "administrator has verified %1's key through another channel.")
          .arg(peer);
  }
  return Texts::tr("The call ended.");
}

QString outcome_text(store::CallOutcome o) {
  switch (o) {
    case store::CallOutcome::kAnswered:
      return Texts::tr("Answered");
    case store::CallOutcome::kMissed:
      return Texts::tr("Missed");
    case store::CallOutcome::kDeclined:
      return Texts::tr("Declined");
    case store::CallOutcome::kBusy:
      return Texts::tr("Busy");
    case store::CallOutcome::kNoAnswer:
      return Texts::tr("No answer");
    case store::CallOutcome::kUnreachable:
      return Texts::tr("Unreachable");
    case store::CallOutcome::kConnectionLost:
      return Texts::tr("Connection lost");
    case store::CallOutcome::kRefused:
      return Texts::tr("Refused");
    case store::CallOutcome::kFailed:
      return Texts::tr("Failed");
    case store::CallOutcome::kInterrupted:
      return Texts::tr("Interrupted");
    case store::CallOutcome::kCancelled:
      return Texts::tr("Cancelled");
  }
  return {};
}

QString end_reason_text(std::string_view code) {
  using call::EndReason;
  if (code == store::kConsoleStoppedReason)
    return Texts::tr("This console stopped during the call (closed at its next start)");
  static constexpr EndReason kAll[] = {EndReason::kLocalHangup,
                                       EndReason::kRemoteHangup,
                                       EndReason::kDeclined,
                                       EndReason::kBusy,
                                       EndReason::kNoAnswer,
                                       EndReason::kCancelled,
                                       EndReason::kUnreachable,
                                       EndReason::kConnectionLost,
                                       EndReason::kRefused,
                                       EndReason::kFailed,
                                       EndReason::kInterceptionSuspected};
  for (EndReason r : kAll) {
    if (call::to_string(r) != code) continue;
    switch (r) {
      case EndReason::kLocalHangup:
        return Texts::tr("Hung up on this console");
      case EndReason::kRemoteHangup:
        return Texts::tr("Hung up on the other console");
      case EndReason::kDeclined:
        return Texts::tr("Declined by the callee");
      case EndReason::kBusy:
        return Texts::tr("The callee was on another call");
      case EndReason::kNoAnswer:
        return Texts::tr("Nobody answered within the ring time");
      case EndReason::kCancelled:
        return Texts::tr("The caller hung up before an answer");
      case EndReason::kUnreachable:
        return Texts::tr("The other console could not be reached");
      case EndReason::kConnectionLost:
        return Texts::tr("The connection was lost");
      case EndReason::kRefused:
        return Texts::tr("Refused: the peer is disabled or removed");
      case EndReason::kFailed:
        return Texts::tr("A problem on this console (sound device or call options)");
      case EndReason::kInterceptionSuspected:
        return Texts::tr("The security words did not match: interception suspected");
    }
  }
  return QString::fromUtf8(code.data(), static_cast<qsizetype>(code.size()));
}

QString audit_action_text(std::string_view action) {
  static const std::pair<std::string_view, const char*> kActions[] = {
      {"history.export", QT_TRANSLATE_NOOP("Texts", "Call history exported")},
      {"history.note", QT_TRANSLATE_NOOP("Texts", "Note on a call written")},
      {"peer.enable", QT_TRANSLATE_NOOP("Texts", "Peer enabled")},
      {"peer.disable", QT_TRANSLATE_NOOP("Texts", "Peer disabled")},
      {"peer.endpoints", QT_TRANSLATE_NOOP("Texts", "Peer's addresses changed")},
      {"peer.import", QT_TRANSLATE_NOOP("Texts", "Peer card imported")},
      {"peer.key.replace", QT_TRANSLATE_NOOP("Texts", "Peer's key replaced")},
      {"peer.psk.clear", QT_TRANSLATE_NOOP("Texts", "Pre-shared key removed")},
      {"peer.psk.set", QT_TRANSLATE_NOOP("Texts", "Pre-shared key set")},
      {"peer.remove", QT_TRANSLATE_NOOP("Texts", "Peer removed")},
      {"peer.replay.reset", QT_TRANSLATE_NOOP("Texts", "Peer's replay protection reset")},
      {"peer.verify", QT_TRANSLATE_NOOP("Texts", "Peer's key verified")},
      {"role.passphrase.set", QT_TRANSLATE_NOOP("Texts", "Role passphrase set")},
      {"role.unlock", QT_TRANSLATE_NOOP("Texts", "Role unlocked")},
      {"role.unlock.failed", QT_TRANSLATE_NOOP("Texts", "Wrong role passphrase")},
      {"role.unlock.refused", QT_TRANSLATE_NOOP("Texts", "Role unlock refused (no passphrase)")},
      {"role.unlock.throttled", QT_TRANSLATE_NOOP("Texts", "Role unlock refused (locked)")},
      {"settings.set", QT_TRANSLATE_NOOP("Texts", "Setting changed")},
      {"settings.unset", QT_TRANSLATE_NOOP("Texts", "Setting reset")},
      {"call.interception_suspected",
       QT_TRANSLATE_NOOP("Texts", "Call ended: interception suspected")},
  };
  for (const auto& [code, text] : kActions) {
    if (code == action) return Texts::tr(text);
  }
  return QString::fromUtf8(action.data(), static_cast<qsizetype>(action.size()));
}

QString audit_role_text(std::string_view role) {
  if (role == "admin" || role == "administrator") return Texts::tr("administrator");
  if (role == "operator") return Texts::tr("operator");
  if (role == "official") return Texts::tr("official");
  if (role == "-") return Texts::tr("no role");
  return QString::fromUtf8(role.data(), static_cast<qsizetype>(role.size()));
}

namespace {

// A setting's key as the Settings page names it; the key itself if it has no name there.
QString setting_text(const QString& key) {
  const std::string k = key.toStdString();
  if (k == console::kSettingInput) return Texts::tr("microphone");
  if (k == console::kSettingOutput) return Texts::tr("loudspeaker");
  if (k == console::kSettingFrameMs) return Texts::tr("frame size (ms)");
  if (k == console::kSettingBitrate) return Texts::tr("bitrate (b/s)");
  if (k == console::kSettingEchoCancellation) return Texts::tr("echo cancellation");
  if (k == console::kSettingNoiseSuppression) return Texts::tr("noise suppression");
  if (k == console::kSettingLanguage) return Texts::tr("language");
  if (k == console::kSettingRoleIdleMinutes) return Texts::tr("role idle time (minutes)");
  if (k == console::kSettingListen) return Texts::tr("listening address");
  return key;
}

}  // namespace

QString audit_details_text(std::string_view action, std::string_view details) {
  using admin::AuditDetail;
  const auto parsed = admin::parse_audit_details(action, details);
  if (!parsed) return QString::fromUtf8(details.data(), static_cast<qsizetype>(details.size()));
  const auto v = [&](std::size_t i) {
    return i < parsed->values.size() ? QString::fromStdString(parsed->values[i]) : QString();
  };
  const auto role = [&](std::size_t i) {
    return i < parsed->values.size() ? audit_role_text(parsed->values[i]) : QString();
  };
  switch (parsed->kind) {
    case AuditDetail::kRoleUnlocked:
      return Texts::tr("%1 role unlocked").arg(role(0));
    case AuditDetail::kRoleNotSet:
      return Texts::tr("no %1 passphrase is set").arg(role(0));
    case AuditDetail::kRoleThrottled:
      return Texts::tr("%1 role locked after %2 wrong passphrases; refused unchecked")
          .arg(role(0), v(1));
    case AuditDetail::kRoleWrong:
      return Texts::tr("wrong %1 passphrase (%2 in a row)").arg(role(0), v(1));
    case AuditDetail::kFirstAdminPassphrase:
      return Texts::tr("administrator passphrase set (first set-up)");
    case AuditDetail::kFirstOperatorPassphrase:
      return Texts::tr("operator passphrase set (first set-up)");
    case AuditDetail::kPassphraseChanged:
      return Texts::tr("%1 passphrase changed").arg(role(0));
    case AuditDetail::kNoteSet:
      return Texts::tr("call %1: note set to “%2”").arg(v(0), v(1));
    case AuditDetail::kNoteWritten:
      return Texts::tr("call %1: note written (%2 characters)").arg(v(0), v(1));
    case AuditDetail::kExported:
      return Texts::tr("%1, %2 calls, filter: %3")
          .arg(v(0), v(1), v(2) == "all calls" ? Texts::tr("all calls") : v(2));
    case AuditDetail::kKeyReplaced:
      return Texts::tr(
                 "%1: key replaced, now unverified; old fingerprint %2; new fingerprint "
                 "%3; addresses %4")
          .arg(v(0), v(1), v(2), v(3));
    case AuditDetail::kImported:
      return Texts::tr("%1: imported, unverified; fingerprint %2; addresses %3")
          .arg(v(0), v(1), v(2));
    case AuditDetail::kVerified:
      return Texts::tr("%1: fingerprint %2 compared with the other side by %3")
          .arg(v(0), v(1), v(2));
    case AuditDetail::kEndpointsChanged:
      return Texts::tr("%1: addresses %2 → %3").arg(v(0), v(1), v(2));
    case AuditDetail::kPskSet:
      return Texts::tr("%1: pre-shared key set").arg(v(0));
    case AuditDetail::kPskRotated:
      return Texts::tr("%1: pre-shared key changed").arg(v(0));
    case AuditDetail::kPskRemoved:
      return Texts::tr("%1: pre-shared key removed").arg(v(0));
    case AuditDetail::kEnabled:
      return Texts::tr("%1: enabled").arg(v(0));
    case AuditDetail::kDisabled:
      return Texts::tr("%1: disabled; its calls are refused").arg(v(0));
    case AuditDetail::kRemoved:
      return Texts::tr("%1: removed; fingerprint %2; its calls are refused").arg(v(0), v(1));
    case AuditDetail::kReplayReset:
      return Texts::tr("%1: replay protection reset; its next call starts it again").arg(v(0));
    case AuditDetail::kSettingSet:
      return Texts::tr("%1 = %2").arg(setting_text(v(0)), v(1));
    case AuditDetail::kListenChangedAtStart:
      return Texts::tr("%1 = %2 (at start-up: %3 was in use)").arg(setting_text(v(0)), v(1), v(2));
    case AuditDetail::kSettingUnset:
      return Texts::tr("%1 reset to its default").arg(setting_text(v(0)));
    case AuditDetail::kInterceptionIn:
      return Texts::tr(
                 "call %1 from %2 (key %3): its security words could not be trusted; "
                 "treat the line as intercepted until the key is verified again")
          .arg(v(0), v(1), v(2));
    case AuditDetail::kInterceptionOut:
      return Texts::tr(
                 "call %1 to %2 (key %3): its security words could not be trusted; "
                 "treat the line as intercepted until the key is verified again")
          .arg(v(0), v(1), v(2));
  }
  return QString::fromUtf8(details.data(), static_cast<qsizetype>(details.size()));
}

QString direction_text(store::CallDirection d) {
  return d == store::CallDirection::kIn ? Texts::tr("Incoming") : Texts::tr("Outgoing");
}

QString duration_text(double seconds) {
  const auto total = static_cast<long long>(seconds + 0.5);
  const auto h = total / 3600, m = (total / 60) % 60, s = total % 60;
  return h > 0 ? QString("%1:%2:%3").arg(h).arg(m, 2, 10, QChar('0')).arg(s, 2, 10, QChar('0'))
               : QString("%1:%2").arg(m).arg(s, 2, 10, QChar('0'));
}

QString last_seen_text(std::int64_t unix_ms) {
  const qint64 ago = QDateTime::currentMSecsSinceEpoch() - unix_ms;
  if (ago < 60'000)
    return Texts::tr("%n s ago", nullptr, static_cast<int>(std::max<qint64>(0, ago / 1000)));
  const QDateTime when = QDateTime::fromMSecsSinceEpoch(unix_ms);
  const QLocale locale;
  if (when.date() == QDate::currentDate())
    return locale.toString(when.time(), QLocale::ShortFormat);
  return locale.toString(when, QLocale::ShortFormat);
}

QString peer_display_name(const std::string& peer) {
  if (peer == console::kEchoTestPeer) return Texts::tr("Echo Test");
  return QString::fromStdString(peer);
}

}  // namespace hotline::ui
