#include "core/store/history_export.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/util/time_format.hpp"

namespace hotline::store {
namespace {

using Fields = std::vector<std::string>;

std::string number(double value) {
  char out[32];
  std::snprintf(out, sizeof out, "%.3f", value);
  return out;
}

std::string optional_time(const std::optional<std::int64_t>& ms) {
  return ms ? format_utc(*ms) : std::string();
}

// One call as text fields, in history_columns() order; empty where there is nothing to say.
Fields fields(const CallRecord& c) {
  const bool q = c.quality.has_value();
  const CallQuality quality = c.quality.value_or(CallQuality{});
  return {std::to_string(c.id),
          format_utc(c.started_at),
          optional_time(c.answered_at),
          optional_time(c.ended_at),
          std::string(to_string(c.direction)),
          c.peer_name,
          c.peer_fingerprint,
          c.peer_verified ? "yes" : "no",
          c.outcome ? std::string(to_string(*c.outcome)) : "in_progress",
          c.end_reason,
          number(c.duration_s),
          c.sas,
          c.sas_confirmed_local ? "yes" : "no",
          c.sas_confirmed_remote ? "yes" : "no",
          q ? number(quality.mean_rtt_ms) : "",
          q ? number(quality.loss_percent) : "",
          q ? number(quality.jitter_ms) : "",
          q ? number(quality.concealed_percent) : "",
          q ? std::to_string(quality.fec_recovered) : "",
          q ? std::to_string(quality.interruptions) : "",
          c.note};
}

}  // namespace

const std::vector<std::string>& history_columns() {
  static const std::vector<std::string> columns = {"id",
                                                   "started",
                                                   "answered",
                                                   "ended",
                                                   "direction",
                                                   "peer",
                                                   "fingerprint",
                                                   "peer_verified",
                                                   "outcome",
                                                   "end_reason",
                                                   "duration_s",
                                                   "sas",
                                                   "sas_confirmed_local",
                                                   "sas_confirmed_remote",
                                                   "mean_rtt_ms",
                                                   "loss_percent",
                                                   "jitter_ms",
                                                   "concealed_percent",
                                                   "fec_recovered",
                                                   "interruptions",
                                                   "note"};
  return columns;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string history_to_csv(const std::vector<CallRecord>& calls) {
  const auto line = [](const Fields& f) {
    std::string out;
    for (std::size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + csv_field(f[i]);
    return out + "\r\n";
  };
  std::string out = line(history_columns());
  for (const CallRecord& c : calls) out += line(fields(c));
  return out;
}

std::string history_to_json(const std::vector<CallRecord>& calls) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const CallRecord& c : calls) {
    nlohmann::ordered_json o;
    o["id"] = c.id;
    o["started"] = format_utc(c.started_at);
    o["answered"] = c.answered_at ? nlohmann::ordered_json(format_utc(*c.answered_at)) : nullptr;
    o["ended"] = c.ended_at ? nlohmann::ordered_json(format_utc(*c.ended_at)) : nullptr;
    o["direction"] = to_string(c.direction);
    o["peer"] = c.peer_name;
    o["fingerprint"] = c.peer_fingerprint;
    o["peer_verified"] = c.peer_verified;
    o["outcome"] = c.outcome ? to_string(*c.outcome) : "in_progress";
    o["end_reason"] = c.end_reason;
    o["duration_s"] = c.duration_s;
    o["sas"] = c.sas;
    o["sas_confirmed_local"] = c.sas_confirmed_local;
    o["sas_confirmed_remote"] = c.sas_confirmed_remote;
    const auto quality = [&](auto member) {
      return c.quality ? nlohmann::ordered_json((*c.quality).*member) : nullptr;
    };
    o["mean_rtt_ms"] = quality(&CallQuality::mean_rtt_ms);
    o["loss_percent"] = quality(&CallQuality::loss_percent);
    o["jitter_ms"] = quality(&CallQuality::jitter_ms);
    o["concealed_percent"] = quality(&CallQuality::concealed_percent);
    o["fec_recovered"] = quality(&CallQuality::fec_recovered);
    o["interruptions"] = quality(&CallQuality::interruptions);
    o["note"] = c.note;
    array.push_back(std::move(o));
  }
  // Invalid UTF-8 (a name stored by an older console, say) is replaced, not a crash.
  return array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace hotline::store
