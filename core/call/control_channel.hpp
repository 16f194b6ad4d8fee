#pragma once
// Reliable delivery of call signalling over the sealed link: every message that changes call
// state is retransmitted until the peer acknowledges its msg_id; received ids are remembered
// so a retransmission is acknowledged again but acted on once. Engine thread only.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "core/net/control_message.hpp"

namespace hotline::call {

class ControlChannel {
 public:
  using Clock = std::chrono::steady_clock;

  // Returns the message to send now; it is kept for retransmission until acknowledged.
  net::ControlMessage send_reliable(wire::ControlKind kind, std::uint64_t call_id, Bytes body,
                                    Clock::time_point now);
  // A message that needs no acknowledgement (acks, keepalives, pings, reports).
  net::ControlMessage make_unreliable(wire::ControlKind kind, std::uint64_t call_id, Bytes body);

  // Messages whose retransmission time has come (none after kControlGiveUp).
  std::vector<net::ControlMessage> due(Clock::time_point now);
  void acknowledge(std::uint32_t msg_id);
  // True the first time a reliable message arrives; false for retransmissions. Keyed by call
  // as well, since a peer that redials starts its message ids afresh.
  bool first_arrival(std::uint64_t call_id, std::uint32_t msg_id);

  bool all_acknowledged() const { return pending_.empty(); }
  // The oldest unacknowledged message has waited longer than wire::kControlGiveUp.
  bool gave_up(Clock::time_point now) const;
  // When due() next returns a message; nullopt when nothing waits for an acknowledgement.
  std::optional<Clock::time_point> next_due() const;
  // When the oldest unacknowledged message reaches kControlGiveUp (gave_up() holds just after).
  std::optional<Clock::time_point> give_up_at() const;
  std::uint64_t retransmissions() const { return retransmissions_; }

 private:
  struct Pending {
    net::ControlMessage message;
    Clock::time_point first_sent;
    Clock::time_point next_send;
  };
  static bool retransmitted(const Pending& p);

  std::uint32_t next_id_ = 1;
  std::deque<Pending> pending_;
  std::deque<std::pair<std::uint64_t, std::uint32_t>> seen_;  // recent (call, msg) from the peer
  std::uint64_t retransmissions_ = 0;
};

}  // namespace hotline::call
