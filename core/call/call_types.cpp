#include "core/call/call_types.hpp"

namespace hotline::call {

std::string_view to_string(Direction d) {
  return d == Direction::kOutgoing ? "outgoing" : "incoming";
}

std::string_view to_string(CallState s) {
  switch (s) {
    case CallState::kDialling:
      return "dialling";
    case CallState::kRinging:
      return "ringing";
    case CallState::kConnected:
      return "connected";
    case CallState::kEnded:
      return "ended";
  }
  return "unknown";
}

std::string_view to_string(EndReason r) {
  switch (r) {
    case EndReason::kLocalHangup:
      return "local_hangup";
    case EndReason::kRemoteHangup:
      return "remote_hangup";
    case EndReason::kDeclined:
      return "declined";
    case EndReason::kBusy:
      return "busy";
    case EndReason::kNoAnswer:
      return "no_answer";
    case EndReason::kCancelled:
      return "cancelled";
    case EndReason::kUnreachable:
      return "unreachable";
    case EndReason::kConnectionLost:
      return "connection_lost";
    case EndReason::kRefused:
      return "refused";
    case EndReason::kFailed:
      return "failed";
    case EndReason::kInterceptionSuspected:
      return "interception_suspected";
  }
  return "unknown";
}

}  // namespace hotline::call
