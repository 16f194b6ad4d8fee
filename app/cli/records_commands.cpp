// history, history note (operator); audit, audit verify (administrator); role passphrase.

#include <charconv>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli/commands.hpp"
#include "app/cli/passphrase.hpp"
#include "app/cli/role_session.hpp"
#include "core/admin/history_access.hpp"
#include "core/store/history_export.hpp"
#include "core/util/error.hpp"
#include "core/util/time_format.hpp"

namespace hotline::cli {
namespace {

std::int64_t time_option(const Arguments& args, const std::string& option, bool end_of_day) {
  const auto text = args.value(option);
  const auto ms = parse_time(*text, end_of_day);
  if (!ms) {
    throw UsageError(option + ": '" + *text +
                     "' is not a date (YYYY-MM-DD, or YYYY-MM-DD HH:MM[:SS] with an optional "
                     "Z or +HH:MM)");
  }
  return *ms;
}

store::HistoryFilter history_filter(const Arguments& args) {
  store::HistoryFilter f;
  f.peer = args.value("--peer");
  if (args.value("--since")) f.since = time_option(args, "--since", false);
  if (args.value("--until")) f.until = time_option(args, "--until", true);
  if (auto o = args.value("--outcome")) {
    f.outcome = store::parse_call_outcome(*o);
    if (!f.outcome) {
      std::string names;
      for (std::size_t i = 0; i < store::kCallOutcomeCount; ++i) {
        names +=
            (i ? ", " : "") + std::string(store::to_string(static_cast<store::CallOutcome>(i)));
      }
      throw UsageError("--outcome is one of " + names);
    }
  }
  if (auto d = args.value("--direction")) {
    f.direction = store::parse_call_direction(*d);
    if (!f.direction) throw UsageError("--direction is in or out");
  }
  f.text = args.value("--search");
  if (args.value("--limit")) f.limit = args.integer("--limit", 0, 1, 100'000'000);
  return f;
}

std::string duration_text(double seconds) {
  const auto total = static_cast<long>(seconds + 0.5);
  std::ostringstream out;
  out << total / 60 << ":" << std::setw(2) << std::setfill('0') << total % 60;
  return out.str();
}

std::string sas_text(const store::CallRecord& c) {
  if (!c.answered_at) return "-";
  if (c.sas_confirmed_local && c.sas_confirmed_remote) return "both";
  if (c.sas_confirmed_local) return "ours";
  if (c.sas_confirmed_remote) return "theirs";
  return "no";
}

void print_table(const std::vector<store::CallRecord>& calls, std::int64_t total) {
  if (calls.empty()) {
    std::cout << "No calls match.\n";
    return;
  }
  std::cout << std::left << std::setw(7) << "ID" << std::setw(27) << "Started" << std::setw(5)
            << "Dir" << std::setw(16) << "Outcome" << std::setw(9) << "Length" << std::setw(8)
            << "SAS"
            << "Peer\n";
  for (const auto& c : calls) {
    std::cout << std::left << std::setw(7) << c.id << std::setw(27) << format_local(c.started_at)
              << std::setw(5) << store::to_string(c.direction) << std::setw(16)
              << (c.outcome ? std::string(store::to_string(*c.outcome)) : "in progress")
              << std::setw(9) << duration_text(c.duration_s) << std::setw(8) << sas_text(c)
              << c.peer_name << (c.peer_verified ? "" : " (unverified)");
    if (c.quality) {
      std::cout << std::fixed << std::setprecision(1) << "  [loss " << c.quality->loss_percent
                << " %, jitter " << c.quality->jitter_ms << " ms, rtt " << c.quality->mean_rtt_ms
                << " ms, concealed " << c.quality->concealed_percent << " %]";
    }
    if (!c.note.empty()) std::cout << "  note: " << c.note;
    std::cout << "\n";
  }
  if (total > static_cast<std::int64_t>(calls.size())) {
    std::cout << "(" << calls.size() << " of " << total << " matching calls; see --limit)\n";
  }
}

}  // namespace

int run_history(const Invocation& in) {
  const Arguments args(in.args, with_role_options({{"--peer", "--since", "--until", "--outcome",
                                                    "--direction", "--search", "--limit"},
                                                   {"--csv", "--json", "--bom"}}));
  args.expect_positional(0, "");
  if (args.flag("--csv") && args.flag("--json")) throw UsageError("--csv or --json, not both");
  if (args.flag("--bom") && !args.flag("--csv")) throw UsageError("--bom goes with --csv");
  store::HistoryFilter filter = history_filter(args);
  RoleSession session(in, args, store::Role::kOperator);
  admin::HistoryAccess history(session.audit());
  if (args.flag("--csv") || args.flag("--json")) {
    // For a spreadsheet program, which reads UTF-8 names right only after a byte-order mark.
    if (args.flag("--bom")) std::cout << "\xEF\xBB\xBF";
    std::cout << history.export_calls(session.grant(), filter,
                                      args.flag("--csv") ? admin::HistoryAccess::Format::kCsv
                                                         : admin::HistoryAccess::Format::kJson);
    return 0;
  }
  const std::int64_t total = history.count(session.grant(), filter);
  if (!filter.limit) filter.limit = 100;  // a screenful; exports have no default limit
  print_table(history.query(session.grant(), filter), total);
  // Rows this role's key does not open are never shown, but never hidden silently either.
  if (const std::int64_t closed = history.unreadable(session.grant()); closed > 0) {
    std::cerr << "note: " << closed << (closed == 1 ? " call" : " calls")
              << " in the store cannot be opened with this passphrase (sealed before it was set, "
                 "or changed in the file); they are not shown\n";
  }
  return 0;
}

int run_history_note(const Invocation& in) {
  const Arguments args(in.args, with_role_options({}));
  args.expect_positional(2, "call id and note text");
  std::int64_t id = 0;
  const std::string& id_text = args.positional()[0];
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size() || id <= 0) {
    throw UsageError("'" + id_text + "' is not a call id (see 'hotline history')");
  }
  RoleSession session(in, args, store::Role::kOperator);
  admin::HistoryAccess(session.audit()).set_note(session.grant(), id, args.positional()[1]);
  std::cout << "Note saved on call " << id << "\n";
  return 0;
}

