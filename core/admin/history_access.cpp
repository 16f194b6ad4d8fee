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

std::vector<store::CallRecord> HistoryAccess::query(const RoleGrant& op,
                                                    const store::HistoryFilter& filter) {
  require(op, Role::kOperator, "read the call history");
  return history_.query(filter);
}

std::int64_t HistoryAccess::count(const RoleGrant& op, const store::HistoryFilter& filter) {
  require(op, Role::kOperator, "read the call history");
  return history_.count(filter);
}

std::optional<store::CallRecord> HistoryAccess::get(const RoleGrant& op, std::int64_t id) {
  require(op, Role::kOperator, "read the call history");
  return history_.get(id);
}

void HistoryAccess::set_note(const RoleGrant& op, std::int64_t id, std::string_view note) {
  require(op, Role::kOperator, "annotate the call history");
  history_.set_note(id, note);
  audit_.record(Role::kOperator, op.actor(), "history.note",
                audit_details(AuditDetail::kNoteSet, {std::to_string(id), std::string(note)}));
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
  require(op, Role::kOperator, "export the call history");
  std::vector<store::CallRecord> calls = history_.query(filter);
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
