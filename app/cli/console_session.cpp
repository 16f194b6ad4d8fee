#include "app/cli/console_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <iostream>
#include <string_view>

#include "core/audio/clocked_device.hpp"
#include "core/audio/portaudio_device.hpp"
#include "core/audio/sample_io.hpp"
#include "core/audio/split_device.hpp"
#include "core/util/error.hpp"

namespace hotline::cli {

namespace {

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);  // wakes the signal thread at shutdown
  return set;
}

// Opens each device on its own (not started), so the error says which one is unusable and
// where its name came from.
void check_live_audio(const AudioSetup& audio) {
  auto check = [](audio::PortAudioDeviceOptions options, const std::string& origin) {
    try {
      audio::PortAudioDevice probe(std::move(options));
    } catch (const Error& e) {
      throw Error(std::string(e.what()) + (origin.empty() ? "" : " (from " + origin + ")"));
    }
  };
  if (audio.input) check({.input = audio.input, .output = std::nullopt}, audio.input_origin);
  if (audio.output) check({.input = std::nullopt, .output = audio.output}, audio.output_origin);
}

}  // namespace

std::filesystem::path numbered_path(const std::filesystem::path& path, int call_number) {
  if (call_number <= 1) return path;
  auto numbered = path;
  numbered.replace_filename(path.stem().string() + "-" + std::to_string(call_number) +
                            path.extension().string());
  return numbered;
}

ConsoleSession::ConsoleSession(identity::Profile& profile, AudioSetup audio)
    : audio_(std::move(audio)) {
  if (audio_.live()) {
    portaudio_.emplace();
    check_live_audio(audio_);
  }
  // Signals are taken by one thread with sigwait, so they arrive as ordinary events. They are
  // blocked before any other thread starts, so every thread inherits the mask. The threads
  // start only once the runtime stands: if it throws, there is nothing to join.
  const sigset_t signals = termination_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  console::ConsoleOptions options;
  options.make_device = [this](const call::CallStats& call) { return make_device(call); };
  options.voice = audio_.voice;
  // Calls go on while the store refuses records; whoever runs the console is told, when it
  // starts, when it is over, and what was lost if the console stops first.
  options.on_records_health = [](const console::RecordsHealth& health) {
    std::cerr << console::describe(health) << "\n";
  };
  // A peer edited in the file outside the console is refused; say which and why.
  options.on_directory_checked = [](const std::vector<store::DirectoryFinding>& tampered) {
    for (const auto& f : tampered) std::cerr << "warning: peer directory: " << f.problem << "\n";
  };
  try {
    runtime_ = std::make_unique<console::ConsoleRuntime>(profile, *this, std::move(options));
  } catch (const call::ListenError& e) {
    if (!e.in_use()) throw;
    throw Error(std::string(e.what()) +
                ". Stop the program that has it, or choose another address: hotline settings "
                "set listen ADDRESS:PORT (administrator); peers then need this console's new "
                "card");
  }
  for (const std::string& problem : runtime_->history_key_problems()) {
    std::cerr << "warning: call history: " << problem << "\n";
  }
  if (const int closed = runtime_->interrupted_calls_closed(); closed > 0) {
    std::cerr << "note: " << closed << " call" << (closed == 1 ? "" : "s")
              << " left open by an earlier run recorded as interrupted\n";
  }
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) throw Error("cannot create a pipe");
  signal_thread_ = std::thread([this, signals] {
    int signal = 0;
    while (sigwait(&signals, &signal) == 0) {
      if (signal == SIGUSR2) return;  // our own wake-up at shutdown
      push({SessionEvent::Kind::kSignal, {}, {}});
    }
  });
  command_thread_ = std::thread([this] { read_commands(); });
}

ConsoleSession::~ConsoleSession() {
  runtime_.reset();  // hangs up, stops the engine, writes the history
  if (const char wake = 0; ::write(stop_pipe_[1], &wake, 1) < 0) {
    // The reader then ends at standard input's end of file or the process exit.
  }
  command_thread_.join();
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
  pthread_kill(signal_thread_.native_handle(), SIGUSR2);
  signal_thread_.join();
}

void ConsoleSession::read_commands() {
  std::string line;
  char buffer[256];
  for (;;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & (POLLIN | POLLHUP)) == 0) return;  // POLLNVAL: no standard input
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) return;  // end of file: nobody is typing
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] != '\n') {
        if (line.size() < 64) line += buffer[i];
        continue;
      }
      std::string_view command = line;
      while (!command.empty() && std::isspace(static_cast<unsigned char>(command.back()))) {
        command.remove_suffix(1);
      }
      while (!command.empty() && std::isspace(static_cast<unsigned char>(command.front()))) {
        command.remove_prefix(1);
      }
      if (!command.empty()) push({SessionEvent::Kind::kCommand, {}, std::string(command)});
      line.clear();
    }
  }
}

std::shared_ptr<audio::AudioDevice> ConsoleSession::make_device(const call::CallStats&) {
  if (audio_.input && audio_.output) {
    return std::make_shared<audio::PortAudioDevice>(
        audio::PortAudioDeviceOptions{.input = audio_.input, .output = audio_.output});
  }
  ++calls_with_audio_;
  std::unique_ptr<audio::SampleSource> source;
  if (audio_.play) {
    source = std::make_unique<audio::PcmSource>(*audio_.play, "speech file");
  } else {
    source = std::make_unique<audio::SilenceSource>();
  }
  std::unique_ptr<audio::SampleSink> sink;
  if (audio_.record) {
    sink = std::make_unique<audio::WavSink>(numbered_path(*audio_.record, calls_with_audio_));
  } else {
    sink = std::make_unique<audio::DiscardSink>();
  }
  if (!audio_.live()) {
    return std::make_shared<audio::ClockedDevice>(std::move(source), std::move(sink));
  }
  // One side live, the other a file: the file's side of the clocked device is the one used.
  auto files = std::make_shared<audio::ClockedDevice>(std::move(source), std::move(sink));
  auto live = std::make_shared<audio::PortAudioDevice>(
      audio::PortAudioDeviceOptions{.input = audio_.input, .output = audio_.output});
  if (audio_.output) return std::make_shared<audio::SplitDevice>(files, live);
  return std::make_shared<audio::SplitDevice>(live, files);
}

void ConsoleSession::push(SessionEvent event) {
  events_.push(std::move(event));
}

std::optional<SessionEvent> ConsoleSession::next_event(
    std::optional<std::chrono::steady_clock::time_point> deadline) {
  return events_.pop(deadline);
}

void ConsoleSession::on_call_changed(const call::CallStats& snapshot) {
  push({SessionEvent::Kind::kCallChanged, snapshot, {}});
}

void ConsoleSession::on_call_ended(const call::CallStats& final_stats) {
  push({SessionEvent::Kind::kCallEnded, final_stats, {}});
}

}  // namespace hotline::cli
