#include "core/admin/history_access.hpp"

#include "core/admin/audit_details.hpp"
#include "core/store/history_export.hpp"
#include "core/util/time_format.hpp"

namespace hotline::admin {
namespace {

using store::Role;

}  // namespace

std::string describe(const store::HistoryFilter& f) {
  std::string out;
  const auto add = [&out](std::string_view key, const std::string& value) {
    out += (out.empty() ? "" : " ") + std::string(key) + "=" + value;
  };
  if (f.peer) add("peer", *f.peer);
  if (f.since) add("since", format_utc(*f.since));
  if (f.until) add("until", format_utc(*f.until));
  if (f.outcome) add("outcome", std::string(store::to_string(*f.outcome)));
  if (f.direction) add("direction", std::string(store::to_string(*f.direction)));
  if (f.text) add("search", "\"" + *f.text + "\"");
  if (f.limit) add("limit", std::to_string(*f.limit));
  return out.empty() ? "all calls" : out;
}

store::HistoryRecords& HistoryAccess::records(const RoleGrant& op, std::string_view what) {
  require(op, Role::kOperator, what);
  store::HistoryRecords* history = op.history();
  if (!history) throw AccessDenied("this operator's session holds no history key");
  return *history;
}

std::vector<store::CallRecord> HistoryAccess::query(const RoleGrant& op,
                                                    const store::HistoryFilter& filter) {
  return records(op, "read the call history").query(filter);
}

std::int64_t HistoryAccess::count(const RoleGrant& op, const store::HistoryFilter& filter) {
  return records(op, "read the call history").count(filter);
}

std::int64_t HistoryAccess::unreadable(const RoleGrant& op) {
  return records(op, "read the call history").unreadable();
}

std::optional<store::CallRecord> HistoryAccess::get(const RoleGrant& op, std::int64_t id) {
  return records(op, "read the call history").get(id);
}

void HistoryAccess::set_note(const RoleGrant& op, std::int64_t id, std::string_view note) {
  records(op, "annotate the call history").set_note(id, note);
  // The note itself stays in the sealed row; the audit log says only that it changed.
  audit_.record(
      Role::kOperator, op.actor(), "history.note",
      audit_details(AuditDetail::kNoteWritten, {std::to_string(id), std::to_string(note.size())}));
}

namespace {

const char* format_name(HistoryAccess::Format format) {
  switch (format) {
    case HistoryAccess::Format::kCsv:
      return "CSV";
    case HistoryAccess::Format::kJson:
      return "JSON";
    case HistoryAccess::Format::kPdf:
      return "PDF";
  }
  return "?";
}

}  // namespace

std::vector<store::CallRecord> HistoryAccess::audited_export(const RoleGrant& op,
                                                             const store::HistoryFilter& filter,
                                                             Format format) {
  std::vector<store::CallRecord> calls = records(op, "export the call history").query(filter);
  audit_.record(
      Role::kOperator, op.actor(), "history.export",
      audit_details(AuditDetail::kExported, {std::string(format_name(format)),
                                             std::to_string(calls.size()), describe(filter)}));
  return calls;
}

std::string HistoryAccess::export_calls(const RoleGrant& op, const store::HistoryFilter& filter,
                                        Format format) {
  if (format == Format::kPdf) throw Error("a PDF report is rendered by the caller");
  const std::vector<store::CallRecord> calls = audited_export(op, filter, format);
  return format == Format::kCsv ? store::history_to_csv(calls) : store::history_to_json(calls);
}

std::vector<store::CallRecord> HistoryAccess::export_for_report(
    const RoleGrant& op, const store::HistoryFilter& filter) {
  return audited_export(op, filter, Format::kPdf);
}

}  // namespace hotline::admin
