// The call state machine: call request -> ringing -> answer / decline / busy / no answer ->
// connected -> hang up, carried as reliable control messages inside the sealed link.

#include <sodium.h>

#include "core/call/protocol_core.hpp"
#include "core/crypto/fingerprint.hpp"
#include "core/util/error.hpp"

namespace hotline::call {

namespace {

using Kind = wire::ControlKind;

std::size_t opus_frame_bytes(const CallOptions& o) {
  return wire::opus_frame_bytes(o.frame_ms, o.bitrate);
}

std::uint64_t random_call_id() {
  std::uint64_t v = 0;
  while (v == 0) randombytes_buf(&v, sizeof v);  // 0 means "no call request sent yet"
  return v;
}

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

void ProtocolCore::place_call(CallId id, const std::string& peer_name, const CallOptions& options,
                              TimePoint now) {
  Call call;
  call.stats.id = id;
  call.stats.peer = peer_name;
  call.stats.direction = Direction::kOutgoing;
  call.stats.state = CallState::kDialling;
  call.options = options;
  call.created = now;

  const Peer* peer = find_peer(peer_name);
  const bool busy = std::any_of(associations_.begin(), associations_.end(),
                                [](const auto& kv) { return kv.second.call.has_value(); });
  const bool bad_options = !wire::valid_call_options(options.frame_ms, options.bitrate);
  if (peer == nullptr || busy || bad_options || peer->endpoints.empty() || !peer->entry.enabled ||
      shutting_down_) {
    call.stats.state = CallState::kEnded;
    call.stats.end_reason =
        (peer != nullptr && !peer->entry.enabled) ? EndReason::kRefused : EndReason::kFailed;
    publish(call);
    return;
  }
  call.stats.peer_fingerprint = peer->fingerprint;
  call.stats.peer_verified = peer->entry.verified;

  if (auto stale = associations_.find(peer_name); stale != associations_.end()) {
    // Keys left from an earlier call are not reused: every call gets fresh ephemeral keys.
    forget(stale->second);
    associations_.erase(stale);
  }
  auto [it, inserted] = associations_.try_emplace(peer_name, peer->endpoints.front());
  Association& a = it->second;
  if (inserted) {
    a.peer = peer_name;
    a.created = now;
  }
  a.we_dialled = true;
  call.call_request_pending = true;
  a.first_initiation = now;
  a.call = std::move(call);
  send_initiation(a, now);
  publish(*a.call);  // last: a listener that fails cannot leave the call half set up
}

void ProtocolCore::on_link_keyed(Association& a, TimePoint now) {
  if (!a.call || !a.call->call_request_pending) return;
  Call& call = *a.call;
  call.call_request_pending = false;
  call.wire_id = random_call_id();
  if (auto hash = a.link.sending_handshake_hash()) call.sas_handshake = *hash;
  // The words are known once the callee's nonce arrives (in Ringing); ours stays hidden
  // behind its commitment until then.
  call.own_sas_nonce = crypto::random_sas_nonce();
  call.call_request_sent = now;
  net::CallRequestBody body{static_cast<std::uint8_t>(call.options.frame_ms),
                            static_cast<std::uint32_t>(call.options.bitrate), 0,
                            crypto::sas_commitment(call.own_sas_nonce)};
  send_reliable(a, Kind::kCallRequest, net::encode_call_request(body), now);
  publish(call);
}

void ProtocolCore::resume_call_request(Association& a, TimePoint now) {
  if (a.call && a.call->call_request_pending && !a.pending && a.link.can_send(now)) {
    on_link_keyed(a, now);
  }
}

void ProtocolCore::answer(CallId id, TimePoint now) {
  Call* call = nullptr;
  Association* a = find_call(id, &call);
  if (a == nullptr || call->stats.direction != Direction::kIncoming ||
      call->stats.state != CallState::kRinging) {
    return;
  }
  send_reliable(*a, Kind::kAnswer, {}, now);
  start_media(*a, now);
}

void ProtocolCore::decline(CallId id, TimePoint now) {
  Call* call = nullptr;
  Association* a = find_call(id, &call);
  if (a == nullptr || call->stats.direction != Direction::kIncoming ||
      call->stats.state != CallState::kRinging) {
    return;
  }
  send_reliable(*a, Kind::kDecline, {}, now);
  end_call(*a, EndReason::kDeclined, now);
}

void ProtocolCore::hangup(CallId id, TimePoint now) {
  Call* call = nullptr;
  Association* a = find_call(id, &call);
  if (a == nullptr) return;
  if (call->stats.state == CallState::kConnected) {
    send_reliable(*a, Kind::kHangup, net::encode_hangup({net::HangupReason::kNormal}), now);
    end_call(*a, EndReason::kLocalHangup, now);
  } else if (call->stats.direction == Direction::kIncoming) {
    send_reliable(*a, Kind::kDecline, {}, now);
    end_call(*a, EndReason::kDeclined, now);
  } else {
    if (call->wire_id != 0) send_reliable(*a, Kind::kCancel, {}, now);
    end_call(*a, EndReason::kCancelled, now);
  }
}

void ProtocolCore::confirm_sas(CallId id, TimePoint now) {
  Call* call = nullptr;
  Association* a = find_call(id, &call);
  if (a == nullptr || call->stats.state != CallState::kConnected || call->stats.sas.empty() ||
      call->stats.sas_confirmed_local) {
    return;
  }
  call->stats.sas_confirmed_local = true;
  send_reliable(*a, Kind::kSasConfirmed, {}, now);
  publish(*call);
}

void ProtocolCore::report_sas_mismatch(CallId id, TimePoint now) {
  Call* call = nullptr;
  Association* a = find_call(id, &call);
  if (a == nullptr || call->stats.state != CallState::kConnected || call->stats.sas.empty()) {
    return;
  }
  end_as_interception(*a, now);
}

void ProtocolCore::end_as_interception(Association& a, TimePoint now) {
  send_reliable(a, Kind::kHangup, net::encode_hangup({net::HangupReason::kInterceptionSuspected}),
                now);
  end_call(a, EndReason::kInterceptionSuspected, now);
}

void ProtocolCore::show_sas(Call& call, const wire::SasNonce& caller_nonce,
                            const wire::SasNonce& callee_nonce) {
  const crypto::SasCode code = crypto::sas_code(call.sas_handshake, caller_nonce, callee_nonce);
  call.stats.sas = crypto::sas_string(code);
  call.stats.sas_digits = crypto::sas_digits(code);
  publish(call);
}

void ProtocolCore::report_refused(const Peer& peer, TimePoint now) {
  auto [it, first] = refused_at_.try_emplace(peer.entry.name, now);
  const TimePoint previous = it->second;
  it->second = now;
  // One attempt retries its initiation for up to the unreachable time; a pause longer than
  // that (plus a retry) is the next attempt.
  if (!first && now - previous < config_.timers.unreachable_after + wire::kHandshakeRetry) return;
  Call call;
  call.stats.id = CallId{next_call_id_++};
  call.stats.peer = peer.entry.name;
  call.stats.peer_fingerprint = peer.fingerprint;
  call.stats.peer_verified = peer.entry.verified;
  call.stats.direction = Direction::kIncoming;
  call.stats.state = CallState::kEnded;
  call.stats.end_reason = EndReason::kRefused;
  call.created = now;
  publish(call);
}

void ProtocolCore::handle_transport(ByteSpan packet, const asio::ip::udp::endpoint& from,
                                    TimePoint now) {
  const auto header = net::parse_transport_header(packet);
  if (!header) {
    ++counters_.malformed;
    return;
  }
  const auto found = index_to_peer_.find(header->receiver_index);
  const auto assoc =
      found == index_to_peer_.end() ? associations_.end() : associations_.find(found->second);
  if (assoc == associations_.end()) {
    ++counters_.unknown_index;
    return;
  }
  Association& a = assoc->second;
  const auto replays_before = a.link.counters().replays_dropped;
  const auto opened = a.link.open(*header, packet, plain_buffer_, now);
  if (!opened) {
    ++(a.link.counters().replays_dropped != replays_before ? counters_.replays
                                                           : counters_.auth_failures);
    return;
  }
  a.link.note_source(from);
  if (a.call && a.call->stats.link_interrupted) {
    a.call->stats.link_interrupted = false;
    publish(*a.call);
  }
  const ByteSpan plain(plain_buffer_.data(), opened->length);
  if (opened->type == wire::MessageType::kVoice) {
    if (a.call && a.call->media) a.call->media->on_voice_packet(opened->counter, plain, now);
    return;
  }
  const auto message = net::decode_control(plain);
  if (!message) {
    ++counters_.malformed;
    return;
  }
  handle_control(a, *message, opened->handshake_hash, now);
  resume_call_request(a, now);
}

void ProtocolCore::handle_control(Association& a, const net::ControlMessage& m,
                                  const wire::HandshakeHash& handshake_hash, TimePoint now) {
  if (!net::has_valid_body(m)) {  // refused before it is acknowledged: the sender sees no ack
    ++counters_.malformed;
    return;
  }
  if (m.kind == Kind::kCallRequest && !a.call) {
    // The Ack, and a Busy, are packets of the call asked for: as long as its voice packets,
    // so an observer cannot tell a refused call, or the first reply, by size.
    if (const auto request = net::decode_call_request(m.body)) {
      a.control_padding =
          std::max(wire::kMinControlPlaintext,
                   wire::opus_frame_bytes(request->frame_ms, static_cast<int>(request->bitrate)));
    }
  }
  if (wire::is_reliable(m.kind)) {
    send_control(a, a.control.make_unreliable(Kind::kAck, m.call_id, net::encode_ack({m.msg_id})),
                 now);
    if (!a.control.first_arrival(m.call_id, m.msg_id))
      return;  // a retransmission: acted on already
  }
  if (m.kind == Kind::kCallRequest) {
    handle_call_request(a, m, handshake_hash, now);
    return;
  }
  if (m.kind == Kind::kAck) {
    if (auto acked = net::decode_ack(m.body)) a.control.acknowledge(acked->acked_msg_id);
    return;
  }
  if (m.kind == Kind::kPing) {
    if (auto ping = net::decode_ping(m.body)) {
      send_control(
          a,
          a.control.make_unreliable(Kind::kPong, m.call_id, net::encode_pong({ping->timestamp_us})),
          now);
    }
    return;
  }
  if (m.kind == Kind::kPong && !a.call) {  // a line-status probe's (§6.9)
    if (auto pong = net::decode_pong(m.body); pong && micros_of(now) >= pong->echoed_timestamp_us) {
      note_alive(a.peer, static_cast<double>(micros_of(now) - pong->echoed_timestamp_us) / 1000.0,
                 now);
    }
    return;
  }
  if (!a.call || a.call->wire_id != m.call_id) return;  // about a call that is over
  Call& call = *a.call;
  const bool outgoing = call.stats.direction == Direction::kOutgoing;
  switch (m.kind) {
    case Kind::kRinging:
      // Acted on in any state: a Ringing overtaken by the Answer still carries the callee's
      // SAS nonce, and only now may ours be revealed.
      if (outgoing && call.stats.sas.empty()) {
        const auto callee_nonce = net::decode_sas_nonce(m.body);  // has_valid_body checked it
        send_reliable(a, Kind::kSasReveal, net::encode_sas_nonce(call.own_sas_nonce), now);
        if (call.stats.state == CallState::kDialling) {
          call.stats.state = CallState::kRinging;
          start_tone(call, audio::CallTone::kRingback);
        }
        show_sas(call, call.own_sas_nonce, *callee_nonce);
      }
      break;
    case Kind::kSasReveal:
      if (!outgoing && call.stats.sas.empty()) {
        const auto caller_nonce = net::decode_sas_nonce(m.body);
        if (crypto::sas_commitment(*caller_nonce) != call.peer_sas_commitment) {
          // The caller (or someone in its place) chose its nonce after seeing ours.
          ++counters_.sas_commitments_broken;
          end_as_interception(a, now);
          return;
        }
        show_sas(call, *caller_nonce, call.own_sas_nonce);
      }
      break;
    case Kind::kAnswer:
      if (outgoing && call.stats.state != CallState::kConnected) start_media(a, now);
      break;
    case Kind::kDecline:
      if (outgoing) end_call(a, EndReason::kDeclined, now);
      break;
    case Kind::kBusy:
      if (outgoing) end_call(a, EndReason::kBusy, now);
      break;
    case Kind::kCancel:
      // A Cancel that crossed our Answer still ends the call: the caller has already gone.
      if (!outgoing) {
        end_call(a,
                 call.stats.state == CallState::kConnected ? EndReason::kRemoteHangup
                                                           : EndReason::kCancelled,
                 now);
      }
      break;
    case Kind::kHangup: {
      const auto hangup = net::decode_hangup(m.body);
      const bool interception =
          hangup && hangup->reason == net::HangupReason::kInterceptionSuspected;
      end_call(a, interception ? EndReason::kInterceptionSuspected : EndReason::kRemoteHangup, now);
      break;
    }
    case Kind::kPong:
      if (auto pong = net::decode_pong(m.body)) {
        const std::uint64_t sent = pong->echoed_timestamp_us;
        if (micros_of(now) >= sent) {
          call.stats.rtt_ms = static_cast<double>(micros_of(now) - sent) / 1000.0;
          ++call.stats.rtt_samples;
          call.stats.mean_rtt_ms += (call.stats.rtt_ms - call.stats.mean_rtt_ms) /
                                    static_cast<double>(call.stats.rtt_samples);
        }
      }
      break;
    case Kind::kSasConfirmed:
      if (call.stats.state == CallState::kConnected && !call.stats.sas_confirmed_remote) {
        call.stats.sas_confirmed_remote = true;
        publish(call);
      }
      break;
    case Kind::kReceiverReport:
      if (auto report = net::decode_receiver_report(m.body); report && call.media) {
        call.media->set_expected_loss_percent(report->fraction_lost * 100 / 256);
      }
      break;
    default:
      break;  // keepalives only refresh the link's liveness clock
  }
}

void ProtocolCore::handle_call_request(Association& a, const net::ControlMessage& m,
                                       const wire::HandshakeHash& handshake_hash, TimePoint now) {
  const auto body = net::decode_call_request(m.body);
  if (!body) {
    ++counters_.malformed;
    return;
  }
  if (!incoming_calls_per_peer_.allow(a.peer, now)) {
    // Every new call is a fresh SAS try for a man in the middle (§2.3): a peer that keeps
    // calling again is refused before it can replace the call that is ringing.
    ++counters_.calls_rate_limited;
    send_control(a, a.control.send_reliable(Kind::kBusy, m.call_id, {}, now), now);
    return;
  }
  if (a.call && a.call->wire_id != m.call_id) {
    const bool glare = a.call->stats.direction == Direction::kOutgoing &&
                       a.call->stats.state != CallState::kConnected;
    if (glare && a.call->wire_id > m.call_id) {
      // Both sides dialled each other at once: the larger call id wins on both sides.
      send_control(a, a.control.send_reliable(Kind::kBusy, m.call_id, {}, now), now);
      return;
    }
    // Either we lost the glare tie-break, or the peer calls again while we still hold its
    // previous call (it restarted or lost it).
    end_call(a, glare ? EndReason::kCancelled : EndReason::kConnectionLost, now);
  }
  const bool busy_elsewhere =
      std::any_of(associations_.begin(), associations_.end(),
                  [&a](const auto& kv) { return &kv.second != &a && kv.second.call.has_value(); });
  if (busy_elsewhere || shutting_down_) {
    send_control(a, a.control.send_reliable(Kind::kBusy, m.call_id, {}, now), now);
    return;
  }
  const Peer* peer = find_peer(a.peer);
  Call call;
  call.stats.id = CallId{next_call_id_++};
  call.stats.peer = a.peer;
  call.stats.peer_fingerprint = peer ? peer->fingerprint : std::string();
  call.stats.peer_verified = peer && peer->entry.verified;
  call.stats.direction = Direction::kIncoming;
  call.stats.state = CallState::kRinging;
  call.sas_handshake = handshake_hash;
  call.own_sas_nonce = crypto::random_sas_nonce();
  call.peer_sas_commitment = body->sas_commitment;
  call.wire_id = m.call_id;
  call.options.frame_ms = body->frame_ms;
  call.options.bitrate = static_cast<int>(body->bitrate);
  call.created = now;
  a.we_dialled = false;
  a.probing = false;  // a call supersedes a probe in flight
  a.call = std::move(call);
  send_reliable(a, Kind::kRinging, net::encode_sas_nonce(a.call->own_sas_nonce), now);
  start_tone(*a.call, audio::CallTone::kRing);
  publish(*a.call);
}

void ProtocolCore::send_control(Association& a, const net::ControlMessage& m, TimePoint now) {
  // In a call, control packets are exactly as long as voice packets (RFC 6562) — also after
  // it ended (late acks, retransmitted hang-ups), so its end shows no change of size.
  if (a.call) {
    a.control_padding = std::max(wire::kMinControlPlaintext, opus_frame_bytes(a.call->options));
  }
  const Bytes plain = net::encode_control(m, a.control_padding);
  const std::size_t n = a.link.seal(wire::MessageType::kControl, plain, send_buffer_, now);
  if (n == 0) return;
  a.last_sent = now;
  send_datagram(ByteSpan(send_buffer_.data(), n), a.link.endpoint());
}

void ProtocolCore::send_reliable(Association& a, wire::ControlKind kind, Bytes body,
                                 TimePoint now) {
  const std::uint64_t call_id = a.call ? a.call->wire_id : 0;
  send_control(a, a.control.send_reliable(kind, call_id, std::move(body), now), now);
}

void ProtocolCore::start_media(Association& a, TimePoint now) {
  Call& call = *a.call;
  call.tone.reset();
  try {
    if (!call.device) call.device = out_.open_device(call.stats);
    if (!call.device) throw Error("no audio device");
    call.media = std::make_unique<MediaSession>(call.options, config_.voice, call.device, now);
    call.media->set_muted(call.stats.muted);
    call.media->set_output_gain(output_volume_);
  } catch (const std::exception& e) {
    call.stats.device_problem = e.what();
    send_reliable(a, Kind::kHangup, net::encode_hangup({net::HangupReason::kError}), now);
    end_call(a, EndReason::kFailed, now);
    return;
  }
  call.stats.state = CallState::kConnected;
  call.connected_at = now;
  call.stats.setup_ms = ms_between(call.created, now);
  call.next_report = now + wire::kReceiverReportInterval;
  publish(call);
}

void ProtocolCore::end_call(Association& a, EndReason reason, TimePoint now) {
  if (!a.call) return;
  Call& call = *a.call;
  if (call.stats.state == CallState::kConnected) {
    call.stats.duration_s = std::chrono::duration<double>(now - call.connected_at).count();
  }
  if (call.media) call.media->end(reason == EndReason::kRemoteHangup);
  collect_stats(a, now);
  call.media.reset();
  // Closed (stopped) before the listener hears of the end, so what it played is complete.
  if (call.device) out_.close_device(std::move(call.device));
  call.device.reset();
  call.tone.reset();
  call.stats.state = CallState::kEnded;
  call.stats.end_reason = reason;
  Call ended = std::move(call);
  a.call.reset();
  publish(ended);
}

}  // namespace hotline::call
