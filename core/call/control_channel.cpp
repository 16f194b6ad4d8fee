#include "core/call/control_channel.hpp"

#include <algorithm>

#include "core/wire/wire.hpp"

namespace hotline::call {

bool ControlChannel::retransmitted(const Pending& p) {
  // Sent until kControlGiveUp after the first try, the try at kControlGiveUp included.
  return p.next_send - p.first_sent <= wire::kControlGiveUp;
}

net::ControlMessage ControlChannel::send_reliable(wire::ControlKind kind, std::uint64_t call_id,
                                                  Bytes body, Clock::time_point now) {
  net::ControlMessage message{kind, next_id_++, call_id, std::move(body)};
  pending_.push_back({message, now, now + wire::kControlRetransmit});
  return message;
}

net::ControlMessage ControlChannel::make_unreliable(wire::ControlKind kind, std::uint64_t call_id,
                                                    Bytes body) {
  return net::ControlMessage{kind, next_id_++, call_id, std::move(body)};
}

std::vector<net::ControlMessage> ControlChannel::due(Clock::time_point now) {
  std::vector<net::ControlMessage> out;
  for (auto& p : pending_) {
    if (p.next_send <= now && retransmitted(p)) {
      out.push_back(p.message);
      p.next_send = now + wire::kControlRetransmit;
      ++retransmissions_;
    }
  }
  return out;
}

void ControlChannel::acknowledge(std::uint32_t msg_id) {
  std::erase_if(pending_, [msg_id](const Pending& p) { return p.message.msg_id == msg_id; });
}

bool ControlChannel::first_arrival(std::uint64_t call_id, std::uint32_t msg_id) {
  const auto key = std::make_pair(call_id, msg_id);
  if (std::find(seen_.begin(), seen_.end(), key) != seen_.end()) return false;
  seen_.push_back(key);
  if (seen_.size() > wire::kRememberedControlIds) seen_.pop_front();
  return true;
}

bool ControlChannel::gave_up(Clock::time_point now) const {
  return !pending_.empty() && now - pending_.front().first_sent > wire::kControlGiveUp;
}

std::optional<ControlChannel::Clock::time_point> ControlChannel::next_due() const {
  std::optional<Clock::time_point> due;
  for (const auto& p : pending_) {
    if (retransmitted(p)) due = due ? std::min(*due, p.next_send) : p.next_send;
  }
  return due;
}

std::optional<ControlChannel::Clock::time_point> ControlChannel::give_up_at() const {
  if (pending_.empty()) return std::nullopt;
  return pending_.front().first_sent + wire::kControlGiveUp;
}

}  // namespace hotline::call
