#include "core/util/time_format.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace hotline {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool valid_date(int y, int m, int d) {
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

}  // namespace

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_utc(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[80];  // room for any int the compiler can imagine in each field
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return out;
}

std::string format_local(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char out[40];
  std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S %z", &tm);
  return out;
}

std::optional<std::int64_t> parse_time(std::string_view s, bool end_of_day) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || !valid_date(y, mo, d)) {
    return std::nullopt;
  }
  std::size_t pos = 10;
  int milliseconds = 0;
  const bool date_only = pos == s.size() || (s[pos] != 'T' && s[pos] != ' ');
  if (!date_only) {
    if (!digits(s, pos + 1, 2, h) || s.size() < pos + 6 || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, mi) || h > 23 || mi > 59) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2, sec) || sec > 59) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {  // fractions of a second, as exports write them
        std::size_t end = pos + 1;
        while (end < s.size() && end - pos <= 9 && s[end] >= '0' && s[end] <= '9') ++end;
        if (end == pos + 1) return std::nullopt;
        for (std::size_t i = pos + 1; i < pos + 4; ++i) {
          milliseconds = milliseconds * 10 + (i < end ? s[i] - '0' : 0);
        }
        pos = end;
      }
    }
  }
  std::optional<int> offset_minutes;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      offset_minutes = 0;
    } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
      int oh = 0, om = 0;
      if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 14 || om > 59) {
        return std::nullopt;
      }
      offset_minutes = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d + (date_only && end_of_day ? 1 : 0);
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  tm.tm_isdst = -1;
  const std::time_t t = offset_minutes ? timegm(&tm) : mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  const std::int64_t ms = static_cast<std::int64_t>(t) * 1000 + milliseconds;
  return offset_minutes ? ms - std::int64_t{*offset_minutes} * 60'000 : ms;
}

}  // namespace hotline
