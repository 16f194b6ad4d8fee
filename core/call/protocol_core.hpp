#pragma once
// The protocol core: every peer's link keys, control channel, call state machine and line
// status, with no I/O of its own (no socket, clock, thread or database; docs/protocol.md §6).
// It is driven only by inputs — a datagram with its source and the time, a command with the
// time, or "the time is now" — and answers through CoreOutput with effects: datagrams to send,
// events and records for the listener, snapshots, sound devices to open and close (the core
// only moves samples through an open device's rings). next_deadline() says when it next needs
// attention; between inputs it needs nothing, so its owner may sleep until then.
//
// The engine shell (engine.cpp) runs one on its thread; the simulated-time tests run two
// against an in-memory network and a fake clock. Not thread-safe: one owner thread.
//
// Split by concern: protocol_core.cpp (directory, dispatch, publication),
// protocol_handshake.cpp (initiations and responses), protocol_signalling.cpp (control
// messages, call state machine), protocol_timers.cpp (every deadline, media pumping),
// protocol_presence.cpp (line-status probes).

#include <array>
#include <asio/ip/udp.hpp>
#include <atomic>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/audio/call_tones.hpp"
#include "core/call/control_channel.hpp"
#include "core/call/link.hpp"
#include "core/call/media_session.hpp"
#include "core/call/protocol_types.hpp"
#include "core/crypto/cookie.hpp"
#include "core/crypto/mac.hpp"
#include "core/net/handshake_messages.hpp"
#include "core/net/rate_limiter.hpp"

namespace hotline::call {

// A time as the microseconds a Ping carries (§5.4): only this console compares them.
inline std::uint64_t micros_of(Clock::time_point t) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
}

// An initiation that passed every check made before Diffie-Hellman (§3.7 steps 1–5), on its
// way to its Noise read and back: the owner runs run_initiation_read() off the voice path and
// returns the job through ProtocolCore::on_initiation_read().
struct InitiationRead {
  Bytes packet;
  asio::ip::udp::endpoint from;
  std::optional<net::ReceivedInitiation> result;  // nullopt until read, and when the read fails
};
// The Noise read itself (two X25519 operations): any thread; `identity` is the console's.
void run_initiation_read(InitiationRead& job, const crypto::Identity& identity);

// Where the core's effects go. Called synchronously from inside the core's input methods.
class CoreOutput {
 public:
  virtual ~CoreOutput() = default;
  // False when it could not be sent (counted in EngineCounters::send_errors).
  virtual bool send_datagram(ByteSpan packet, const asio::ip::udp::endpoint& to) = 0;
  // A call changed or ended (stats.state == kEnded): for the listener and the snapshots.
  virtual void call_changed(const CallStats& stats) = 0;
  virtual void peer_status(const PeerStatus& status) = 0;
  virtual void initiation_timestamp(const crypto::PublicKey& peer,
                                    const crypto::Tai64n& timestamp) = 0;
  // Reads `job` (run_initiation_read) anywhere but on the voice path and hands it back to
  // ProtocolCore::on_initiation_read on the core's thread — never from inside this call.
  virtual void read_initiation(InitiationRead job) = 0;
  // A record to write: a disabled or removed peer's line-status probe was refused (§3.7).
  virtual void probe_refused(const crypto::PublicKey& /*peer*/) {}
  // Fresh statistics of a live call, for readers on other threads (no listener event).
  virtual void call_snapshot(const CallStats& stats) = 0;
  virtual void counters_snapshot(const EngineCounters& counters) = 0;
  // Opens and starts the sound device a call's tone or voice is to use: null when there is
  // none to be had, an exception (hotline::Error) with the reason when it cannot be opened.
  // The core only moves samples through its rings, and hands it back to close_device (which
  // stops it) before the call's end is published.
  virtual std::shared_ptr<audio::AudioDevice> open_device(const CallStats& call) = 0;
  virtual void close_device(std::shared_ptr<audio::AudioDevice> device) = 0;
};

