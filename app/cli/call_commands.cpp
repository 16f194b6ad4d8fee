// `hotline call` and `hotline answer`: a console placing or answering calls, with live audio
// through PortAudio, or headless with audio from and to WAV files through clocked virtual
// devices (the same pipeline as live audio).

#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <vector>

#include "app/cli/commands.hpp"
#include "app/cli/console_session.hpp"
#include "core/console/console_settings.hpp"
#include "core/util/error.hpp"

namespace hotline::cli {

namespace {

using Clock = std::chrono::steady_clock;
using call::CallState;
using call::EndReason;

const OptionSpec kCallOptions{{"--play", "--record", "--seconds", "--stats-json", "--frame-ms",
                               "--bitrate", "--passphrase-file", "--input", "--output"},
                              {"--no-aec", "--no-ns", "--agc", "--no-tones"}};
const OptionSpec kAnswerOptions{
    {"--play", "--record", "--calls", "--stats-json", "--passphrase-file", "--input", "--output"},
    {"--no-aec", "--no-ns", "--agc", "--no-tones"}};

// A device name from its option, else from the profile setting, else the system default.
void choose_device(const Arguments& args, identity::Profile& profile, const char* option,
                   const char* setting, std::optional<std::string>& name, std::string& origin) {
  if (auto value = args.value(option)) {
    name = *value;
    origin = option;
  } else if (auto stored = profile.settings().get(setting)) {
    name = *stored;
    origin = std::string("the ") + setting + " setting";
  } else {
    name = "default";
    origin.clear();
  }
}

// Read before the engine starts: the store's connection then belongs to the engine thread.
AudioSetup audio_setup(const Arguments& args, identity::Profile& profile) {
  AudioSetup audio;
  const console::ConsoleSettings stored = console::read_settings(profile);
  audio.voice.echo_cancellation = !args.flag("--no-aec") && stored.echo_cancellation;
  audio.voice.noise_suppression = !args.flag("--no-ns") && stored.noise_suppression;
  audio.voice.agc = args.flag("--agc");
  audio.voice.tones = !args.flag("--no-tones");
  const auto play = args.value("--play");
  const auto record = args.value("--record");
  if (play && args.value("--input")) {
    throw UsageError("--play takes the microphone's place; give --play or --input, not both");
  }
  if (record && args.value("--output")) {
    throw UsageError("--record takes the loudspeaker's place; give --record or --output, not both");
  }
  if (play) audio.play = audio::read_wav(*play);
  if (record) audio.record = *record;
  // A file on one side: the other side is live only when asked for by name.
  if (!play && (!record || args.value("--input"))) {
    choose_device(args, profile, "--input", kInputSetting, audio.input, audio.input_origin);
  }
  if (!record && (!play || args.value("--output"))) {
    choose_device(args, profile, "--output", kOutputSetting, audio.output, audio.output_origin);
  }
  return audio;
}

std::string describe_voice(const audio::VoiceOptions& voice) {
  const auto on = [](bool b) { return b ? "on" : "off"; };
  return std::string("Voice processing: echo cancellation ") + on(voice.echo_cancellation) +
         ", noise suppression " + on(voice.noise_suppression) + ", automatic gain control " +
         on(voice.agc);
}

void append_stats(const std::optional<std::string>& path, const call::CallStats& stats) {
  if (!path) return;
  std::ofstream out(*path, std::ios::app);
  out << call::to_json_line(stats) << "\n";
  if (!out) throw Error("cannot write statistics to " + *path);
}

struct Shown {
  CallState state = CallState::kDialling;
  bool interrupted = false;
  std::string device_problem;
  bool sas_shown = false;
  bool sas_confirmed_local = false;
  bool sas_confirmed_remote = false;
  std::uint64_t rekeys_refused = 0;
};

void print_change(const call::CallStats& s, Shown& shown) {
  if (s.state != shown.state) {
    shown.state = s.state;
    if (s.state == CallState::kRinging) {
      std::cout << (s.direction == call::Direction::kIncoming ? "Incoming call from " : "Ringing ")
                << s.peer << "\n";
    } else if (s.state == CallState::kConnected) {
      std::cout << "Connected to " << s.peer << " (setup " << std::fixed << std::setprecision(0)
                << s.setup_ms << " ms)" << (s.peer_verified ? "" : " — peer NOT VERIFIED") << "\n";
    }
  }
  // The words are known once both SAS nonces are (docs/protocol.md §2.3), which can be just
  // after an answer.
  if (s.state == CallState::kConnected && !s.sas.empty() && !shown.sas_shown) {
    shown.sas_shown = true;
    std::cout << "SAS: " << s.sas << "  (" << s.sas_digits
              << ")  — read these words, or the numbers, to each other, then type 'confirm' "
                 "(or 'mismatch' if they differ)\n";
  }
  if (s.link_interrupted != shown.interrupted) {
    shown.interrupted = s.link_interrupted;
    std::cout << (shown.interrupted ? "Link interrupted — waiting for the peer\n"
                                    : "Link restored\n");
  }
  if (s.sas_confirmed_local && !shown.sas_confirmed_local) {
    shown.sas_confirmed_local = true;
    std::cout << "You confirmed the SAS words\n";
  }
  if (s.sas_confirmed_remote && !shown.sas_confirmed_remote) {
    shown.sas_confirmed_remote = true;
    std::cout << s.peer << " confirmed the SAS words\n";
  }
  if (s.rekeys_refused > shown.rekeys_refused) {
    shown.rekeys_refused = s.rekeys_refused;
    std::cout << "WARNING: a key change was answered by someone who was not in this call from its "
                 "start — possible interception. The call keeps its verified keys; if this "
                 "repeats, hang up and report it.\n";
  }
  if (s.device_problem != shown.device_problem) {
    shown.device_problem = s.device_problem;
    if (!s.device_problem.empty()) std::cout << "Audio problem: " << s.device_problem << "\n";
  }
  std::cout << std::flush;
}

void print_end(const call::CallStats& s) {
  std::cout << "Call with " << s.peer << " ended: " << call::to_string(s.end_reason);
  if (s.duration_s > 0)
    std::cout << " after " << std::fixed << std::setprecision(1) << s.duration_s << " s";
  std::cout << "\n";
  if (s.end_reason == EndReason::kInterceptionSuspected) {
    std::cout << "WARNING: the security words of this call could not be trusted — someone may be "
                 "listening in. Do not use this line until an administrator has verified "
              << s.peer << "'s key through another channel.\n";
  }
  std::cout << std::flush;
}

// A line typed during a call: confirm, mute, unmute, hangup. Unknown ones are explained.
void apply_command(call::Engine& engine, call::CallId id, const std::string& command) {
  if (command == "confirm" || command == "c") {
    engine.confirm_sas(id);
  } else if (command == "mismatch") {
    engine.report_sas_mismatch(id);
  } else if (command == "mute" || command == "m") {
    engine.set_muted(id, true);
    std::cout << "Muted\n" << std::flush;
  } else if (command == "unmute" || command == "u") {
    engine.set_muted(id, false);
    std::cout << "Unmuted\n" << std::flush;
  } else if (command == "hangup" || command == "h") {
    engine.hangup(id);
  } else {
    std::cout << "Commands: confirm (the SAS words matched), mismatch (they did not: ends the "
                 "call as a suspected interception), mute, unmute, hangup\n"
              << std::flush;
  }
}

bool is_about_words(const std::string& command) {
  return command == "confirm" || command == "c" || command == "mismatch";
}

// Commands about the SAS words wait until the words are shown; the others act at once.
struct PendingCommands {
  std::vector<std::string> waiting;
  void handle(call::Engine& engine, call::CallId call, bool words_shown,
              const std::string& command) {
    if (!words_shown && is_about_words(command)) {
      waiting.push_back(command);
      return;
    }
    apply_command(engine, call, command);
  }
  void on_words_shown(call::Engine& engine, call::CallId call) {
    for (const auto& c : waiting) apply_command(engine, call, c);
    waiting.clear();
  }
};

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
  auto profile = identity::Profile::open(in.profile_dir);
  // The options win over the settings (call.frame_ms, call.bitrate), which win over the defaults.
  const console::ConsoleSettings settings = console::read_settings(profile);
  call::CallOptions options;
  options.frame_ms = args.integer("--frame-ms", settings.frame_ms, 10, 20);
  if (options.frame_ms != 10 && options.frame_ms != 20) throw UsageError("--frame-ms is 10 or 20");
  options.bitrate =
      args.integer("--bitrate", settings.bitrate, wire::kMinBitrate, wire::kMaxBitrate);
  if (!wire::valid_call_options(options.frame_ms, options.bitrate)) {
    throw UsageError("with 10 ms frames the bitrate must be at least 32000");
  }
  const int seconds = args.integer("--seconds", 0, 1, 24 * 3600);
  const auto stats_path = args.value("--stats-json");

