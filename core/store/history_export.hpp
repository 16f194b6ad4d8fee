#pragma once
// Call history as files for operators: CSV per RFC 4180 (CRLF line ends; fields with commas,
// quotes or line breaks quoted, quotes doubled; UTF-8 as stored) and JSON (an array of one
// object per call). Times are ISO 8601 UTC. Both carry the same columns, named as below.
// Fields are written exactly as stored: a note beginning with "=" is not defused, so a
// spreadsheet may treat it as a formula (docs/security.md).

#include <string>
#include <vector>

#include "core/store/call_history.hpp"

namespace hotline::store {

// The column names, in order: the CSV header and the JSON keys.
const std::vector<std::string>& history_columns();

std::string history_to_csv(const std::vector<CallRecord>& calls);
std::string history_to_json(const std::vector<CallRecord>& calls);

// One RFC 4180 field: quoted when it must be.
std::string csv_field(std::string_view text);

}  // namespace hotline::store
