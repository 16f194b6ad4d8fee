// The engine's periodic tick (every kTickPeriod): media pumping, control retransmission,
// keepalives, liveness (interrupted / connection lost), ring timeout, re-keying and key
// expiry. Send and receive paths only record events; every deadline is decided here.

#include <array>

#include "core/call/engine_core.hpp"

namespace hotline::call {

namespace {

// Voice is moved between the device rings and the network on this tick, so it bounds how
// late a frame can be sent or decoded: part of the mouth-to-ear delay (docs/performance.md).
constexpr auto kTickPeriod = std::chrono::milliseconds(2);
constexpr auto kSnapshotPeriod = std::chrono::milliseconds(100);
constexpr auto kIdleAssociationKept = std::chrono::seconds(3);
constexpr auto kShutdownDrain = std::chrono::seconds(1);

std::uint64_t micros_since_epoch(Clock::time_point t) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
}

}  // namespace

void Engine::Core::schedule_tick() {
  tick_timer_.expires_after(kTickPeriod);
  tick_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec) return;
    tick(Clock::now());
  });
}

void Engine::Core::tick(Clock::time_point now) {
  for (auto it = associations_.begin(); it != associations_.end();) {
    Association& a = it->second;
    tick_association(a, now);
    const auto last_heard = a.link.last_received().value_or(a.created);
    const bool idle = !a.call && !a.probing &&
                      (a.control.all_acknowledged() || a.control.gave_up(now)) &&
                      now - std::max({last_heard, a.keyed_at, a.created}) > kIdleAssociationKept;
    if (idle || (!a.call && shutting_down_ && a.control.all_acknowledged())) {
      forget(a);
      it = associations_.erase(it);  // the sessions' Secret members wipe the keys
    } else {
      ++it;
    }
  }

  if (now >= next_snapshot_) {
    refresh_snapshots();
    tick_presence(now);
    next_snapshot_ = now + kSnapshotPeriod;
  }

  if (shutting_down_ && (associations_.empty() || now >= shutdown_deadline_)) {
    asio::error_code ignored;
    socket_.close(ignored);
    associations_.clear();
    index_to_peer_.clear();
    refresh_snapshots();
    io_.stop();
    return;
  }
  schedule_tick();
}

void Engine::Core::tick_association(Association& a, Clock::time_point now) {
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
      if (const Peer* peer = find_peer(a.peer); peer && peer->entry.endpoints.size() > 1) {
        a.endpoint_cursor = (a.endpoint_cursor + 1) % peer->entry.endpoints.size();
        a.link.set_endpoint(net::to_udp(peer->entry.endpoints[a.endpoint_cursor]));
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
    if (call.tone) pump_tone(call);
  } else if (call.media) {
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

void Engine::Core::pump_media(Association& a, Clock::time_point now) {
  Call& call = *a.call;
  call.media->pump_capture(now, [&](ByteSpan opus) { send_voice(a, opus, now); });
  call.media->pump_playback(now);
  if (auto problem = call.media->take_device_problem()) {
    call.stats.device_problem = std::move(*problem);
    collect_stats(a);
    publish(call);
  }
}

void Engine::Core::start_tone(Call& call, audio::CallTone tone) {
  if (!config_.voice.tones || !config_.make_device) return;
  try {
    if (!call.device) call.device = config_.make_device(call.stats);
    if (!call.device) return;
    call.device->start();
    call.tone.emplace(tone);
  } catch (const std::exception& e) {
    // No tone then; the call itself reports the device when it tries to carry voice.
    call.stats.device_problem = e.what();
    call.device.reset();
  }
}

void Engine::Core::pump_tone(Call& call) {
  audio::AudioDevice& device = *call.device;
  device.service();
  // Keep the microphone drained while only the tone plays, and with it the ring of what was
  // played (the two must stay in step for the echo canceller).
  device.capture().discard(device.capture().available_read());
  if (auto* played = device.played()) played->discard(played->available_read());
  auto& ring = device.playback();
  std::array<std::int16_t, MediaSession::kPlaybackLeadSamples> chunk{};
  while (ring.available_read() < MediaSession::kPlaybackLeadSamples &&
         ring.available_write() >= chunk.size()) {
    call.tone->fill(chunk);
    ring.write(chunk);
  }
}

void Engine::Core::send_voice(Association& a, ByteSpan opus, Clock::time_point now) {
  const std::size_t n = a.link.seal(wire::MessageType::kVoice, opus, send_buffer_, now);
  if (n == 0) return;
  Call& call = *a.call;
  ++call.voice_packets_sent;
  call.voice_bytes_sent += n;
  call.opus_bytes_sent += opus.size();
  a.last_sent = now;
  send_datagram(ByteSpan(send_buffer_.data(), n), a.link.endpoint());
}

void Engine::Core::send_reports(Association& a, Clock::time_point now) {
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
                                         net::encode_ping({micros_since_epoch(now)})),
               now);
}

void Engine::Core::collect_stats(Association& a) {
  Call& call = *a.call;
  if (call.media) call.stats.media = call.media->counters();
  call.stats.media.voice_packets_sent = call.voice_packets_sent;
  call.stats.media.voice_bytes_sent = call.voice_bytes_sent;
  call.stats.media.opus_bytes_sent = call.opus_bytes_sent;
  call.stats.link = a.link.counters();
  call.stats.control_retransmits = a.control.retransmissions();
  if (call.stats.state == CallState::kConnected) {
    call.stats.duration_s = std::chrono::duration<double>(Clock::now() - call.connected_at).count();
  }
}

void Engine::Core::refresh_snapshots() {
  std::lock_guard lock(snapshot_mutex_);
  for (auto& [name, a] : associations_) {
    if (!a.call) continue;
    collect_stats(a);
    snapshots_[a.call->stats.id.value] = a.call->stats;
  }
  counters_snapshot_ = counters_;
}

void Engine::Core::begin_shutdown() {
  const auto now = Clock::now();
  shutting_down_ = true;
  shutdown_deadline_ = now + kShutdownDrain;
  for (auto& [name, a] : associations_) {
    if (a.call) hangup(a.call->stats.id);
  }
}

}  // namespace hotline::call
