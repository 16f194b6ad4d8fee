// `hotline call` and `hotline answer`: a headless console placing or answering calls, with
// audio from and to WAV files through clocked virtual devices (the same pipeline as live audio).

#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>

#include "app/cli/commands.hpp"
#include "app/cli/console_session.hpp"
#include "core/util/error.hpp"

namespace hotline::cli {

namespace {

using Clock = std::chrono::steady_clock;
using call::CallState;
using call::EndReason;

const OptionSpec kCallOptions{{"--play", "--record", "--seconds", "--stats-json", "--frame-ms",
                               "--bitrate", "--passphrase-file"},
                              {}};
const OptionSpec kAnswerOptions{
    {"--play", "--record", "--calls", "--stats-json", "--passphrase-file"}, {}};

AudioFiles audio_files(const Arguments& args) {
  AudioFiles files;
  if (auto play = args.value("--play")) files.play = audio::read_wav(*play);
  if (auto record = args.value("--record")) files.record = *record;
  return files;
}

void append_stats(const std::optional<std::string>& path, const call::CallStats& stats) {
  if (!path) return;
  std::ofstream out(*path, std::ios::app);
  out << call::to_json_line(stats) << "\n";
  if (!out) throw Error("cannot write statistics to " + *path);
}

void print_change(const call::CallStats& s, CallState& shown, bool& interrupted) {
  if (s.state != shown) {
    shown = s.state;
    if (s.state == CallState::kRinging) {
      std::cout << (s.direction == call::Direction::kIncoming ? "Incoming call from " : "Ringing ")
                << s.peer << "\n";
    } else if (s.state == CallState::kConnected) {
      std::cout << "Connected to " << s.peer << " (setup " << std::fixed << std::setprecision(0)
                << s.setup_ms << " ms)\n"
                << "SAS: " << s.sas << "  — read these words to each other\n";
    }
  }
  if (s.link_interrupted != interrupted) {
    interrupted = s.link_interrupted;
    std::cout << (interrupted ? "Link interrupted — waiting for the peer\n" : "Link restored\n");
  }
  std::cout << std::flush;
}

void print_end(const call::CallStats& s) {
  std::cout << "Call with " << s.peer << " ended: " << call::to_string(s.end_reason);
  if (s.duration_s > 0)
    std::cout << " after " << std::fixed << std::setprecision(1) << s.duration_s << " s";
  std::cout << "\n" << std::flush;
}

bool ended_normally(const call::CallStats& s) {
  return s.end_reason == EndReason::kLocalHangup || s.end_reason == EndReason::kRemoteHangup;
}

// Read before the engine starts: the store's connection then belongs to the engine thread.
std::set<std::string> unverified_peers(identity::Profile& profile) {
  std::set<std::string> names;
  for (const auto& p : profile.peers().list()) {
    if (!p.verified_at) names.insert(p.name);
  }
  return names;
}

void warn_if_unverified(const std::set<std::string>& unverified, const std::string& peer) {
  if (unverified.contains(peer)) {
    std::cerr << "warning: peer '" << peer
              << "' is not verified: its fingerprint has not been compared by voice\n";
  }
}

}  // namespace

int run_call(const Invocation& in) {
  const Arguments args(in.args, kCallOptions);
  args.expect_positional(1, "peer name");
  const std::string peer = args.positional()[0];
  call::CallOptions options;
  options.frame_ms = args.integer("--frame-ms", 20, 10, 20);
  if (options.frame_ms != 10 && options.frame_ms != 20) throw UsageError("--frame-ms is 10 or 20");
  options.bitrate = args.integer("--bitrate", 32000, 16000, 64000);
  if (options.bitrate * options.frame_ms < wire::kMinBitsPerFrame * 1000) {
    throw UsageError("with 10 ms frames the bitrate must be at least 32000");
  }
  const int seconds = args.integer("--seconds", 0, 1, 24 * 3600);
  const auto stats_path = args.value("--stats-json");

  auto profile = identity::Profile::open(in.profile_dir);
  const auto record = profile.peers().find_by_name(peer);
  if (!record) throw Error("no peer named '" + peer + "' (see 'hotline peer list')");
  if (!record->enabled) throw Error("peer '" + peer + "' is disabled");
  warn_if_unverified(unverified_peers(profile), peer);
  unlock(profile, args);
  ConsoleSession session(profile, audio_files(args));

  std::cout << "Calling " << peer << "...\n" << std::flush;
  const call::CallId id = session.engine().call(peer, options);
  std::optional<Clock::time_point> hangup_at;
  CallState shown = CallState::kDialling;
  bool interrupted = false;
  for (;;) {
    auto event = session.next_event(hangup_at);
    if (!event || event->kind == SessionEvent::Kind::kSignal) {
      session.engine().hangup(id);
      hangup_at.reset();
      continue;
    }
    if (event->stats.id != id) continue;
    if (event->kind == SessionEvent::Kind::kCallEnded) {
      print_end(event->stats);
      append_stats(stats_path, event->stats);
      return ended_normally(event->stats) ? 0 : 1;
    }
    print_change(event->stats, shown, interrupted);
    if (event->stats.state == CallState::kConnected && seconds > 0 && !hangup_at) {
      hangup_at = Clock::now() + std::chrono::seconds(seconds);
    }
  }
}

int run_answer(const Invocation& in) {
  const Arguments args(in.args, kAnswerOptions);
  args.expect_positional(0, "");
  const int calls_wanted = args.integer("--calls", 1, 0, 1'000'000);  // 0: until interrupted
  const auto stats_path = args.value("--stats-json");

  auto profile = identity::Profile::open(in.profile_dir);
  unlock(profile, args);
  const auto unverified = unverified_peers(profile);
  ConsoleSession session(profile, audio_files(args));
  std::cout << "Waiting for calls on " << session.engine().local_endpoint().to_string() << "\n"
            << std::flush;

  int calls_done = 0;
  bool stopping = false;
  std::optional<call::CallId> active;
  CallState shown = CallState::kEnded;
  bool interrupted = false;
  while (!(stopping && !active)) {
    auto event = session.next_event(std::nullopt);
    if (event->kind == SessionEvent::Kind::kSignal) {
      stopping = true;
      if (active) session.engine().hangup(*active);
      continue;
    }
    const auto& s = event->stats;
    if (event->kind == SessionEvent::Kind::kCallEnded) {
      print_end(s);
      append_stats(stats_path, s);
      if (active && *active == s.id) active.reset();
      if (s.direction == call::Direction::kIncoming && ++calls_done == calls_wanted) {
        stopping = true;
      }
      continue;
    }
    if (!active || *active != s.id) {
      shown = CallState::kEnded;
      interrupted = false;
    }
    print_change(s, shown, interrupted);
    if (s.direction == call::Direction::kIncoming && s.state == CallState::kRinging && !active) {
      warn_if_unverified(unverified, s.peer);
      active = s.id;
      session.engine().answer(s.id);
    }
  }
  return 0;
}

}  // namespace hotline::cli
