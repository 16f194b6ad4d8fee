// Line status: each enabled peer without a call is probed every presence_interval with a
// handshake initiation. A valid response proves the peer holds its key and is reachable, and
// gives the round trip; three tries a second apart without one mark the line down. Probes
// are authenticated like any handshake and stay far inside the peers' initiation rate limits
// (one attempt per interval, at most three initiations). A peer that reaches us (a handshake
// or a call) counts as seen too. presence_deadline() mirrors tick_presence: when it next acts.

#include <sodium.h>

#include <algorithm>

#include "core/call/protocol_core.hpp"
#include "core/util/time_format.hpp"

namespace hotline::call {

namespace {

constexpr int kProbeTries = 3;

// Spread the probes over the interval so that many consoles do not probe in step.
Clock::duration jittered(std::chrono::milliseconds interval) {
  const auto spread = interval.count() / 10;
  const auto offset = spread > 0 ? static_cast<std::int64_t>(randombytes_uniform(
                                       static_cast<std::uint32_t>(2 * spread + 1))) -
                                       spread
                                 : 0;
  return interval + std::chrono::milliseconds(offset);
}

}  // namespace

void ProtocolCore::tick_presence(TimePoint now) {
  if (config_.presence_interval.count() <= 0 || shutting_down_) return;
  for (const Peer& peer : peers_) {
    if (!peer.entry.enabled || peer.endpoints.empty()) continue;
    Presence& p = presence_[peer.entry.name];
    const auto assoc = associations_.find(peer.entry.name);
    Association* a = assoc == associations_.end() ? nullptr : &assoc->second;
    if (a && a->call) {  // a call shows the line better than any probe
      p.probe_started.reset();
      p.next_probe = now + jittered(config_.presence_interval);
      continue;
    }
    if (p.probe_started) {
      if (!a || !a->probing || now - *p.probe_started >= kProbeTries * wire::kHandshakeRetry) {
        note_probe_failed(peer.entry.name, p);
        if (a && a->probing) {
          forget(*a);
          associations_.erase(assoc);
        }
        p.next_probe = now + jittered(config_.presence_interval);
      } else if (now - a->last_initiation >= wire::kHandshakeRetry) {
        ++p.probe_tries;
        send_initiation(*a, now);
      }
      continue;
    }
    if (now >= p.next_probe) probe(peer, p, now);
  }
}

ProtocolCore::TimePoint ProtocolCore::presence_deadline() const {
  if (config_.presence_interval.count() <= 0 || shutting_down_) return kNever;
  TimePoint due = kNever;
  for (const Peer& peer : peers_) {
    if (!peer.entry.enabled || peer.endpoints.empty()) continue;
    const auto found = presence_.find(peer.entry.name);
    if (found == presence_.end()) return TimePoint::min();  // never probed: now
    const Presence& p = found->second;
    const auto assoc = associations_.find(peer.entry.name);
    const Association* a = assoc == associations_.end() ? nullptr : &assoc->second;
    if (a && a->call) {
      // tick_presence pushes the next probe out while the call lasts; it needs no wake-up.
      continue;
    }
    if (p.probe_started) {
      if (!a || !a->probing) return TimePoint::min();
      due = std::min({due, *p.probe_started + kProbeTries * wire::kHandshakeRetry,
                      a->last_initiation + wire::kHandshakeRetry});
    } else {
      due = std::min(due, p.next_probe);
    }
  }
  return due;
}

void ProtocolCore::probe(const Peer& peer, Presence& presence, TimePoint now) {
  auto [it, inserted] = associations_.try_emplace(peer.entry.name, peer.endpoints.front());
  Association& a = it->second;
  if (inserted) {
    a.peer = peer.entry.name;
    a.created = now;
  }
  if (a.pending) {  // a handshake is already under way (a re-key, a call): not ours
    presence.next_probe = now + wire::kHandshakeRetry;
    return;
  }
  a.probing = true;
  a.we_dialled = true;
  presence.probe_started = now;
  presence.probe_tries = 1;
  send_initiation(a, now);
}

void ProtocolCore::note_alive(const std::string& peer, std::optional<double> rtt_ms,
                              TimePoint now) {
  if (config_.presence_interval.count() <= 0) return;
  Presence& p = presence_[peer];
  const bool changed = !p.status.online || !p.reported || rtt_ms.has_value();
  p.status.peer = peer;
  p.status.online = true;
  p.status.last_seen_ms = unix_ms_now();  // the core's wall clock
  if (rtt_ms) p.status.rtt_ms = *rtt_ms;
  p.probe_started.reset();
  p.next_probe = now + jittered(config_.presence_interval);
  if (changed) report(p);
}

void ProtocolCore::note_probe_failed(const std::string& peer, Presence& presence) {
  presence.probe_started.reset();
  const bool changed = presence.status.online || !presence.reported;
  presence.status.peer = peer;
  presence.status.online = false;
  if (changed) report(presence);
}

void ProtocolCore::report(Presence& presence) {
  presence.reported = true;
  out_.peer_status(presence.status);
}

}  // namespace hotline::call
