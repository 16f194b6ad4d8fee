// Handshakes. Cheap checks come first so junk costs no Diffie-Hellman: length and type, then
// mac1 (keyed by our public key), then, under load, mac2 (a cookie only the initiation's
// source can have received; without it the answer is a cookie reply), then the per-source
// rate limit and the global budget of Noise reads; only then the Noise read,
// the directory lookup, the timestamp check that refuses replayed initiations (in memory; each
// accepted timestamp is handed out as a record to persist), the refusal of disabled and
// removed peers, and the per-peer rate limit.

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "core/call/protocol_core.hpp"
#include "core/crypto/rekey_chain.hpp"
#include "core/crypto/tai64n.hpp"

namespace hotline::call {

namespace {

const crypto::SecretKey& zero_psk() {
  static const crypto::SecretKey zeros;  // "no pre-shared key", as in WireGuard
  return zeros;
}

const crypto::SecretKey& own_psk(const PeerEntry& peer) {
  return peer.psk ? *peer.psk : zero_psk();
}

std::array<std::uint8_t, 16> address_bytes(const asio::ip::address& address) {
  if (address.is_v4())
    return asio::ip::make_address_v6(asio::ip::v4_mapped, address.to_v4()).to_bytes();
  return address.to_v6().to_bytes();
}

std::array<std::uint8_t, 16> source_key(const asio::ip::udp::endpoint& from) {
  // Rate limits apply per address, not per port, so a flood cannot dodge them by port
  // hopping; per /64 for IPv6, the least a host is given, so it cannot by address hopping.
  auto key = address_bytes(from.address());
  if (from.address().is_v6() && !from.address().to_v6().is_v4_mapped()) {
    std::fill(key.begin() + 8, key.end(), 0);
  }
  return key;
}

constexpr net::RateLimit kLoadLimit{wire::kInitiationsPerSecondBeforeLoad,
                                    wire::kInitiationBurstBeforeLoad};
constexpr net::RateLimit kHandshakeBudget{wire::kHandshakesPerSecond, wire::kHandshakeBurst};

}  // namespace

bool ProtocolCore::rekeys_a_call(const Association& a) {
  return a.call && !a.call->call_request_pending && a.call->stats.state != CallState::kEnded &&
         a.link.rekey_chain() != nullptr;
}

crypto::SecretKey ProtocolCore::handshake_psk(const Association& a, const Peer& peer) const {
  if (rekeys_a_call(a)) return crypto::chained_psk(*a.link.rekey_chain(), own_psk(peer.entry));
  return own_psk(peer.entry).clone();
}

void ProtocolCore::send_initiation(Association& a, TimePoint now) {
  const Peer* peer = find_peer(a.peer);
  if (peer == nullptr) return;
  const bool retry = a.pending.has_value();
  if (retry) index_to_peer_.erase(a.pending->sender_index);  // a retry replaces the old one
  a.pending.emplace();
  a.pending_is_rekey = rekeys_a_call(a);
  const std::uint32_t index = new_local_index(a.peer);
  const crypto::SecretKey psk = handshake_psk(a, *peer);
  std::optional<crypto::Cookie> cookie;
  if (auto found = cookies_.find(a.peer);
      found != cookies_.end() && now - found->second.second < wire::kCookieUsableFor) {
    cookie = found->second.first;
  }
  const auto purpose = a.probing ? wire::InitiationPurpose::kProbe : wire::InitiationPurpose::kCall;
  const Bytes packet =
      net::build_initiation(*config_.identity, peer->dh, psk, index, config_.wall_clock.tai64n(),
                            purpose, cookie, *a.pending);
  a.last_initiation = now;
  a.last_sent = now;
  send_datagram(packet, a.link.endpoint());
}

crypto::Tai64n ProtocolCore::latest_acceptable_timestamp() const {
  return crypto::tai64n_add_seconds(config_.wall_clock.tai64n(), wire::kMaxInitiationAhead.count());
}

bool ProtocolCore::accept_timestamp(const crypto::PublicKey& peer,
                                    const crypto::Tai64n& timestamp) {
  auto [it, first] = timestamps_.try_emplace(peer, timestamp);
  if (!first) {
    if (!crypto::is_newer(timestamp, it->second)) return false;
    it->second = timestamp;
  }
  out_.initiation_timestamp(peer, timestamp);
  return true;
}

void ProtocolCore::handle_initiation(ByteSpan packet, const asio::ip::udp::endpoint& from,
                                     TimePoint now) {
  if (packet.size() != wire::kInitiationLen) {
    ++counters_.malformed;
    return;
  }
  if (!net::initiation_passes_mac(packet, own_mac_key_)) {
    ++counters_.mac_failures;
    return;
  }
  if (needs_cookie(packet, from, now)) {
    ++counters_.cookie_replies_sent;
    send_datagram(net::build_cookie_reply(packet, cookie_for(from, now), own_cookie_key_), from);
    return;
  }
  if (!per_source_.allow(source_key(from), now)) {
    ++counters_.rate_limited;
    return;
  }
  // A directory peer's own address draws on no global budget, so a botnet that can answer
  // cookies at addresses of its own cannot lock the genuine peer out; spoofing that address
  // gains nothing under load (no cookie) and little otherwise (the per-source limit).
  if (!from_peer_address(from) && !handshake_budget_.take(kHandshakeBudget, now)) {
    ++counters_.over_handshake_budget;
    return;
  }
  // The Diffie-Hellman an outsider can ask for is done off the voice path (the owner's reader
  // thread); the rest needs a peer's static key and comes back through on_initiation_read.
  out_.read_initiation(InitiationRead{Bytes(packet.begin(), packet.end()), from, std::nullopt});
}

void run_initiation_read(InitiationRead& job, const crypto::Identity& identity) {
  job.result = net::read_initiation(job.packet, identity);
}

void ProtocolCore::on_initiation_read(InitiationRead job, TimePoint now) {
  auto& received = job.result;
  const asio::ip::udp::endpoint& from = job.from;
  if (!received) {
    ++counters_.handshake_failures;
    return;
  }
  const Peer* peer = nullptr;
  for (const auto& p : peers_) {
    if (sodium_memcmp(p.dh.data(), received->initiator_static.data(), p.dh.size()) == 0) {
      peer = &p;
      break;
    }
  }
  if (peer == nullptr) {
    ++counters_.unknown_peer;
    return;
  }
  // Replays are refused before the per-peer limit is charged, so replaying a recorded
  // initiation cannot use up the genuine peer's allowance, nor make a refused call appear.
  if (crypto::is_newer(received->timestamp, latest_acceptable_timestamp())) {
    ++counters_.future_initiations;
    return;
  }
  if (!accept_timestamp(peer->entry.public_key, received->timestamp)) {
    ++counters_.replayed_initiations;
    return;
  }
  if (!peer->entry.enabled) {
    ++counters_.disabled_peer;
    // A probe is not a call: its refusal is counted, never written into the call history.
    if (received->purpose == wire::InitiationPurpose::kProbe) {
      ++counters_.probes_refused;
      out_.probe_refused(peer->entry.public_key);
    } else {
      report_refused(*peer, now);
    }
    return;
  }
  if (!per_peer_.allow(peer->entry.name, now)) {
    ++counters_.rate_limited;
    return;
  }

  auto [it, inserted] = associations_.try_emplace(peer->entry.name, from);
  Association& a = it->second;
  if (inserted) {
    a.peer = peer->entry.name;
    a.created = now;
  }
  if (a.pending) {
    // Both sides initiated at once (both dialled, or a call crossed a probe). Each would keep
    // its own keys and drop the other's, and neither side could open the other's packets:
    // the larger static key keeps its handshake, the other side answers it instead.
    ++counters_.simultaneous_handshakes;
    if (std::memcmp(own_dh_.data(), peer->dh.data(), own_dh_.size()) > 0) return;
    index_to_peer_.erase(a.pending->sender_index);
    a.pending.reset();
  }
  const std::uint32_t index = new_local_index(a.peer);
  net::CompletedHandshake done;
  // In a call, every initiation from the peer is taken as its re-key: answered only on the
  // call's chain, so a stranger with the static keys and the PSK gets keys nobody shares.
  const crypto::SecretKey psk = handshake_psk(a, *peer);
  const Bytes response = net::build_response(*received, psk, index, done);
  a.link.install(Session{std::move(done.keys),
                         index,
                         done.remote_index,
                         now,
                         done.handshake_hash,
                         {},
                         {},
                         std::move(done.rekey_chain)},
                 /*we_initiated=*/false);
  a.link.set_endpoint(from);  // an authenticated initiation proves where the peer is
  a.keyed_at = now;
  a.last_sent = now;
  send_datagram(response, from);
  note_alive(a.peer, std::nullopt, now);
}

bool ProtocolCore::needs_cookie(ByteSpan packet, const asio::ip::udp::endpoint& from,
                                TimePoint now) {
  if (!initiation_load_.take(kLoadLimit, now)) under_load_until_ = now + wire::kUnderLoadFor;
  if (now >= under_load_until_) return false;
  return !net::initiation_passes_mac2(packet, cookie_for(from, now));
}

bool ProtocolCore::from_peer_address(const asio::ip::udp::endpoint& from) const {
  const auto source = address_bytes(from.address());  // IPv4 and IPv4-mapped alike
  for (const Peer& peer : peers_) {
    for (const auto& endpoint : peer.endpoints) {
      if (address_bytes(endpoint.address()) == source) return true;
    }
  }
  for (const auto& [name, a] : associations_) {
    if (address_bytes(a.link.endpoint().address()) == source) return true;
  }
  return false;
}

crypto::Cookie ProtocolCore::cookie_for(const asio::ip::udp::endpoint& from, TimePoint now) {
  if (!cookie_secret_born_ || now - *cookie_secret_born_ >= wire::kCookieSecretLifetime) {
    randombytes_buf(cookie_secret_.data(), cookie_secret_.size());
    cookie_secret_born_ = now;
  }
  std::array<std::uint8_t, 18> source{};
  const auto address = address_bytes(from.address());
  std::copy(address.begin(), address.end(), source.begin());
  source[16] = static_cast<std::uint8_t>(from.port() >> 8);
  source[17] = static_cast<std::uint8_t>(from.port() & 0xff);
  return crypto::compute_cookie(cookie_secret_, source);
}

void ProtocolCore::handle_cookie_reply(ByteSpan packet, TimePoint now) {
  const auto receiver = net::peek_cookie_reply_receiver_index(packet);
  if (!receiver) {
    ++counters_.malformed;
    return;
  }
  const auto found = index_to_peer_.find(*receiver);
  auto assoc =
      found == index_to_peer_.end() ? associations_.end() : associations_.find(found->second);
  if (assoc == associations_.end() || !assoc->second.pending ||
      assoc->second.pending->sender_index != *receiver) {
    ++counters_.unknown_index;  // e.g. replies to initiations a flood sent in our name
    return;
  }
  Association& a = assoc->second;
  const Peer* peer = find_peer(a.peer);
  const auto cookie =
      peer ? net::read_cookie_reply(packet, *a.pending, *peer->cookie_key) : std::nullopt;
  if (!cookie) {
    ++counters_.mac_failures;
    return;
  }
  ++counters_.cookies_received;
  cookies_[a.peer] = {*cookie, now};
  // The peer is under load and dropped our initiation: send it again at once, with mac2, to
  // the same address. Only once per initiation without a cookie, so forged-but-valid replies
  // from someone on the path cannot make this console initiate in a loop.
  if (!a.pending->had_mac2) send_initiation(a, now);
}

void ProtocolCore::handle_response(ByteSpan packet, const asio::ip::udp::endpoint& from,
                                   TimePoint now) {
  if (packet.size() != wire::kResponseLen) {
    ++counters_.malformed;
    return;
  }
  if (!net::response_passes_mac(packet, own_mac_key_)) {
    ++counters_.mac_failures;
    return;
  }
  const auto receiver = net::peek_response_receiver_index(packet);
  const auto found = receiver ? index_to_peer_.find(*receiver) : index_to_peer_.end();
  if (found == index_to_peer_.end()) {
    ++counters_.unknown_index;
    return;
  }
  auto assoc = associations_.find(found->second);
  if (assoc == associations_.end() || !assoc->second.pending ||
      assoc->second.pending->sender_index != found->first) {
    ++counters_.unknown_index;
    return;
  }
  Association& a = assoc->second;
  if (a.pending->failed_reads >= wire::kMaxFailedResponseReads) {
    ++counters_.rate_limited;
    return;
  }
  auto done = net::read_response(packet, *a.pending);
  if (!done) {
    ++counters_.handshake_failures;
    ++a.pending->failed_reads;
    if (a.pending_is_rekey && a.call) {
      // Nobody without the call's chain can make a response that reads: the key change is
      // refused (the call keeps its keys, the retry goes on) and shown.
      ++a.call->stats.rekeys_refused;
      publish(*a.call);
    }
    return;
  }
  const std::uint32_t index = a.pending->sender_index;
  a.pending.reset();
  a.link.install(Session{std::move(done->keys),
                         index,
                         done->remote_index,
                         now,
                         done->handshake_hash,
                         {},
                         {},
                         std::move(done->rekey_chain)},
                 /*we_initiated=*/true);
  a.link.set_endpoint(from);
  a.keyed_at = now;
  if (a.probing) {
    a.probing = false;
    // The line is up; its round trip is the network's, measured by a Ping (the handshake's
    // own would add the other console's key agreement, and its load).
    note_alive(a.peer, std::nullopt, now);
    send_control(
        a,
        a.control.make_unreliable(wire::ControlKind::kPing, 0, net::encode_ping({micros_of(now)})),
        now);
  }
  on_link_keyed(a, now);
}

}  // namespace hotline::call
