// The protocol core's directory, datagram dispatch and publication of calls.

#include "core/call/protocol_core.hpp"

#include <sodium.h>

#include "core/crypto/fingerprint.hpp"
#include "core/util/error.hpp"
#include "core/util/time_format.hpp"

namespace hotline::call {

namespace {

const crypto::Identity& require_identity(const EngineConfig& config) {
  if (!config.identity) throw Error("engine started without an identity");
  return *config.identity;
}

}  // namespace

ProtocolCore::ProtocolCore(EngineConfig config, CoreOutput& output)
    : config_(std::move(config)),
      out_(output),
      own_mac_key_(require_identity(config_).dh_public()),
      own_dh_(config_.identity->dh_public()),
      timestamps_(std::move(config_.initiation_timestamps)),
      per_source_({wire::kInitiationsPerSecondPerSource, wire::kInitiationBurstPerSource}),
      per_peer_({wire::kInitiationsPerSecondPerPeer, wire::kInitiationBurstPerPeer}),
      incoming_calls_per_peer_(
          {wire::kIncomingCallsPerSecondPerPeer, wire::kIncomingCallBurstPerPeer}),
      initiation_load_(wire::kInitiationBurstBeforeLoad, TimePoint{}),
      handshake_budget_(wire::kHandshakeBurst, TimePoint{}),
      own_cookie_key_(own_dh_) {
  set_peers(std::move(config_.peers));
  // A stored timestamp ahead of the bound (kept by an earlier version, or this clock was set
  // back since) would refuse the peer until its clock caught up, perhaps for years: it is
  // brought back to the bound, which still refuses every initiation recorded before it.
  const crypto::Tai64n limit = latest_acceptable_timestamp();
  for (auto& [peer, timestamp] : timestamps_) {
    if (crypto::is_newer(timestamp, limit)) timestamp = limit;
  }
}

void ProtocolCore::set_peers(std::vector<PeerEntry> peers) {
  peers_.clear();
  counters_.unusable_endpoints = 0;  // a gauge of the directory now loaded
  for (auto& entry : peers) {
    const auto dh = crypto::dh_public_from_identity(entry.public_key);
    if (!dh) continue;  // the directory validated it; a bad key can never be reached
    Peer p;
    p.dh = *dh;
    p.cookie_key.emplace(*dh);
    p.fingerprint = crypto::fingerprint(entry.public_key);
    // Converted here, once: an endpoint the host cannot use (an IPv6 scope it does not have)
    // is skipped and counted, so no call or probe ever throws on it.
    for (const auto& endpoint : entry.endpoints) {
      if (auto udp = net::try_to_udp(endpoint)) {
        p.endpoints.push_back(*udp);
      } else {
        ++counters_.unusable_endpoints;
      }
    }
    p.entry = std::move(entry);
    peers_.push_back(std::move(p));
  }
}

const ProtocolCore::Peer* ProtocolCore::find_peer(const std::string& name) const {
  // A removed peer may share its name with the peer that replaced its key: it is never
  // looked up by name, only recognised by its key (and refused).
  for (const auto& p : peers_) {
    if (p.entry.name == name && !p.entry.removed) return &p;
  }
  return nullptr;
}

std::uint32_t ProtocolCore::new_local_index(const std::string& peer) {
  std::uint32_t index = 0;
  do {
    index = randombytes_random();
  } while (index == 0 || index_to_peer_.contains(index));
  index_to_peer_[index] = peer;
  return index;
}

void ProtocolCore::forget(Association& a) {
  for (auto index : a.link.local_indices()) index_to_peer_.erase(index);
  if (a.pending) index_to_peer_.erase(a.pending->sender_index);
}

ProtocolCore::Association* ProtocolCore::find_call(CallId id, Call** call) {
  for (auto& [name, a] : associations_) {
    if (a.call && a.call->stats.id == id) {
      *call = &*a.call;
      return &a;
    }
  }
  return nullptr;
}

std::int64_t ProtocolCore::unix_ms_now() const {
  return config_.wall_clock.unix_ms ? config_.wall_clock.unix_ms() : hotline::unix_ms_now();
}

void ProtocolCore::on_datagram(ByteSpan packet, const asio::ip::udp::endpoint& from,
                               TimePoint now) {
  ++counters_.datagrams_received;
  if (packet.empty() || packet.size() > wire::kMaxDatagram) {
    ++counters_.malformed;
    return;
  }
  switch (static_cast<wire::MessageType>(packet[0])) {
    case wire::MessageType::kInitiation:
      handle_initiation(packet, from, now);
      break;
    case wire::MessageType::kResponse:
      handle_response(packet, from, now);
      break;
    case wire::MessageType::kCookieReply:
      handle_cookie_reply(packet, now);
      break;
    case wire::MessageType::kVoice:
    case wire::MessageType::kControl:
      handle_transport(packet, from, now);
      break;
    default:
      ++counters_.malformed;
      break;
  }
}

void ProtocolCore::send_datagram(ByteSpan packet, const asio::ip::udp::endpoint& to) {
  if (!out_.send_datagram(packet, to)) ++counters_.send_errors;
}

void ProtocolCore::publish(const Call& call) {
  out_.call_changed(call.stats);
}

void ProtocolCore::set_muted(CallId id, bool muted) {
  Call* call = nullptr;
  if (!find_call(id, &call)) return;
  call->stats.muted = muted;  // also applies to media that starts later
  if (call->media) call->media->set_muted(muted);
  publish(*call);
}

void ProtocolCore::set_output_volume(double volume) {
  output_volume_ = volume;
  for (auto& [name, a] : associations_) {
    if (a.call && a.call->media) a.call->media->set_output_gain(volume);
  }
}

}  // namespace hotline::call