class ProtocolCore {
 public:
  using TimePoint = Clock::time_point;
  static constexpr TimePoint kNever = TimePoint::max();
  // While voice or a call tone flows, the device rings are serviced this often: it bounds how
  // late a frame is sent or decoded (part of the mouth-to-ear delay, docs/performance.md).
  static constexpr auto kVoiceTick = MediaSession::kServiceInterval;
  // A device that says when it moves its periods is serviced once after each (this long after
  // it is due, or at once when it is seen done), not polled. Less than the playback lead's
  // margin of one voice tick.
  static constexpr auto kAfterDevicePeriod = std::chrono::microseconds(500);
  static constexpr auto kSnapshotPeriod = std::chrono::milliseconds(100);
  static constexpr auto kShutdownDrain = std::chrono::seconds(1);

  ProtocolCore(EngineConfig config, CoreOutput& output);
  ProtocolCore(const ProtocolCore&) = delete;
  ProtocolCore& operator=(const ProtocolCore&) = delete;

  // ---- inputs
  void on_datagram(ByteSpan packet, const asio::ip::udp::endpoint& from, TimePoint now);
  // The Noise read asked for through CoreOutput::read_initiation, done.
  void on_initiation_read(InitiationRead job, TimePoint now);
  // Does everything due at `now` (timers, media, probes, snapshots).
  void on_deadline(TimePoint now);
  // When on_deadline() must next run; kNever when nothing is due until an input arrives. May
  // lie in the past (run it at once).
  TimePoint next_deadline() const;

  // ---- commands (from the owner's users, through the owner's thread)
  CallId allocate_call_id() { return CallId{next_call_id_++}; }  // any thread
  void place_call(CallId id, const std::string& peer, const CallOptions& options, TimePoint now);
  void answer(CallId id, TimePoint now);
  void decline(CallId id, TimePoint now);
  void hangup(CallId id, TimePoint now);  // also cancels an unanswered outgoing call
  void confirm_sas(CallId id, TimePoint now);
  // The officials read different words: ends the call on both sides as a suspected
  // interception. Connected calls whose words are shown only.
  void report_sas_mismatch(CallId id, TimePoint now);
  void set_muted(CallId id, bool muted);
  void set_output_volume(double volume);
  void set_peers(std::vector<PeerEntry> peers);
  // Hangs up every call; finished() once they are acknowledged or kShutdownDrain has passed.
  void begin_shutdown(TimePoint now);
  bool finished() const { return finished_; }

  const EngineCounters& counters() const { return counters_; }
  // Counts a failure outside the core (the shell's error boundary), so it shows in counters().
  void count_internal_error() { ++counters_.internal_errors; }
  // An initiation whose Noise read the owner could not take (its reader's queue was full).
  void count_unread_initiation() { ++counters_.over_handshake_budget; }
  std::size_t associations() const { return associations_.size(); }

 private:
  struct Peer {
    PeerEntry entry;
    crypto::DhPublicKey dh{};
    std::string fingerprint;
    std::vector<asio::ip::udp::endpoint> endpoints;   // the card's, converted once
    std::optional<crypto::CookieSealKey> cookie_key;  // opens its cookie replies
  };

  struct Call {
    CallStats stats;
    std::uint64_t wire_id = 0;
    CallOptions options;
    TimePoint created;
    TimePoint call_request_sent;
    TimePoint connected_at;
    bool call_request_pending = false;  // outgoing: send once the link is keyed
    // The SAS agreement (docs/protocol.md §2.3): the handshake the CallRequest travelled on,
    // this side's nonce and, for the callee, the caller's commitment to its nonce.
    wire::HandshakeHash sas_handshake{};
    wire::SasNonce own_sas_nonce{};
    wire::SasCommitment peer_sas_commitment{};
    std::shared_ptr<audio::AudioDevice> device;  // opened for the ring tone or the media
    std::optional<audio::CallToneGenerator> tone;
    std::unique_ptr<MediaSession> media;
    // The device's periods when its rings were last serviced; none yet: service them at once.
    std::uint64_t serviced_periods = std::numeric_limits<std::uint64_t>::max();
    TimePoint next_report;
    std::uint64_t voice_packets_sent = 0;
    std::uint64_t voice_bytes_sent = 0;
    std::uint64_t opus_bytes_sent = 0;
    std::uint64_t reported_lost = 0;      // at the last receiver report
    std::uint64_t reported_received = 0;  // at the last receiver report
  };

