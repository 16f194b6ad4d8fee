// History exports survive a round trip: CSV read back by an independent RFC 4180 reader (the
// command-line test also reads it with Python's csv module), JSON by nlohmann::json.

#include "core/store/history_export.hpp"

#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

#include "core/util/time_format.hpp"

using namespace hotline;
using namespace hotline::store;

namespace {

// RFC 4180, section 2, read literally: records end in CRLF; a field is quoted if it starts
// with a quote, and inside quotes "" is a quote and anything else (commas, CR, LF) is data.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  std::size_t i = 0;
  bool quoted = false;
  bool at_field_start = true;
  while (i < text.size()) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        i += 2;
      } else if (c == '"') {
        quoted = false;
        ++i;
      } else {
        field += c;
        ++i;
      }
    } else if (c == '"' && at_field_start) {
      quoted = true;
      at_field_start = false;
      ++i;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      at_field_start = true;
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      at_field_start = true;
      i += 2;
    } else {
      field += c;
      at_field_start = false;
      ++i;
    }
  }
  REQUIRE(row.empty());  // the last record ended with CRLF
  return rows;
}

std::vector<CallRecord> sample() {
  CallRecord a;
  a.id = 7;
  a.peer_name = "新加坡, \"Singapore\"";
  a.peer_fingerprint = "12345 67890";
  a.direction = CallDirection::kIn;
  a.started_at = 1'700'000'000'123;
  a.answered_at = a.started_at + 1'000;
  a.ended_at = a.started_at + 61'000;
  a.duration_s = 60.0;
  a.outcome = CallOutcome::kAnswered;
  a.end_reason = "remote_hangup";
  a.sas = "Burbank Medusa miser vagabond";
  a.sas_confirmed_local = true;
  a.quality = CallQuality{10.25, 1.5, 2.75, 0.125, 3, 0};
  a.note = "line 1\r\nline 2\nline 3, \"quoted\"";
  CallRecord b;
  b.id = 8;
  b.peer_name = "Tokyo";
  b.started_at = 1'700'000'100'000;
  b.outcome = CallOutcome::kMissed;
  b.note = "=1+1";
  return {a, b};
}

}  // namespace

TEST_CASE("CSV export quotes what it must and reads back field for field") {
  const auto calls = sample();
  const std::string csv = history_to_csv(calls);
  const auto rows = read_csv(csv);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == history_columns());
  const auto col = [&](const std::string& name) {
    for (std::size_t i = 0; i < rows[0].size(); ++i) {
      if (rows[0][i] == name) return i;
    }
    FAIL("no column " << name);
    return std::size_t{0};
  };
  CHECK(rows[1][col("peer")] == calls[0].peer_name);
  CHECK(rows[1][col("note")] == calls[0].note);
  CHECK(rows[1][col("started")] == "2023-11-14T22:13:20.123Z");
  CHECK(rows[1][col("outcome")] == "answered");
  CHECK(rows[1][col("sas_confirmed_local")] == "yes");
  CHECK(rows[1][col("sas_confirmed_remote")] == "no");
  CHECK(rows[1][col("mean_rtt_ms")] == "10.250");
  CHECK(rows[2][col("answered")].empty());
  CHECK(rows[2][col("mean_rtt_ms")].empty());  // no quality: the call never connected
  CHECK(rows[2][col("note")] == "=1+1");       // stored text, unchanged
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
}

TEST_CASE("JSON export reads back with the same columns and values") {
  const auto calls = sample();
  const auto json = nlohmann::json::parse(history_to_json(calls));
  REQUIRE(json.is_array());
  REQUIRE(json.size() == 2);
  for (const auto& column : history_columns()) CHECK(json[0].contains(column));
  CHECK(json[0]["peer"] == calls[0].peer_name);
  CHECK(json[0]["note"] == calls[0].note);
  CHECK(json[0]["id"] == 7);
  CHECK(json[0]["duration_s"] == 60.0);
  CHECK(json[0]["mean_rtt_ms"] == 10.25);
  CHECK(json[0]["sas_confirmed_local"] == true);
  CHECK(parse_time(json[0]["started"].get<std::string>()) == calls[0].started_at);
  CHECK(json[1]["answered"].is_null());
  CHECK(json[1]["mean_rtt_ms"].is_null());
}

TEST_CASE("times parse from dates, local times and explicit zones") {
  CHECK(parse_time("2023-11-14T22:13:20Z") == 1'700'000'000'000);
  CHECK(parse_time("2023-11-14 23:13:20+01:00") == 1'700'000'000'000);
  CHECK(parse_time("2023-11-14T17:13:20-05:00") == 1'700'000'000'000);
  CHECK(parse_time("2023-11-14Z") == 1'699'920'000'000);
  CHECK(parse_time("2023-11-14Z", true) == 1'699'920'000'000 + 86'400'000);
  CHECK(parse_time("2024-02-29").has_value());
  CHECK(parse_time("2023-11-14T22:13:20.5Z") == 1'700'000'000'500);
  for (const char* bad : {"2023-02-29", "2023-13-01", "2023-11-14T25:00", "2023-11-14T22:61",
                          "yesterday", "2023-11-14T22:13:20+1", "", "2023-11-14 22:13Zjunk",
                          "2023-11-14T22:13:20.Z", "2023-11-14X"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_time(bad));
  }
  CHECK(format_utc(1'700'000'000'123) == "2023-11-14T22:13:20.123Z");
}
