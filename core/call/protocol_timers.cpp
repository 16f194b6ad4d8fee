// Every deadline of the protocol core, and the work done when one comes: media pumping,
// control retransmission, keepalives, liveness (interrupted / connection lost), ring timeout,
// re-keying, key expiry, presence probes and snapshots. Send and receive paths only record
// events; what is due is decided here. next_deadline() mirrors on_deadline() condition by
// condition, so the owner can sleep until the earliest one: an idle console with no probe due
// wakes for nothing (docs/protocol.md §6.5).

#include <algorithm>
#include <array>

#include "core/call/protocol_core.hpp"

namespace hotline::call {

namespace {

using TimePoint = ProtocolCore::TimePoint;

// The comparisons below that use '>' act one tick of the clock after the stated time.
constexpr Clock::duration kJustAfter{1};

TimePoint last_heard(const Link& link, TimePoint created, TimePoint keyed_at) {
  return std::max({link.last_received().value_or(created), keyed_at, created});
}

}  // namespace

bool ProtocolCore::removable(const Association& a, TimePoint now) const {
  if (a.call) return false;
  if (shutting_down_ && a.control.all_acknowledged()) return true;
  return !a.probing && (a.control.all_acknowledged() || a.control.gave_up(now)) &&
         now - last_heard(a.link, a.created, a.keyed_at) > wire::kIdleAssociationKept;
}

void ProtocolCore::on_deadline(TimePoint now) {
  if (finished_) return;
  last_tick_ = now;
  for (auto it = associations_.begin(); it != associations_.end();) {
    Association& a = it->second;
    tick_association(a, now);
    if (removable(a, now)) {
      forget(a);
      it = associations_.erase(it);  // the sessions' Secret members wipe the keys
    } else {
      ++it;
    }
  }
  tick_presence(now);
  if (now >= next_snapshot_) {
    refresh_snapshots(now);
    next_snapshot_ = now + kSnapshotPeriod;
  }
  if (shutting_down_ && (associations_.empty() || now >= shutdown_deadline_)) {
    associations_.clear();
    index_to_peer_.clear();
    refresh_snapshots(now);
    finished_ = true;
  }
}

ProtocolCore::TimePoint ProtocolCore::next_deadline() const {
  if (finished_) return kNever;
  TimePoint due = presence_deadline();
  bool calls = false;
  bool voice = false;  // a voice tick is due within kVoiceTick anyway
  for (const auto& [name, a] : associations_) {
    due = std::min(due, association_deadline(a));
    calls = calls || a.call.has_value();
    voice = voice || (a.call && (a.call->media || a.call->tone));
  }
  // Snapshots are refreshed while calls run, and once after the counters changed; while voice
  // flows, by the next voice tick rather than a wake-up of their own.
  if (!voice && (calls || counters_ != published_counters_)) {
    due = std::min(due, next_snapshot_);
  }
  if (shutting_down_) {
    due = std::min(due, associations_.empty() ? TimePoint::min() : shutdown_deadline_);
  }
  return due;
}

ProtocolCore::TimePoint ProtocolCore::association_deadline(const Association& a) const {
  TimePoint due = kNever;
  const auto consider = [&due](TimePoint t) { due = std::min(due, t); };
  if (auto expiry = a.link.next_expiry()) consider(*expiry);
  if (auto retransmit = a.control.next_due()) consider(*retransmit);
  const Peer* peer = find_peer(a.peer);
  if (!a.call) {
    if (shutting_down_ && a.control.all_acknowledged()) return TimePoint::min();
    if (a.probing) return due;  // tick_presence decides
    const auto idle_from = last_heard(a.link, a.created, a.keyed_at);
    if (a.control.all_acknowledged()) {
      consider(idle_from + wire::kIdleAssociationKept + kJustAfter);
    } else {
      consider(std::max(idle_from + wire::kIdleAssociationKept + kJustAfter,
                        *a.control.give_up_at() + kJustAfter));
    }
    return due;
  }
  const Call& call = *a.call;
  const bool outgoing = call.stats.direction == Direction::kOutgoing;
  if (outgoing && call.call_request_pending) {
    consider(a.first_initiation + config_.timers.unreachable_after);
    if (peer != nullptr) consider(a.last_initiation + wire::kHandshakeRetry);
    return due;
  }
  if (auto give_up = a.control.give_up_at()) consider(*give_up + kJustAfter);
  const auto heard = std::max(
      {a.link.last_received().value_or(call.created), call.created, call.call_request_sent});
  consider(heard + config_.timers.connection_lost_after);
  if (!call.stats.link_interrupted) consider(heard + config_.timers.link_interrupted_after);
  if (call.stats.state != CallState::kConnected) {
    if (outgoing) consider(call.call_request_sent + config_.timers.ring_timeout);
    if (a.link.can_send(last_tick_)) consider(a.last_sent + wire::kKeepaliveInterval);
    if (call.tone) consider(voice_deadline(call));
  } else if (call.media) {
    consider(voice_deadline(call));  // which also sends the receiver reports when due
  }
  if (peer != nullptr) {
    const auto created = a.link.sending_key_created();
    if (a.we_dialled && created && !a.pending) {
      consider(*created + config_.timers.rekey_after);
    } else if (a.pending) {
      consider(a.last_initiation + wire::kHandshakeRetry);
    }
  }
  return due;
}

ProtocolCore::TimePoint ProtocolCore::voice_deadline(const Call& call) const {
  const TimePoint poll = last_tick_ + kVoiceTick;
  const auto clock = call.device ? call.device->period_clock() : std::nullopt;
  if (!clock) return poll;
  if (clock->periods != call.serviced_periods) return last_tick_;  // a period is waiting
  // A period end already past: the device is still moving it, so look again at the next tick.
  return std::max(clock->next_end + kAfterDevicePeriod, poll);
}

void ProtocolCore::note_serviced(Call& call) {
  // Read before the rings are: a period moved meanwhile is then serviced at the next deadline.
  if (auto clock = call.device ? call.device->period_clock() : std::nullopt) {
    call.serviced_periods = clock->periods;
  }
}

void ProtocolCore::tick_association(Association& a, TimePoint now) {
  for (auto index : a.link.expire(now)) index_to_peer_.erase(index);
  for (const auto& m : a.control.due(now)) send_control(a, m, now);
  if (!a.call) return;
  Call& call = *a.call;
  const bool outgoing = call.stats.direction == Direction::kOutgoing;

  if (outgoing && call.call_request_pending) {  // still looking for the peer
    if (now - a.first_initiation >= config_.timers.unreachable_after) {
      end_call(a, EndReason::kUnreachable, now);
    } else if (now - a.last_initiation >= wire::kHandshakeRetry) {
      // Each retry tries the card's next endpoint, so a peer with a dead first address is
      // still reached (a card holds at most 4, and 4 tries fit before giving up).
      if (const Peer* peer = find_peer(a.peer); peer && peer->endpoints.size() > 1) {
        a.endpoint_cursor = (a.endpoint_cursor + 1) % peer->endpoints.size();
        a.link.set_endpoint(peer->endpoints[a.endpoint_cursor]);
      }
      send_initiation(a, now);
    }
    return;
  }
  if (a.control.gave_up(now)) {
    end_call(a, EndReason::kConnectionLost, now);
    return;
  }

  const auto heard = std::max(
      {a.link.last_received().value_or(call.created), call.created, call.call_request_sent});
  if (now - heard >= config_.timers.connection_lost_after) {
    end_call(a, EndReason::kConnectionLost, now);
    return;
  }
  if (now - heard >= config_.timers.link_interrupted_after && !call.stats.link_interrupted) {
    call.stats.link_interrupted = true;
    ++call.stats.interruptions_of_link;
    publish(call);
  }

  if (call.stats.state != CallState::kConnected) {
    if (outgoing && now - call.call_request_sent >= config_.timers.ring_timeout) {
      send_reliable(a, wire::ControlKind::kCancel, {}, now);
      end_call(a, EndReason::kNoAnswer, now);
      return;
    }
    if (now - a.last_sent >= wire::kKeepaliveInterval) {
      send_control(a, a.control.make_unreliable(wire::ControlKind::kKeepalive, call.wire_id, {}),
                   now);
    }
    if (call.tone) {
      note_serviced(call);
      pump_tone(call);
    }
  } else if (call.media) {
    note_serviced(call);
    pump_media(a, now);
    if (now >= call.next_report) {
      send_reports(a, now);
      call.next_report = now + wire::kReceiverReportInterval;
    }
  }

  // The side that placed the call re-keys it; the other side follows (Link::open).
  const auto key_age = a.link.sending_key_age(now);
  if (a.we_dialled && key_age && !a.pending && *key_age >= config_.timers.rekey_after) {
    send_initiation(a, now);
  } else if (a.pending && now - a.last_initiation >= wire::kHandshakeRetry) {
    send_initiation(a, now);
  }
}

void ProtocolCore::pump_media(Association& a, TimePoint now) {
  Call& call = *a.call;
  call.media->pump_capture(now, [&](ByteSpan opus) { send_voice(a, opus, now); });
  call.media->pump_playback(now);
  if (auto problem = call.media->take_device_problem()) {
    call.stats.device_problem = std::move(*problem);
    collect_stats(a, now);
    publish(call);
  }
}

void ProtocolCore::start_tone(Call& call, audio::CallTone tone) {
  if (!config_.voice.tones) return;
  try {
    if (!call.device) call.device = out_.open_device(call.stats);
    if (!call.device) return;
    call.tone.emplace(tone);
  } catch (const std::exception& e) {
    // No tone then; the call itself reports the device when it tries to carry voice.
    call.stats.device_problem = e.what();
    call.device.reset();
  }
}

void ProtocolCore::pump_tone(Call& call) {
  audio::AudioDevice& device = *call.device;
  device.service();
  // Keep the microphone drained while only the tone plays, and with it the ring of what was
  // played (the two must stay in step for the echo canceller).
  auto capture = device.capture();
  capture.discard(capture.available_read());
  if (auto played = device.played()) played->discard(played->available_read());
  auto ring = device.playback();
  const std::size_t lead = MediaSession::playback_lead_for(device);
  std::array<std::int16_t, 480> chunk{};
  while (ring.queued() < lead && ring.available_write() >= chunk.size()) {
    call.tone->fill(chunk);
    ring.write(chunk);
  }
}

void ProtocolCore::send_voice(Association& a, ByteSpan opus, TimePoint now) {
  const std::size_t n = a.link.seal(wire::MessageType::kVoice, opus, send_buffer_, now);
  if (n == 0) return;
  Call& call = *a.call;
  ++call.voice_packets_sent;
  call.voice_bytes_sent += n;
  call.opus_bytes_sent += opus.size();
  a.last_sent = now;
  send_datagram(ByteSpan(send_buffer_.data(), n), a.link.endpoint());
}

void ProtocolCore::send_reports(Association& a, TimePoint now) {
  Call& call = *a.call;
  const MediaCounters media = call.media->counters();
  const std::uint64_t lost = media.lost - call.reported_lost;
  const std::uint64_t received = media.voice_packets_received - call.reported_received;
  call.reported_lost = media.lost;
  call.reported_received = media.voice_packets_received;
  net::ReceiverReportBody report{};
  report.cumulative_lost = static_cast<std::uint32_t>(media.lost);
  report.packets_received = static_cast<std::uint32_t>(media.voice_packets_received);
  report.highest_counter = media.highest_voice_counter;
  report.jitter_us = static_cast<std::uint32_t>(media.interarrival_jitter_ms * 1000.0);
  report.fraction_lost =
      lost + received == 0
          ? 0
          : static_cast<std::uint8_t>(std::min<std::uint64_t>(255, lost * 256 / (lost + received)));
  send_control(a,
               a.control.make_unreliable(wire::ControlKind::kReceiverReport, call.wire_id,
                                         net::encode_receiver_report(report)),
               now);
  send_control(a,
               a.control.make_unreliable(wire::ControlKind::kPing, call.wire_id,
                                         net::encode_ping({micros_of(now)})),
               now);
}

void ProtocolCore::collect_stats(Association& a, TimePoint now) {
  Call& call = *a.call;
  if (call.media) call.stats.media = call.media->counters();
  call.stats.media.voice_packets_sent = call.voice_packets_sent;
  call.stats.media.voice_bytes_sent = call.voice_bytes_sent;
  call.stats.media.opus_bytes_sent = call.opus_bytes_sent;
  call.stats.link = a.link.counters();
  call.stats.control_retransmits = a.control.retransmissions();
  if (call.stats.state == CallState::kConnected) {
    call.stats.duration_s = std::chrono::duration<double>(now - call.connected_at).count();
  }
}

void ProtocolCore::refresh_snapshots(TimePoint now) {
  for (auto& [name, a] : associations_) {
    if (!a.call) continue;
    collect_stats(a, now);
    out_.call_snapshot(a.call->stats);
  }
  published_counters_ = counters_;
  out_.counters_snapshot(counters_);
}

void ProtocolCore::begin_shutdown(TimePoint now) {
  shutting_down_ = true;
  shutdown_deadline_ = now + kShutdownDrain;
  for (auto& [name, a] : associations_) {
    if (a.call) hangup(a.call->stats.id, now);
  }
}

}  // namespace hotline::call
