#include "tests/bench/probe_options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

namespace hotline::bench {
namespace {

constexpr const char* kUsage =
    "usage: hotline-delay-probe [options]\n"
    "  --frame-ms 10|20            Opus frame duration (default 20)\n"
    "  --jitter-ms N               0: clean loopback (default); N: relay with N ms delay\n"
    "                              +- N/2 ms uniform jitter (20 = \"20 ms +- 10 ms\")\n"
    "  --device-period-ms N        virtual sound card period, 1..20 (default 5)\n"
    "  --seconds S                 measured time after the warm-up (default 30)\n"
    "  --warmup-seconds S          before the first chirp (default 15)\n"
    "  --window-ms N               look for each chirp up to N ms after it was played,\n"
    "                              50..1400 (default 300)\n"
    "  --voice-processing on|off   console defaults (AEC, NS, tones) or none (default off)\n"
    "  --bitrate N                 Opus bitrate, 16000..64000 (default 32000)\n"
    "  --seed N                    relay randomness (default 1)\n"
    "  --json | --markdown         one JSON object, or one Markdown table row\n"
    "  --json-file PATH            also append the JSON object to PATH\n"
    "  --trace PATH                CSV of the callee's playout statistics every 100 ms\n"
    "  --assert-median-below-ms X  exit 1 unless every chirp is found and the median < X\n";

[[noreturn]] void bad(const std::string& message) {
  std::cerr << "hotline-delay-probe: " << message << "\n" << kUsage;
  std::exit(2);
}

long long integer(std::string_view flag, std::string_view text, long long lo, long long hi) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < lo || v > hi) {
    bad(std::string(flag) + " wants a whole number in " + std::to_string(lo) + ".." +
        std::to_string(hi) + ", not '" + std::string(text) + "'");
  }
  return v;
}

double real(std::string_view flag, std::string_view text, double lo, double hi) {
  const std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(v >= lo && v <= hi)) {
    bad(std::string(flag) + " wants a number in " + std::to_string(lo) + ".." + std::to_string(hi) +
        ", not '" + s + "'");
  }
  return v;
}

}  // namespace

ProbeOptions parse_probe_options(int argc, char** argv) {
  ProbeOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (flag == "--json") {
      o.format = OutputFormat::kJson;
      continue;
    }
    if (flag == "--markdown") {
      o.format = OutputFormat::kMarkdown;
      continue;
    }
    constexpr std::string_view kTakesValue[] = {
        "--frame-ms",  "--jitter-ms",      "--device-period-ms",
        "--seconds",   "--warmup-seconds", "--voice-processing",
        "--bitrate",   "--seed",           "--assert-median-below-ms",
        "--json-file", "--trace",          "--window-ms"};
    if (std::find(std::begin(kTakesValue), std::end(kTakesValue), flag) == std::end(kTakesValue)) {
      bad("unknown option: " + std::string(flag));
    }
    if (i + 1 >= argc) bad(std::string(flag) + " needs a value");
    const std::string_view value = argv[++i];
    if (flag == "--frame-ms") {
      o.frame_ms = static_cast<int>(integer(flag, value, 0, 1000));
      if (o.frame_ms != 10 && o.frame_ms != 20) bad("--frame-ms must be 10 or 20");
    } else if (flag == "--jitter-ms") {
      o.network_delay_ms = static_cast<int>(integer(flag, value, 0, 500));
    } else if (flag == "--device-period-ms") {
      o.device_period_ms = static_cast<int>(integer(flag, value, 1, 20));
    } else if (flag == "--seconds") {
      o.seconds = real(flag, value, 1.5, 600);
    } else if (flag == "--warmup-seconds") {
      o.warmup_s = real(flag, value, 0, 120);
    } else if (flag == "--voice-processing") {
      if (value != "on" && value != "off") bad("--voice-processing must be on or off");
      o.voice_processing = value == "on";
    } else if (flag == "--bitrate") {
      o.bitrate = static_cast<int>(integer(flag, value, 16000, 64000));
    } else if (flag == "--seed") {
      o.seed = static_cast<std::uint64_t>(integer(flag, value, 0, 1LL << 62));
    } else if (flag == "--window-ms") {
      // Chirps are 1.5 s apart: a longer window could find the next one.
      o.window_ms = static_cast<int>(integer(flag, value, 50, 1400));
    } else if (flag == "--trace") {
      o.trace_file = std::string(value);
    } else if (flag == "--json-file") {
      o.json_file = std::string(value);
    } else if (flag == "--assert-median-below-ms") {
      o.assert_median_below_ms = real(flag, value, 1, 10000);
    }
  }
  return o;
}

}  // namespace hotline::bench
