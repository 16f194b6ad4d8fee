// Line status: each enabled peer without a call is probed every presence_interval with a
// handshake initiation. A valid response proves the peer holds its key and is reachable, and
// gives the round trip; three tries a second apart without one mark the line down. Probes
// are authenticated like any handshake and stay far inside the peers' initiation rate limits
// (one attempt per interval, at most three initiations). A peer that reaches us (a handshake
// or a call) counts as seen too.

#include <sodium.h>

#include "core/call/engine_core.hpp"
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

void Engine::Core::tick_presence(Clock::time_point now) {
  if (config_.presence_interval.count() <= 0 || shutting_down_) return;
  for (const Peer& peer : peers_) {
    if (!peer.entry.enabled || peer.entry.endpoints.empty()) continue;
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

void Engine::Core::probe(const Peer& peer, Presence& presence, Clock::time_point now) {
  auto [it, inserted] =
      associations_.try_emplace(peer.entry.name, net::to_udp(peer.entry.endpoints.front()));
  Association& a = it->second;
  if (inserted) {
    a.peer = peer.entry.name;
    a.created = now;
  }
  if (a.pending) return;  // a handshake is already under way (a re-key, a call): not ours
  a.probing = true;
  a.we_dialled = true;
  presence.probe_started = now;
  presence.probe_tries = 1;
  send_initiation(a, now);
}

void Engine::Core::note_alive(const std::string& peer, std::optional<double> rtt_ms) {
  if (config_.presence_interval.count() <= 0) return;
  Presence& p = presence_[peer];
  const bool changed = !p.status.online || !p.reported || rtt_ms.has_value();
  p.status.peer = peer;
  p.status.online = true;
  p.status.last_seen_ms = unix_ms_now();
  if (rtt_ms) p.status.rtt_ms = *rtt_ms;
  p.probe_started.reset();
  p.next_probe = Clock::now() + jittered(config_.presence_interval);
  if (changed) report(p);
}

void Engine::Core::note_probe_failed(const std::string& peer, Presence& presence) {
  presence.probe_started.reset();
  const bool changed = presence.status.online || !presence.reported;
  presence.status.peer = peer;
  presence.status.online = false;
  if (changed) report(presence);
}

void Engine::Core::report(Presence& presence) {
  presence.reported = true;
  listener_.on_peer_status(presence.status);
}

}  // namespace hotline::call
