#pragma once
// Engine-thread state of the engine. Private to core/call; split by concern over
// engine.cpp (thread, socket, public API), engine_handshake.cpp (initiations/responses),
// engine_signalling.cpp (control messages, call state machine) and engine_timers.cpp
// (the periodic tick: media, retransmission, liveness, re-key).

#include <asio.hpp>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/audio/call_tones.hpp"
#include "core/call/control_channel.hpp"
#include "core/call/engine.hpp"
#include "core/call/link.hpp"
#include "core/call/media_session.hpp"
#include "core/crypto/mac.hpp"
#include "core/net/handshake_messages.hpp"
#include "core/net/rate_limiter.hpp"

namespace hotline::call {

class Engine::Core {
 public:
  Core(EngineConfig config, EngineListener& listener);

  struct Peer {
    PeerEntry entry;
    crypto::DhPublicKey dh{};
    std::string fingerprint;
  };

  struct Call {
    CallStats stats;
    std::uint64_t wire_id = 0;
    CallOptions options;
    Clock::time_point created;
    Clock::time_point call_request_sent;
    Clock::time_point connected_at;
    bool call_request_pending = false;           // outgoing: send once the link is keyed
    std::shared_ptr<audio::AudioDevice> device;  // opened for the ring tone or the media
    std::optional<audio::CallToneGenerator> tone;
    std::unique_ptr<MediaSession> media;
    Clock::time_point next_report;
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
    Clock::time_point created;
    Clock::time_point last_sent;
    std::optional<net::PendingInitiation> pending;
    Clock::time_point first_initiation;
    Clock::time_point last_initiation;
    Clock::time_point keyed_at;  // when the newest session was installed
    std::size_t control_padding = wire::kMinControlPlaintext;  // the call's voice plaintext size
    std::size_t endpoint_cursor = 0;  // which of the peer's card endpoints is being tried
    bool probing = false;             // its handshake is a presence probe, not for a call
  };

  // ---- engine_presence.cpp
  struct Presence {
    Clock::time_point next_probe{};
    std::optional<Clock::time_point> probe_started;  // a probe is in flight
    int probe_tries = 0;
    PeerStatus status;
    bool reported = false;
  };
  void tick_presence(Clock::time_point now);
  void probe(const Peer& peer, Presence& presence, Clock::time_point now);
  // The peer proved it is there: a probe answered (with its round trip) or it reached us.
  void note_alive(const std::string& peer, std::optional<double> rtt_ms);
  void note_probe_failed(const std::string& peer, Presence& presence);
  void report(Presence& presence);

  // ---- engine.cpp
  void start_receive();
  void on_datagram(ByteSpan packet, const asio::ip::udp::endpoint& from, Clock::time_point now);
  void send_datagram(ByteSpan packet, const asio::ip::udp::endpoint& to);
  void publish(const Call& call);  // snapshot for other threads + listener event
  void set_peers(std::vector<PeerEntry> peers);
  const Peer* find_peer(const std::string& name) const;
  std::uint32_t new_local_index(const std::string& peer);
  void forget(Association& a);  // unregisters indices; keys are wiped on destruction
  Association* find_call(CallId id, Call** call);

  // ---- engine_handshake.cpp
  void send_initiation(Association& a, Clock::time_point now);
  void handle_initiation(ByteSpan packet, const asio::ip::udp::endpoint& from,
                         Clock::time_point now);
  void handle_response(ByteSpan packet, const asio::ip::udp::endpoint& from, Clock::time_point now);

  // ---- engine_signalling.cpp
  void place_call(CallId id, const std::string& peer, const CallOptions& options);
  void answer(CallId id);
  void decline(CallId id);
  void hangup(CallId id);
  void confirm_sas(CallId id);
  // A disabled or removed peer's authenticated initiation: reported once per attempt.
  void report_refused(const Peer& peer, Clock::time_point now);
  void on_link_keyed(Association& a, Clock::time_point now);
  void handle_transport(ByteSpan packet, const asio::ip::udp::endpoint& from,
                        Clock::time_point now);
  void handle_control(Association& a, const net::ControlMessage& m,
                      const std::array<std::uint8_t, 64>& handshake_hash, Clock::time_point now);
  void handle_call_request(Association& a, const net::ControlMessage& m,
                           const std::array<std::uint8_t, 64>& handshake_hash,
                           Clock::time_point now);
  void send_control(Association& a, const net::ControlMessage& m, Clock::time_point now);
  void send_reliable(Association& a, wire::ControlKind kind, Bytes body, Clock::time_point now);
  void start_media(Association& a, Clock::time_point now);
  void start_tone(Call& call, audio::CallTone tone);
  void pump_tone(Call& call);
  void pump_media(Association& a, Clock::time_point now);
  void end_call(Association& a, EndReason reason, Clock::time_point now);

  // ---- engine_timers.cpp
  void schedule_tick();
  void tick(Clock::time_point now);
  void tick_association(Association& a, Clock::time_point now);
  void send_voice(Association& a, ByteSpan opus, Clock::time_point now);
  void begin_shutdown();
  void send_reports(Association& a, Clock::time_point now);
  void collect_stats(Association& a);  // live counters into a->call->stats
  void refresh_snapshots();

  EngineConfig config_;
  EngineListener& listener_;
  asio::io_context io_;
  asio::ip::udp::socket socket_;
  asio::steady_timer tick_timer_;
  std::thread thread_;
  std::atomic<std::uint64_t> next_call_id_{1};

  crypto::Mac1Key own_mac_key_;
  std::vector<Peer> peers_;
  std::map<std::string, Association> associations_;
  std::unordered_map<std::uint32_t, std::string> index_to_peer_;
  using SourceAddress = std::array<std::uint8_t, 16>;  // IPv4 as v4-mapped IPv6
  net::RateLimiter<SourceAddress, net::ByteArrayHash> per_source_;
  net::RateLimiter<std::string> per_peer_;
  EngineCounters counters_;
  // When each refused peer's last initiation came: its retries within one attempt make no
  // second report.
  std::map<std::string, Clock::time_point> refused_at_;
  std::map<std::string, Presence> presence_;
  double output_volume_ = 1.0;
  bool shutting_down_ = false;
  Clock::time_point next_snapshot_;
  Clock::time_point shutdown_deadline_;

  std::array<std::uint8_t, 2048> receive_buffer_{};
  asio::ip::udp::endpoint receive_from_;
  std::array<std::uint8_t, wire::kMaxDatagram> send_buffer_{};
  std::array<std::uint8_t, wire::kMaxDatagram> plain_buffer_{};

  mutable std::mutex snapshot_mutex_;  // guards the two members below
  std::map<std::uint64_t, CallStats> snapshots_;
  EngineCounters counters_snapshot_;
};

}  // namespace hotline::call
