// Audit details are written from templates and read back by the same templates, so the GUI
// can show them in the user's language from the signed English text alone.

#include "core/admin/audit_details.hpp"

#include <catch2/catch_test_macros.hpp>

using namespace hotline::admin;

TEST_CASE("audit details keep their English wording") {
  CHECK(audit_details(AuditDetail::kRoleUnlocked, {"operator"}) == "operator role unlocked");
  CHECK(audit_details(AuditDetail::kVerified, {"Singapore", "12345 67890", "Li Wei"}) ==
        "Singapore: fingerprint 12345 67890 compared with the other side by Li Wei");
  CHECK(audit_details(AuditDetail::kSettingSet, {"call.bitrate", "24000"}) ==
        "call.bitrate = 24000");
  CHECK(audit_details(AuditDetail::kInterceptionIn, {"7", "Tokyo", "1 2"}) ==
        "call 7 from Tokyo (key 1 2): its security words could not be trusted (they differed, "
        "or the caller's commitment to them was broken); treat the line as intercepted until "
        "the key is verified again");
}

TEST_CASE("every kind of audit details reads back into its values") {
  struct Case {
    AuditDetail kind;
    const char* action;
    std::vector<std::string> values;
  };
  const Case cases[] = {
      {AuditDetail::kRoleUnlocked, "role.unlock", {"administrator"}},
      {AuditDetail::kRoleNotSet, "role.unlock.refused", {"operator"}},
      {AuditDetail::kRoleThrottled, "role.unlock.throttled", {"operator", "5"}},
      {AuditDetail::kRoleWrong, "role.unlock.failed", {"administrator", "2"}},
      {AuditDetail::kFirstAdminPassphrase, "role.passphrase.set", {}},
      {AuditDetail::kFirstOperatorPassphrase, "role.passphrase.set", {}},
      {AuditDetail::kPassphraseChanged, "role.passphrase.set", {"operator"}},
      {AuditDetail::kNoteSet, "history.note", {"12", "line clear, \"quoted\", 线路清晰"}},
      {AuditDetail::kExported, "history.export", {"CSV", "3", "peer=Tokyo since=2026-12-01"}},
      {AuditDetail::kKeyReplaced, "peer.key.replace", {"北京", "1 2", "3 4", "192.0.2.7:47000"}},
      {AuditDetail::kImported, "peer.import", {"Tokyo: East", "1 2", "192.0.2.9:47000"}},
      {AuditDetail::kVerified, "peer.verify", {"Tokyo", "1 2", "Col. Tan"}},
      {AuditDetail::kEndpointsChanged, "peer.endpoints", {"Tokyo", "a:1", "b:2, c:3"}},
      {AuditDetail::kPskSet, "peer.psk.set", {"Tokyo"}},
      {AuditDetail::kPskRotated, "peer.psk.set", {"Tokyo"}},
      {AuditDetail::kPskRemoved, "peer.psk.clear", {"Tokyo"}},
      {AuditDetail::kEnabled, "peer.enable", {"Tokyo"}},
      {AuditDetail::kDisabled, "peer.disable", {"Tokyo"}},
      {AuditDetail::kRemoved, "peer.remove", {"Tokyo", "1 2"}},
      {AuditDetail::kReplayReset, "peer.replay.reset", {"Tokyo"}},
      {AuditDetail::kSettingSet, "settings.set", {"ui.language", "zh_CN"}},
      {AuditDetail::kListenChangedAtStart,
       "settings.set",
       {"listen_endpoint", "0.0.0.0:47001", "0.0.0.0:47000"}},
      {AuditDetail::kSettingUnset, "settings.unset", {"audio.input"}},
      {AuditDetail::kInterceptionIn, "call.interception_suspected", {"7", "Tokyo", "1 2"}},
      {AuditDetail::kInterceptionOut, "call.interception_suspected", {"8", "Tokyo", "1 2"}},
  };
  for (const Case& c : cases) {
    const std::string text = audit_details(c.kind, c.values);
    CAPTURE(c.action, text);
    const auto parsed = parse_audit_details(c.action, text);
    REQUIRE(parsed);
    CHECK(parsed->kind == c.kind);
    CHECK(parsed->values == c.values);
  }
}

TEST_CASE("details no template produces are not read") {
  CHECK_FALSE(parse_audit_details("peer.verify", "Tokyo verified by someone"));
  CHECK_FALSE(parse_audit_details("peer.enable", "Tokyo: enabled today"));
  CHECK_FALSE(parse_audit_details("no.such.action", "anything"));
  CHECK_FALSE(parse_audit_details("role.passphrase.set", "operator passphrase set"));
}
