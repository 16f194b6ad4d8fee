#pragma once
// The console's engine: one thread running a standalone Asio io_context that owns the UDP
// socket, every timer and all call state. Public methods may be called from any thread; they
// post work to the engine thread and return at once. Events reach the listener on the engine
// thread — a UI adapter re-posts them to its own thread (the GUI never blocks on the engine).

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
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
#include "core/net/endpoint.hpp"
#include "core/net/wire.hpp"

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
  std::uint64_t unknown_index = 0;  // transport packet for no current session
  std::uint64_t auth_failures = 0;  // transport packets that failed to authenticate
  std::uint64_t replays = 0;        // genuine transport packets seen again (after authenticating)
  std::uint64_t send_errors = 0;
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
};

// Protocol timers (docs/protocol.md). Consoles use the defaults; tests shorten some of them to
// exercise long waits (ring timeout, re-key) in seconds of wall time.
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
  // Persistent initiation replay check: stores `timestamp` and returns true only if it is
  // newer than the last one accepted from `peer`. Runs on the engine thread.
  std::function<bool(const crypto::PublicKey& peer, const std::array<std::uint8_t, 12>& timestamp)>
      accept_timestamp;
  // Builds the audio device for a call about to carry voice. Engine thread. May throw
  // hotline::Error (the call then ends as failed with the message).
  std::function<std::shared_ptr<audio::AudioDevice>(const CallStats& call)> make_device;
  audio::VoiceOptions voice;
  EngineTimers timers;
  // Line status: every enabled peer with no call is probed this often with a handshake
  // (authenticated, and within the peers' initiation rate limits); 0 turns probing off.
  std::chrono::milliseconds presence_interval{0};
};

class Engine {
 public:
  // Binds the socket (throws hotline::Error with a clear message if it cannot) but does not
  // start the thread yet.
  Engine(EngineConfig config, EngineListener& listener);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void start();
  void stop();  // ends any call (as a local hang-up) and joins the thread

  net::Endpoint local_endpoint() const;

  CallId call(const std::string& peer_name, const CallOptions& options);
  void answer(CallId id);
  void decline(CallId id);
  void hangup(CallId id);  // also cancels an unanswered outgoing call
  void set_muted(CallId id, bool muted);
  // Loudspeaker volume for this and later calls, 0 .. 1 (1: as received).
  void set_output_volume(double volume);
  // Our official read the same SAS words as the other side's: recorded here and sent to the
  // peer, whose stats then show sas_confirmed_remote. Connected calls only.
  void confirm_sas(CallId id);
  void update_peers(std::vector<PeerEntry> peers);

  EngineCounters counters() const;
  std::optional<CallStats> call_stats(CallId id) const;

  class Core;  // engine-thread state, split over engine_*.cpp by concern

 private:
  std::unique_ptr<Core> core_;
};

}  // namespace hotline::call
