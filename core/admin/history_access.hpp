#pragma once
// The call history as operators reach it: reading, annotating and exporting need an
// operator's grant; notes and exports go on the audit log (who exported what).

#include <optional>
#include <string>
#include <vector>

#include "core/admin/audit_trail.hpp"
#include "core/admin/role_gate.hpp"
#include "core/store/call_history.hpp"
#include "core/store/history_records.hpp"

namespace hotline::admin {

class HistoryAccess {
 public:
  explicit HistoryAccess(AuditTrail& audit) : audit_(audit) {}

  std::vector<store::CallRecord> query(const RoleGrant& op, const store::HistoryFilter& filter);
  std::int64_t count(const RoleGrant& op, const store::HistoryFilter& filter);
  // Rows of the store the operator's key did not open at the last read (sealed before its
  // passphrase, or edited in the file): never shown, but counted for the view to say so.
  std::int64_t unreadable(const RoleGrant& op);
  std::optional<store::CallRecord> get(const RoleGrant& op, std::int64_t id);
  void set_note(const RoleGrant& op, std::int64_t id, std::string_view note);

  enum class Format { kCsv, kJson, kPdf };
  // The calls the filter selects (newest first), as a file's contents (CSV or JSON).
  std::string export_calls(const RoleGrant& op, const store::HistoryFilter& filter, Format format);
  // The calls for a report the caller renders itself (the window's PDF), audited as such.
  std::vector<store::CallRecord> export_for_report(const RoleGrant& op,
                                                   const store::HistoryFilter& filter);

 private:
  std::vector<store::CallRecord> audited_export(const RoleGrant& op,
                                                const store::HistoryFilter& filter, Format format);

  // The history as the operator's grant opens it.
  store::HistoryRecords& records(const RoleGrant& op, std::string_view what);

  AuditTrail& audit_;
};

// A short description of a filter for the audit log: "peer=Singapore outcome=missed".
std::string describe(const store::HistoryFilter& filter);

}  // namespace hotline::admin
