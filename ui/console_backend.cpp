#include "ui/console_backend.hpp"

#include <iostream>

#include "core/audio/clocked_device.hpp"
#include "core/audio/portaudio_device.hpp"
#include "core/audio/sample_io.hpp"
#include "core/crypto/fingerprint.hpp"

namespace hotline::ui {
namespace {

// The demo's second console speaks the built-in sample over and over.
class LoopingSource final : public audio::SampleSource {
 public:
  explicit LoopingSource(audio::PcmBuffer pcm) : pcm_(std::move(pcm)) {}
  void fill(std::span<std::int16_t> out) override {
    for (auto& s : out) {
      s = pcm_.samples.empty() ? std::int16_t{0} : pcm_.samples[position_];
      if (++position_ >= pcm_.samples.size()) position_ = 0;
    }
  }
  std::string description() const override { return "built-in speech sample"; }

 private:
  audio::PcmBuffer pcm_;
  std::size_t position_ = 0;
};

}  // namespace

ConsoleBackend::ConsoleBackend(const SessionOptions& options,
                               std::optional<std::string> key_passphrase, EngineEvents& events)
    : profile(identity::Profile::open(options.profile_dir)),
      audit(profile),
      gate(profile, audit, options.role_cost),
      administration(profile, audit),
      history(audit),
      audio_mode_(options.audio),
      speech_(options.speech) {
  profile.unlock(key_passphrase ? std::optional<std::string_view>(*key_passphrase) : std::nullopt);
  settings = read_settings(profile);
  apply_settings();
  console::ConsoleOptions run;
  run.voice.echo_cancellation = settings.echo_cancellation;
  run.voice.noise_suppression = settings.noise_suppression;
  run.timers = options.timers;
  run.presence_interval = options.presence_interval;
  run.make_device = [this](const call::CallStats&) { return make_device(); };
  run.on_records_health = [&events](const console::RecordsHealth& h) {
    // A loss is reported as the console stops, when no window is left to show it.
    if (h.lost > 0) std::cerr << console::describe(h) << '\n';
    events.on_records_health(h);
  };
  run.on_directory_checked = [&events](const std::vector<store::DirectoryFinding>& tampered) {
    for (const auto& f : tampered) std::cerr << "peer directory: " << f.problem << '\n';
    events.on_directory_checked(tampered);
  };
  run.on_history_keys_checked = [&events](const std::vector<std::string>& problems) {
    for (const std::string& p : problems) std::cerr << "warning: call history: " << p << '\n';
    events.on_history_keys_checked(problems);
  };
  run.on_store_changed = [&events](const std::vector<call::PeerEntry>&) {
    events.on_store_changed();
  };
  if (options.echo_line) {
    echo_ = std::make_unique<console::EchoLine>(profile.public_key());
    run.extra_peers.push_back(echo_->peer_entry());
  }
  runtime_ = std::make_unique<console::ConsoleRuntime>(profile, events, std::move(run));
}

ConsoleBackend::~ConsoleBackend() {
  tester.reset();
  runtime_.reset();  // hangs up and writes the history before the echo line goes
  echo_.reset();
}

const admin::RoleGrant& ConsoleBackend::grant(store::Role role) const {
  const auto& g = role == store::Role::kOperator ? operator_grant : admin_grant;
  if (!g) {
    throw admin::AccessDenied(std::string("the ") + std::string(store::display_name(role)) +
                              " role is locked");
  }
  return *g;
}

std::vector<PeerInfo> ConsoleBackend::peers() {
  std::vector<PeerInfo> out;
  const auto refused_probes = profile.peers().refused_probes();
  for (const auto& r : profile.peers().list()) {
    PeerInfo p;
    p.name = r.name;
    p.fingerprint = crypto::fingerprint(r.public_key);
    p.endpoints = r.endpoints;
    p.enabled = r.enabled;
    p.verified = r.verified_at.has_value();
    p.verified_by = r.verified_by.value_or("");
    p.verified_at = r.verified_at.value_or(0);
    p.has_psk = r.has_psk;
    if (const auto found = refused_probes.find(r.public_key); found != refused_probes.end()) {
      p.refused_probes = found->second.count;
    }
    out.push_back(std::move(p));
  }
  return out;
}

void ConsoleBackend::directory_changed() {
  runtime_->reload_peers();
}

void ConsoleBackend::apply_settings() {
  std::lock_guard lock(devices_mutex_);
  input_ = settings.input;
  output_ = settings.output;
}

std::shared_ptr<audio::AudioDevice> ConsoleBackend::make_device() {
  switch (audio_mode_) {
    case AudioMode::kSpeechSample:
      return std::make_shared<audio::ClockedDevice>(
          std::make_unique<LoopingSource>(speech_.value_or(audio::PcmBuffer{})),
          std::make_unique<audio::DiscardSink>());
    case AudioMode::kTone:
      return std::make_shared<audio::ClockedDevice>(
          std::make_unique<audio::ToneSource>(440.0, -20.0),
          std::make_unique<audio::DiscardSink>());
    case AudioMode::kLive:
      break;
  }
  std::lock_guard lock(devices_mutex_);
  return std::make_shared<audio::PortAudioDevice>(
      audio::PortAudioDeviceOptions{.input = input_, .output = output_});
}

}  // namespace hotline::ui
