#pragma once
// The console's built-in Echo Test line. Calling it sends the official's voice through the
// whole pipeline — capture, echo cancellation, Opus, sealing, UDP on loopback, opening, the
// jitter buffer, decoding — to a small responder console in the same process, which answers
// at once and plays everything it hears back 1.5 s later. So an official hears their own
// microphone through their own loudspeaker, as the far side would, before a real call.
//
// The responder has a throw-away identity, knows only this console, and is not in the
// directory; the console knows it through peer_entry(), and its calls are not recorded.

#include <memory>
#include <string>

#include "core/call/engine.hpp"

namespace hotline::console {

inline constexpr const char* kEchoTestPeer = "Echo Test";

class EchoLine final : public call::EngineListener {
 public:
  static constexpr std::chrono::milliseconds kDelay{1500};

  // `console` is the calling console's identity key: the only caller the line accepts.
  explicit EchoLine(const crypto::PublicKey& console);
  ~EchoLine() override;
  EchoLine(const EchoLine&) = delete;
  EchoLine& operator=(const EchoLine&) = delete;

  // The directory entry the console calls (verified: it is this machine).
  call::PeerEntry peer_entry() const;

  void on_call_changed(const call::CallStats& snapshot) override;
  void on_call_ended(const call::CallStats&) override {}

 private:
  std::shared_ptr<const crypto::Identity> identity_;
  std::unique_ptr<call::Engine> engine_;
};

}  // namespace hotline::console