  const auto record = profile.peers().find_by_name(peer);
  if (!record) throw Error("no peer named '" + peer + "' (see 'hotline peer list')");
  if (!record->enabled) throw Error("peer '" + peer + "' is disabled");
  warn_if_unverified(unverified_peers(profile), peer);
  AudioSetup audio = audio_setup(args, profile);
  const audio::VoiceOptions voice = audio.voice;
  unlock(profile, args);
  ConsoleSession session(profile, std::move(audio));

  std::cout << describe_voice(voice) << "\n";
  std::cout << "Calling " << peer << "...\n" << std::flush;
  const call::CallId id = session.engine().call(peer, options);
  std::optional<Clock::time_point> hangup_at;
  Shown shown;
  PendingCommands commands;
  for (;;) {
    auto event = session.next_event(hangup_at);
    if (!event || event->kind == SessionEvent::Kind::kSignal) {
      session.engine().hangup(id);
      hangup_at.reset();
      continue;
    }
    if (event->kind == SessionEvent::Kind::kCommand) {
      commands.handle(session.engine(), id, shown.sas_shown, event->command);
      continue;
    }
    if (event->stats.id != id) continue;
    if (event->kind == SessionEvent::Kind::kCallEnded) {
      print_end(event->stats);
      append_stats(stats_path, event->stats);
      return ended_normally(event->stats) ? 0 : 1;
    }
    const bool was_connected = shown.state == CallState::kConnected;
    const bool had_words = shown.sas_shown;
    print_change(event->stats, shown);
    if (shown.sas_shown && !had_words) commands.on_words_shown(session.engine(), id);
    if (event->stats.state == CallState::kConnected && !was_connected && seconds > 0) {
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
  AudioSetup audio = audio_setup(args, profile);
  const audio::VoiceOptions voice = audio.voice;
  unlock(profile, args);
  const auto unverified = unverified_peers(profile);
  ConsoleSession session(profile, std::move(audio));
  std::cout << describe_voice(voice) << "\n";
  std::cout << "Waiting for calls on " << session.engine().local_endpoint().to_string() << "\n"
            << std::flush;

  int calls_done = 0;
  bool stopping = false;
  call::CallId active{};  // the call being answered; 0: none (engine ids start at 1)
  const auto none = [&active] { return active.value == 0; };
  const Shown fresh{CallState::kEnded, false, {}, false, false};
  Shown shown = fresh;
  PendingCommands commands;
  while (!(stopping && none())) {
    auto event = session.next_event(std::nullopt);
    if (event->kind == SessionEvent::Kind::kSignal) {
      stopping = true;
      if (!none()) session.engine().hangup(active);
      continue;
    }
    if (event->kind == SessionEvent::Kind::kCommand) {
      if (!none()) {
        commands.handle(session.engine(), active, shown.sas_shown, event->command);
      } else if (is_about_words(event->command)) {
        commands.waiting.push_back(event->command);  // for the call about to come
      }
      continue;
    }
    const auto& s = event->stats;
    if (event->kind == SessionEvent::Kind::kCallEnded) {
      print_end(s);
      append_stats(stats_path, s);
      if (active == s.id) active = {};
      if (s.direction == call::Direction::kIncoming && ++calls_done == calls_wanted) {
        stopping = true;
      }
      continue;
    }
    if (active != s.id) shown = fresh;
    const bool had_words = shown.sas_shown;
    print_change(s, shown);
    if (active == s.id && shown.sas_shown && !had_words) {
      commands.on_words_shown(session.engine(), s.id);
    }
    if (s.direction == call::Direction::kIncoming && s.state == CallState::kRinging && none()) {
      warn_if_unverified(unverified, s.peer);
      active = s.id;
      session.engine().answer(s.id);
    }
  }
  return 0;
}

}  // namespace hotline::cli