  struct Association {
    explicit Association(asio::ip::udp::endpoint e) : link(e) {}
    std::string peer;  // name, key into peers_
    Link link;
    ControlChannel control;
    bool we_dialled = false;
    std::optional<Call> call;
    TimePoint created;
    TimePoint last_sent;
    std::optional<net::PendingInitiation> pending;
    TimePoint first_initiation;
    TimePoint last_initiation;
    TimePoint keyed_at;  // when the newest session was installed
    std::size_t control_padding = wire::kMinControlPlaintext;  // the call's voice plaintext size
    std::size_t endpoint_cursor = 0;  // which of the peer's card endpoints is being tried
    bool probing = false;             // its handshake is a presence probe, not for a call
    bool pending_is_rekey = false;    // `pending` builds on the call's chain (§8.1)
  };

  // ---- protocol_presence.cpp
  struct Presence {
    TimePoint next_probe{};
    std::optional<TimePoint> probe_started;  // a probe is in flight
    int probe_tries = 0;
    PeerStatus status;
    bool reported = false;
  };
  void tick_presence(TimePoint now);
  TimePoint presence_deadline() const;
  void probe(const Peer& peer, Presence& presence, TimePoint now);
  // The peer proved it is there: a probe answered (with its round trip) or it reached us.
  void note_alive(const std::string& peer, std::optional<double> rtt_ms, TimePoint now);
  void note_probe_failed(const std::string& peer, Presence& presence);
  void report(Presence& presence);

  // ---- protocol_core.cpp
  void send_datagram(ByteSpan packet, const asio::ip::udp::endpoint& to);
  void publish(const Call& call);
  const Peer* find_peer(const std::string& name) const;
  std::uint32_t new_local_index(const std::string& peer);
  void forget(Association& a);  // unregisters indices; keys are wiped on destruction
  Association* find_call(CallId id, Call** call);
  std::int64_t unix_ms_now() const;

  // ---- protocol_handshake.cpp
  void send_initiation(Association& a, TimePoint now);
  void handle_initiation(ByteSpan packet, const asio::ip::udp::endpoint& from, TimePoint now);
  void handle_response(ByteSpan packet, const asio::ip::udp::endpoint& from, TimePoint now);
  void handle_cookie_reply(ByteSpan packet, TimePoint now);
  // Load (§3.7): true when an initiation from `from` must first prove, with mac2, that it can
  // receive there; it is then answered with a cookie reply instead of a Noise read.
  bool needs_cookie(ByteSpan packet, const asio::ip::udp::endpoint& from, TimePoint now);
  crypto::Cookie cookie_for(const asio::ip::udp::endpoint& from, TimePoint now);
  // A peer's card endpoint or the address a peer last proved (ports aside: NATs change them).
  bool from_peer_address(const asio::ip::udp::endpoint& from) const;
  bool accept_timestamp(const crypto::PublicKey& peer, const crypto::Tai64n& timestamp);
  // A handshake with the peer now re-keys a call both sides hold (§8.1): it must build on
  // the chain of the session the call runs on. The same test on both sides.
  static bool rekeys_a_call(const Association& a);
  // The pre-shared key of a handshake with `peer` now: chained for a re-key, else its own.
  crypto::SecretKey handshake_psk(const Association& a, const Peer& peer) const;
  // This console's clock plus wire::kMaxInitiationAhead: later initiations are refused.
  crypto::Tai64n latest_acceptable_timestamp() const;

