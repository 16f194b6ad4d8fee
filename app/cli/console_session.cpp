#include "app/cli/console_session.hpp"

#include <csignal>

#include "core/audio/clocked_device.hpp"
#include "core/audio/sample_io.hpp"

namespace hotline::cli {

namespace {

std::vector<call::PeerEntry> peer_entries(store::PeerStore& peers) {
  std::vector<call::PeerEntry> out;
  for (auto& record : peers.list()) {
    call::PeerEntry entry;
    entry.name = record.name;
    entry.public_key = record.public_key;
    for (const auto& e : record.endpoints) {
      if (auto endpoint = net::parse_endpoint(e)) entry.endpoints.push_back(*endpoint);
    }
    if (record.psk) entry.psk = std::make_shared<const crypto::SecretKey>(std::move(*record.psk));
    entry.enabled = record.enabled;
    entry.verified = record.verified_at.has_value();
    out.push_back(std::move(entry));
  }
  return out;
}

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);  // wakes the signal thread at shutdown
  return set;
}

}  // namespace

std::filesystem::path numbered_path(const std::filesystem::path& path, int call_number) {
  if (call_number <= 1) return path;
  auto numbered = path;
  numbered.replace_filename(path.stem().string() + "-" + std::to_string(call_number) +
                            path.extension().string());
  return numbered;
}

ConsoleSession::ConsoleSession(identity::Profile& profile, AudioFiles files)
    : files_(std::move(files)) {
  // Signals are taken by one thread with sigwait, so they arrive as ordinary events. They are
  // blocked before any other thread starts, so every thread inherits the mask.
  const sigset_t signals = termination_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal_thread_ = std::thread([this, signals] {
    int signal = 0;
    while (sigwait(&signals, &signal) == 0) {
      if (signal == SIGUSR2) return;  // our own wake-up at shutdown
      push({SessionEvent::Kind::kSignal, {}});
    }
  });

  call::EngineConfig config;
  config.identity = std::make_shared<const crypto::Identity>(
      crypto::Identity::from_seed(profile.identity().seed()));
  config.listen = profile.listen();
  config.peers = peer_entries(profile.peers());
  config.accept_timestamp = [&peers = profile.peers()](const crypto::PublicKey& key,
                                                       const std::array<std::uint8_t, 12>& ts) {
    return peers.accept_handshake_timestamp(key, ts);
  };
  config.make_device = [this](const call::CallStats& call) { return make_device(call); };
  engine_ = std::make_unique<call::Engine>(std::move(config), *this);
  engine_->start();
}

ConsoleSession::~ConsoleSession() {
  engine_->stop();
  pthread_kill(signal_thread_.native_handle(), SIGUSR2);
  signal_thread_.join();
}

std::shared_ptr<audio::AudioDevice> ConsoleSession::make_device(const call::CallStats&) {
  ++calls_with_audio_;
  std::unique_ptr<audio::SampleSource> source;
  if (files_.play) {
    source = std::make_unique<audio::PcmSource>(*files_.play, "speech file");
  } else {
    source = std::make_unique<audio::SilenceSource>();
  }
  std::unique_ptr<audio::SampleSink> sink;
  if (files_.record) {
    sink = std::make_unique<audio::WavSink>(numbered_path(*files_.record, calls_with_audio_));
  } else {
    sink = std::make_unique<audio::DiscardSink>();
  }
  return std::make_shared<audio::ClockedDevice>(std::move(source), std::move(sink));
}

void ConsoleSession::push(SessionEvent event) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  wake_.notify_one();
}

std::optional<SessionEvent> ConsoleSession::next_event(
    std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::unique_lock lock(mutex_);
  const auto ready = [this] { return !events_.empty(); };
  if (deadline) {
    if (!wake_.wait_until(lock, *deadline, ready)) return std::nullopt;
  } else {
    wake_.wait(lock, ready);
  }
  SessionEvent event = std::move(events_.front());
  events_.pop_front();
  return event;
}

void ConsoleSession::on_call_changed(const call::CallStats& snapshot) {
  push({SessionEvent::Kind::kCallChanged, snapshot});
}

void ConsoleSession::on_call_ended(const call::CallStats& final_stats) {
  push({SessionEvent::Kind::kCallEnded, final_stats});
}

}  // namespace hotline::cli