int run_audit(const Invocation& in) {
  const Arguments args(in.args, with_role_options({{}, {"--csv"}}));
  args.expect_positional(0, "");
  RoleSession session(in, args, store::Role::kAdministrator);
  const auto entries = session.audit().entries(session.grant());
  // Text the administrator's key does not open: sealed before the present passphrase, or
  // edited in the file (`hotline audit verify` tells which).
  const auto details_of = [](const store::AuditEntry& e) {
    return e.text == store::AuditEntry::Text::kUnreadable
               ? std::string("[sealed text that this passphrase does not open]")
               : e.details;
  };
  if (args.flag("--csv")) {
    std::cout << "seq,time,role,actor,action,details,signed\r\n";
    for (const auto& e : entries) {
      std::cout << e.seq << "," << format_utc(e.at) << "," << store::csv_field(e.role) << ","
                << store::csv_field(e.actor) << "," << store::csv_field(e.action) << ","
                << store::csv_field(details_of(e)) << "," << (e.signature ? "yes" : "no") << "\r\n";
    }
    return 0;
  }
  for (const auto& e : entries) {
    std::cout << std::left << std::setw(6) << e.seq << format_local(e.at) << "  " << std::setw(9)
              << e.role << std::setw(14) << e.actor << std::setw(22) << e.action << details_of(e)
              << (e.signature ? "" : "  [not signed yet]") << "\n";
  }
  return 0;
}

int run_audit_verify(const Invocation& in) {
  const Arguments args(in.args, with_role_options({}));
  args.expect_positional(0, "");
  RoleSession session(in, args, store::Role::kAdministrator);
  bool tampered = false;
  const store::AuditVerdict v = session.audit().verify();
  if (!v.intact) {
    std::cout << "Audit log TAMPERED (" << store::to_string(v.finding) << "): " << v.problem
              << "\n";
    tampered = true;
  } else {
    std::cout << "Audit log intact: " << v.entries << " entries, hash chain"
              << (v.strict ? ", entry MACs" : "") << " and signatures check"
              << (v.anchor_checked ? ", none cut from the end" : "");
    if (v.unsigned_entries > 0) {
      std::cout << "; " << v.unsigned_entries
                << " not signed yet (made while the key was locked; the next console run signs "
                   "them)";
    }
    std::cout << "\n";
  }
  if (v.unauthenticated_entries > 0) {
    std::cout << "  " << v.unauthenticated_entries
              << " unlock attempts were written without any key: shown, not vouched for\n";
  }
  const auto findings = session.profile().directory_findings();
  if (!findings) {
    std::cout << "Peer directory not checked: the records key is not open\n";
  } else if (findings->empty()) {
    std::cout << "Peer directory intact: every peer's fields carry the console's seal\n";
  } else {
    tampered = true;
    std::cout << "Peer directory TAMPERED (those peers are refused):\n";
    for (const auto& f : *findings) std::cout << "  " << f.problem << "\n";
  }
  return tampered ? 1 : 0;
}

int run_role_passphrase(const Invocation& in) {
  const Arguments args(in.args, with_role_options({{"--new-passphrase-file"}, {}}));
  args.expect_positional(1, "role (operator or admin)");
  const auto role = store::parse_role(args.positional()[0]);
  if (!role || *role == store::Role::kOfficial) {
    throw UsageError("the roles with passphrases are operator and admin");
  }
  const std::string name(store::display_name(*role));
  {
    auto profile = identity::Profile::open(in.profile_dir);
    admin::AuditTrail audit(profile);
    admin::RoleGate gate(profile, audit);
    if (!gate.has_passphrase(store::Role::kAdministrator)) {
      if (*role != store::Role::kAdministrator) {
        throw Error("set the administrator passphrase first ('hotline role passphrase admin')");
      }
      unlock_key_if_possible(profile, args);
      std::string passphrase = new_passphrase(args, "--new-passphrase-file", name);
      gate.set_first_passphrases(passphrase, std::nullopt, admin::current_actor());
      wipe(passphrase);
      std::cout << "Administrator passphrase set\n";
      return 0;
    }
  }
  RoleSession session(in, args, store::Role::kAdministrator);
  std::string passphrase = new_passphrase(args, "--new-passphrase-file", name);
  session.gate().set_passphrase(session.grant(), *role, passphrase);
  wipe(passphrase);
  std::cout << "The " << name << " passphrase is changed\n";
  return 0;
}

}  // namespace hotline::cli
