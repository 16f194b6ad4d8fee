#include "core/call/link.hpp"

#include <algorithm>

namespace hotline::call {

void Link::install(Session session, bool we_initiated) {
  if (we_initiated) {
    // Counted when keys are switched to (the call's first keys are not a re-key): a responder
    // switches when the initiator's first packet under the new keys arrives.
    if (current_) ++counters_.rekeys;
    if (current_) retire_to_previous(std::move(*current_), session.created);
    current_ = std::move(session);
    release(next_);
  } else {
    release(next_);  // a newer initiation replaces one the peer never switched to
    next_ = std::move(session);
  }
}

void Link::retire_to_previous(Session session, Clock::time_point at) {
  release(previous_);
  previous_ = std::move(session);
  previous_retired_at_ = at;
}

void Link::release(std::optional<Session>& session) {
  if (!session) return;
  released_.push_back(session->local_index);
  session.reset();  // Secret members wipe the keys
}

Session* Link::session_for(std::uint32_t local_index) {
  for (auto* s : {&next_, &current_, &previous_}) {
    if (*s && (*s)->local_index == local_index) return &**s;
  }
  return nullptr;
}

std::optional<Link::Opened> Link::open(const net::TransportHeader& header, ByteSpan packet,
                                       MutableByteSpan plaintext, Clock::time_point now) {
  Session* session = session_for(header.receiver_index);
  if (session == nullptr || now - session->created > wire::kRejectAfter) return std::nullopt;

  const bool voice = header.type == wire::MessageType::kVoice;
  net::ReplayWindow& window = voice ? session->voice_window : session->control_window;
  const std::uint64_t hint = window.highest() > 0
                                 ? window.highest()
                                 : (voice ? voice_received_hint_ : control_received_hint_);
  const std::uint64_t counter = net::reconstruct_counter(hint, header.counter_low);

  std::size_t length = 0;
  if (!net::open_transport(packet, counter, session->keys.recv, plaintext, length)) {
    ++counters_.auth_failures;
    return std::nullopt;
  }
  // Replay is checked only after authentication, so forged packets cannot move the window.
  if (!window.accept(counter)) {
    ++counters_.replays_dropped;
    return std::nullopt;
  }
  (voice ? voice_received_hint_ : control_received_hint_) = window.highest();
  ++counters_.packets_received;
  last_received_ = now;

  Opened opened{header.type, counter, length, session->handshake_hash};
  if (next_ && session == &*next_) {
    // The peer has switched to the keys it initiated: follow it.
    if (current_) {
      ++counters_.rekeys;
      retire_to_previous(std::move(*current_), now);
    }
    current_ = std::move(next_);
    next_.reset();
  }
  return opened;
}

std::uint64_t& Link::next_counter(wire::MessageType type) {
  return type == wire::MessageType::kVoice ? voice_sent_ : control_sent_;
}

bool Link::can_send(Clock::time_point now) const {
  return current_ && now - current_->created <= wire::kRejectAfter;
}

std::optional<Clock::duration> Link::sending_key_age(Clock::time_point now) const {
  if (!current_) return std::nullopt;
  return now - current_->created;
}

std::size_t Link::seal(wire::MessageType type, ByteSpan plaintext, MutableByteSpan out,
                       Clock::time_point now) {
  if (!can_send(now)) return 0;
  std::uint64_t& counter = next_counter(type);
  if (counter >= wire::kRejectAfterMessages) return 0;
  const std::size_t n = net::seal_transport(type, current_->remote_index, counter,
                                            current_->keys.send, plaintext, out);
  ++counter;
  ++counters_.packets_sent;
  return n;
}

std::vector<std::uint32_t> Link::expire(Clock::time_point now) {
  std::vector<std::uint32_t> retired = std::move(released_);
  released_.clear();
  if (previous_ && previous_retired_at_ && now - *previous_retired_at_ > wire::kPreviousKeysKept) {
    retired.push_back(previous_->local_index);
    previous_.reset();  // Secret members wipe the keys
  }
  for (auto* s : {&next_, &current_}) {
    if (*s && now - (*s)->created > wire::kRejectAfter) {
      retired.push_back((*s)->local_index);
      s->reset();
    }
  }
  return retired;
}

std::optional<Clock::time_point> Link::next_expiry() const {
  // expire() acts once an age is strictly greater than the limit: one clock tick after it.
  constexpr Clock::duration just_after{1};
  std::optional<Clock::time_point> due;
  const auto consider = [&due](Clock::time_point t) { due = due ? std::min(*due, t) : t; };
  if (!released_.empty()) consider(Clock::time_point::min());  // due at once
  if (previous_ && previous_retired_at_) {
    consider(*previous_retired_at_ + wire::kPreviousKeysKept + just_after);
  }
  for (const auto* s : {&next_, &current_}) {
    if (*s) consider((*s)->created + wire::kRejectAfter + just_after);
  }
  return due;
}

std::optional<Clock::time_point> Link::sending_key_created() const {
  if (!current_) return std::nullopt;
  return current_->created;
}

std::optional<wire::HandshakeHash> Link::sending_handshake_hash() const {
  if (!current_) return std::nullopt;
  return current_->handshake_hash;
}

const crypto::SecretKey* Link::rekey_chain() const {
  return current_ ? &current_->rekey_chain : nullptr;
}

std::vector<std::uint32_t> Link::local_indices() const {
  std::vector<std::uint32_t> out;
  for (const auto* s : {&next_, &current_, &previous_}) {
    if (*s) out.push_back((*s)->local_index);
  }
  out.insert(out.end(), released_.begin(), released_.end());
  return out;
}

}  // namespace hotline::call
