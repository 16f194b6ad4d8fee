#include "core/call/control_channel.hpp"

#include <algorithm>

#include "core/net/wire.hpp"

namespace hotline::call {

namespace {
constexpr std::size_t kRememberedIds = 64;
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
    if (p.next_send <= now) {
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
  if (seen_.size() > kRememberedIds) seen_.pop_front();
  return true;
}

bool ControlChannel::gave_up(Clock::time_point now) const {
  return !pending_.empty() && now - pending_.front().first_sent > wire::kControlGiveUp;
}

}  // namespace hotline::call
