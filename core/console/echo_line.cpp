#include "core/console/echo_line.hpp"

#include <map>
#include <mutex>

#include "core/audio/audio_format.hpp"
#include "core/audio/clocked_device.hpp"
#include "core/audio/delay_line.hpp"
#include "core/crypto/tai64n.hpp"

namespace hotline::console {

EchoLine::EchoLine(const crypto::PublicKey& console)
    : identity_(std::make_shared<const crypto::Identity>(crypto::Identity::generate())) {
  call::EngineConfig config;
  config.identity = identity_;
  config.listen = net::Endpoint{"127.0.0.1", 0};
  call::PeerEntry caller;
  caller.name = "console";
  caller.public_key = console;
  caller.verified = true;
  caller.endpoints.push_back(net::Endpoint{"127.0.0.1", 9});  // never called back
  config.peers.push_back(std::move(caller));
  // The replay state stays in the engine's memory: the line's identity is new with every
  // start, so nothing need outlive it.
  config.make_device = [](const call::CallStats&) {
    auto line = std::make_shared<audio::DelayLine>(static_cast<std::size_t>(kDelay.count()) *
                                                   audio::kSampleRate / 1000);
    return std::make_shared<audio::ClockedDevice>(std::make_unique<audio::DelayLineSource>(line),
                                                  std::make_unique<audio::DelayLineSink>(line));
  };
  // What comes back is the caller's own processed voice: cancelling it as echo, or
  // suppressing it as noise, would only muffle the test.
  config.voice.echo_cancellation = false;
  config.voice.noise_suppression = false;
  config.voice.tones = false;
  engine_ = std::make_unique<call::Engine>(std::move(config), *this);
  engine_->start();
}

EchoLine::~EchoLine() {
  engine_->stop();
}

call::PeerEntry EchoLine::peer_entry() const {
  call::PeerEntry entry;
  entry.name = kEchoTestPeer;
  entry.public_key = identity_->public_key();
  entry.endpoints.push_back(engine_->local_endpoint());
  entry.verified = true;
  return entry;
}

void EchoLine::on_call_changed(const call::CallStats& s) {
  if (s.direction == call::Direction::kIncoming && s.state == call::CallState::kRinging) {
    engine_->answer(s.id);
  }
}

}  // namespace hotline::console
