#pragma once
// Vocabulary shared by the engine and everything that listens to it (CLI, GUI, store).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/crypto/identity.hpp"

namespace hotline::call {

// A call's identity on this console. Strong type so it cannot be confused with a row id.
struct CallId {
  std::uint64_t value = 0;
  friend bool operator==(CallId, CallId) = default;
  friend auto operator<=>(CallId, CallId) = default;
};

enum class Direction { kOutgoing, kIncoming };

enum class CallState {
  kDialling,   // outgoing: handshake and call request under way
  kRinging,    // outgoing: the far side rings; incoming: we ring
  kConnected,  // voice flows
  kEnded,
};

enum class EndReason {
  kLocalHangup,
  kRemoteHangup,
  kDeclined,        // the callee declined (reported on both sides)
  kBusy,            // the callee was already in a call
  kNoAnswer,        // nobody answered within the ring timeout
  kCancelled,       // the caller gave up before an answer (the callee's "missed call")
  kUnreachable,     // no handshake response
  kConnectionLost,  // nothing from the peer for wire::kConnectionLostAfter
  kRefused,         // the peer is disabled or unknown here
  kFailed,          // a local problem (audio device, internal error)
  // The words did not match (an official said so) or the caller's SAS nonce broke its
  // commitment: someone may be in the middle. Reported on both sides (Hangup reason 4).
  kInterceptionSuspected,
};

std::string_view to_string(Direction);
std::string_view to_string(CallState);
std::string_view to_string(EndReason);

struct CallOptions {
  int frame_ms = 20;
  int bitrate = 32000;
};

}  // namespace hotline::call