  // ---- protocol_signalling.cpp
  // A disabled or removed peer's authenticated initiation: reported once per attempt.
  void report_refused(const Peer& peer, TimePoint now);
  void on_link_keyed(Association& a, TimePoint now);
  // An outgoing call whose handshake yielded to the peer's (simultaneous handshakes) sends its
  // call request once the peer's keys can carry it.
  void resume_call_request(Association& a, TimePoint now);
  void handle_transport(ByteSpan packet, const asio::ip::udp::endpoint& from, TimePoint now);
  void handle_control(Association& a, const net::ControlMessage& m,
                      const wire::HandshakeHash& handshake_hash, TimePoint now);
  void handle_call_request(Association& a, const net::ControlMessage& m,
                           const wire::HandshakeHash& handshake_hash, TimePoint now);
  void send_control(Association& a, const net::ControlMessage& m, TimePoint now);
  void send_reliable(Association& a, wire::ControlKind kind, Bytes body, TimePoint now);
  void start_media(Association& a, TimePoint now);
  void start_tone(Call& call, audio::CallTone tone);
  void pump_tone(Call& call);
  void pump_media(Association& a, TimePoint now);
  void end_call(Association& a, EndReason reason, TimePoint now);
  void end_as_interception(Association& a, TimePoint now);
  // Computes and publishes the call's SAS once both nonces are known.
  void show_sas(Call& call, const wire::SasNonce& caller_nonce, const wire::SasNonce& callee_nonce);

  // ---- protocol_timers.cpp
  void tick_association(Association& a, TimePoint now);
  // While a call's voice or tone flows: when its device's rings are next serviced.
  TimePoint voice_deadline(const Call& call) const;
  static void note_serviced(Call& call);
  TimePoint association_deadline(const Association& a) const;
  bool removable(const Association& a, TimePoint now) const;
  void send_voice(Association& a, ByteSpan opus, TimePoint now);
  void send_reports(Association& a, TimePoint now);
  void collect_stats(Association& a, TimePoint now);  // live counters into a.call->stats
  void refresh_snapshots(TimePoint now);

  EngineConfig config_;
  CoreOutput& out_;
  std::atomic<std::uint64_t> next_call_id_{1};

  crypto::Mac1Key own_mac_key_;
  crypto::DhPublicKey own_dh_;
  std::vector<Peer> peers_;
  std::map<std::string, Association> associations_;
  std::unordered_map<std::uint32_t, std::string> index_to_peer_;
  InitiationTimestamps timestamps_;
  using SourceAddress = std::array<std::uint8_t, 16>;  // IPv4 as v4-mapped IPv6
  net::RateLimiter<SourceAddress, net::ByteArrayHash> per_source_;
  net::RateLimiter<std::string> per_peer_;
  net::RateLimiter<std::string> incoming_calls_per_peer_;
  // Handshake load (§3.7): the rate of initiations passing mac1 that puts this console under
  // load, until when it is, and the global budget of Noise reads.
  net::TokenBucket initiation_load_;
  TimePoint under_load_until_{};
  net::TokenBucket handshake_budget_;
  crypto::CookieSealKey own_cookie_key_;
  crypto::SecretKey cookie_secret_;  // replaced every wire::kCookieSecretLifetime
  std::optional<TimePoint> cookie_secret_born_;
  // Cookies peers gave this console (initiator side), by peer name, and when.
  std::map<std::string, std::pair<crypto::Cookie, TimePoint>> cookies_;
  EngineCounters counters_;
  EngineCounters published_counters_;
  // When each refused peer's last initiation came: its retries within one attempt make no
  // second report.
  std::map<std::string, TimePoint> refused_at_;
  std::map<std::string, Presence> presence_;
  double output_volume_ = 1.0;
  bool shutting_down_ = false;
  bool finished_ = false;
  TimePoint last_tick_{};
  TimePoint next_snapshot_{};
  TimePoint shutdown_deadline_{};

  std::array<std::uint8_t, wire::kMaxDatagram> send_buffer_{};
  std::array<std::uint8_t, wire::kMaxDatagram> plain_buffer_{};
};

}  // namespace hotline::call
