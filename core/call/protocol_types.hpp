#pragma once
// What the protocol core and the engine shell around it share with their users: the peer
// directory as the engine sees it, the counters, line status, the listener's events, the
// timers and the configuration. No I/O here.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/audio/audio_device.hpp"
#include "core/audio/voice_options.hpp"
#include "core/call/call_stats.hpp"
#include "core/call/call_types.hpp"
#include "core/crypto/identity.hpp"
#include "core/crypto/secret.hpp"
#include "core/crypto/tai64n.hpp"
#include "core/net/endpoint.hpp"
#include "core/wire/wire.hpp"

namespace hotline::call {

struct PeerEntry {
  std::string name;
  crypto::PublicKey public_key{};
  std::vector<net::Endpoint> endpoints;
  std::shared_ptr<const crypto::SecretKey> psk;  // null: no pre-shared key (all zeros)
  bool enabled = true;
  bool verified = false;
  // A peer that was removed from the directory: kept so that its calls are refused (and
  // reported) like a disabled peer's, never rung. Removed implies not enabled.
  bool removed = false;
};

// Drops and refusals counted by the engine, outside any one call.
struct EngineCounters {
  std::uint64_t datagrams_received = 0;
  std::uint64_t malformed = 0;           // wrong length or unknown type
  std::uint64_t mac_failures = 0;        // initiations/responses failing mac1 (no DH done)
  std::uint64_t rate_limited = 0;        // initiations over the per-source or per-peer rate
  std::uint64_t handshake_failures = 0;  // passed mac1 but failed Noise
  std::uint64_t unknown_peer = 0;        // authenticated static key not in the directory
  std::uint64_t disabled_peer = 0;       // disabled or removed: refused without ringing
  std::uint64_t replayed_initiations = 0;
  // Dated more than wire::kMaxInitiationAhead ahead of this console's clock: refused, and not
  // stored, so a peer with a clock far ahead cannot lock its own later calls out.
  std::uint64_t future_initiations = 0;
  std::uint64_t unknown_index = 0;  // transport packet for no current session
  std::uint64_t auth_failures = 0;  // transport packets that failed to authenticate
  std::uint64_t replays = 0;        // genuine transport packets seen again (after authenticating)
  std::uint64_t send_errors = 0;
  // Inputs whose handling threw (a bug or a failing dependency): counted and logged, and the
  // engine carries on (the shell's error boundary).
  std::uint64_t internal_errors = 0;
  // Card endpoints the engine cannot send to (e.g. an IPv6 scope this host does not have):
  // skipped when the directory is loaded, never thrown on the engine thread. Counts the
  // directory now loaded, so reloading it does not add the same endpoints again.
  std::uint64_t unusable_endpoints = 0;
  // Initiations that crossed one of ours (docs/protocol.md §3.8): the larger static key won.
  std::uint64_t simultaneous_handshakes = 0;
  // SasReveals that did not open the caller's commitment (docs/protocol.md §2.3): each ended
  // its call as a suspected interception.
  std::uint64_t sas_commitments_broken = 0;
  // CallRequests over a peer's budget of new incoming calls (wire::kIncomingCallsPerSecondPerPeer):
  // answered with Busy, the call in progress (if any) left alone.
  std::uint64_t calls_rate_limited = 0;
  // Handshake load (docs/protocol.md §3.7): initiations answered with a cookie reply instead
  // of a Noise read (under load, without a valid mac2), initiations over the global budget of
  // Noise reads, and cookies this console received and used.
  std::uint64_t cookie_replies_sent = 0;
  std::uint64_t over_handshake_budget = 0;
  std::uint64_t cookies_received = 0;
  // Line-status probes from a disabled or removed peer: counted here, never recorded as calls.
  std::uint64_t probes_refused = 0;
  friend bool operator==(const EngineCounters&, const EngineCounters&) = default;
};

// What the background probes found out about a peer's line (EngineConfig::presence_interval).
struct PeerStatus {
  std::string peer;
  bool online = false;
  std::optional<std::int64_t> last_seen_ms;  // unix ms of the last authenticated packet
  double rtt_ms = 0;                         // of the last successful probe; 0 if none yet
};

class EngineListener {
 public:
  virtual ~EngineListener() = default;
  // A probe found a peer's line up or down (only when it changed, or with a new round trip).
  // Engine thread.
  virtual void on_peer_status(const PeerStatus& /*status*/) {}
  // A call was created or changed state, SAS, or link interruption. Engine thread.
  virtual void on_call_changed(const CallStats& snapshot) = 0;
  // The call ended; `final_stats.end_reason` says why. Engine thread. A call refused without
  // ringing (a disabled or removed peer calling) is reported here only: an incoming call with
  // end reason kRefused, once per attempt however often the caller's handshake retries.
  virtual void on_call_ended(const CallStats& final_stats) = 0;
  // A record to write: the newest initiation timestamp accepted from `peer` (the replay state
  // a restarted console must keep). The engine has already applied it in memory; the listener
  // stores it without blocking (the engine thread is the voice thread). Engine thread.
  virtual void on_initiation_timestamp(const crypto::PublicKey& /*peer*/,
                                       const crypto::Tai64n& /*timestamp*/) {}
  // A record to write: a disabled or removed peer's line-status probe was refused. Counted on
  // the peer, never recorded as a call (docs/protocol.md §3.7). Engine thread.
  virtual void on_probe_refused(const crypto::PublicKey& /*peer*/) {}
};

// The newest initiation timestamp accepted from each peer's key (docs/protocol.md §3.5): an
// initiation must be strictly newer, so a recorded one cannot be replayed.
using InitiationTimestamps = std::map<crypto::PublicKey, crypto::Tai64n>;

// The wall clock the protocol reads (initiation timestamps, "last seen"); tests replace it.
struct WallClock {
  std::function<crypto::Tai64n()> tai64n = crypto::tai64n_now;
  std::function<std::int64_t()> unix_ms;  // empty: the system clock
};

// Protocol timers (docs/protocol.md). Consoles use the defaults; end-to-end tests on real
// sockets shorten some of them (the simulated-time tests run the real ones).
struct EngineTimers {
  std::chrono::milliseconds ring_timeout = wire::kRingTimeout;
  std::chrono::milliseconds rekey_after = wire::kRekeyAfter;
  std::chrono::milliseconds link_interrupted_after = wire::kLinkInterruptedAfter;
  std::chrono::milliseconds connection_lost_after = wire::kConnectionLostAfter;
  std::chrono::milliseconds unreachable_after = wire::kUnreachableAfter;
};

struct EngineConfig {
  std::shared_ptr<const crypto::Identity> identity;
  net::Endpoint listen;
  std::vector<PeerEntry> peers;
  // The replay state kept from earlier runs (EngineListener::on_initiation_timestamp
  // records each change).
  InitiationTimestamps initiation_timestamps;
  WallClock wall_clock;
  // Builds the audio device for a call about to play a tone or carry voice. Called by the
  // engine's shell (the core asks for it through CoreOutput::open_device) on the engine thread.
  // May throw hotline::Error (the call then ends as failed with the message).
  std::function<std::shared_ptr<audio::AudioDevice>(const CallStats& call)> make_device;
  audio::VoiceOptions voice;
  EngineTimers timers;
  // Line status: every enabled peer with no call is probed this often with a handshake
  // (authenticated, and within the peers' initiation rate limits); 0 turns probing off.
  std::chrono::milliseconds presence_interval{0};
};

}  // namespace hotline::call
