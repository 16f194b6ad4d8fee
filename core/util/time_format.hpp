#pragma once
// Times as people and files see them. Stored times are unix milliseconds (UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline {

std::int64_t unix_ms_now();

// "2026-12-01T18:26:45.120Z": exports and logs.
std::string format_utc(std::int64_t unix_ms);
// "2026-12-01 19:26:45 +0100": what the console shows, in the machine's time zone.
std::string format_local(std::int64_t unix_ms);

// "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or with 'T', optionally followed by "Z" or "+HH:MM" /
// "-HH:MM"; without a zone the machine's local time. nullopt for anything else, including
// impossible dates. A date alone means its first millisecond; with `end_of_day`, the first
// millisecond of the next day, so "--until 2026-12-01" includes all of that day.
std::optional<std::int64_t> parse_time(std::string_view text, bool end_of_day = false);

}  // namespace hotline
