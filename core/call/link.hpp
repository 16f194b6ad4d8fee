#pragma once
// The secure association with one peer console while calls with it exist: up to three keyed
// sessions (next, current, previous) from successive handshakes, the per-kind send counters
// that continue across re-keys, and what the link itself measured. Engine thread only.

#include <array>
#include <asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/call/call_stats.hpp"
#include "core/crypto/noise.hpp"
#include "core/net/replay_window.hpp"
#include "core/net/transport.hpp"
#include "core/wire/wire.hpp"

namespace hotline::call {

using Clock = std::chrono::steady_clock;

struct Session {
  crypto::TransportKeys keys;
  std::uint32_t local_index = 0;
  std::uint32_t remote_index = 0;
  Clock::time_point created;
  wire::HandshakeHash handshake_hash{};  // the call's SAS comes from this
  net::ReplayWindow voice_window;
  net::ReplayWindow control_window;
  // What a re-key of this session mixes into its pre-shared key (crypto/rekey_chain.hpp).
  crypto::SecretKey rekey_chain;
};

class Link {
 public:
  explicit Link(asio::ip::udp::endpoint endpoint) : endpoint_(endpoint) {}

  // A handshake this side initiated completed: the new session is used for sending at once.
  // A handshake the peer initiated completed: it waits as `next` until the peer uses it, so
  // packets in flight on the old keys still open (no audible gap at re-key).
  void install(Session session, bool we_initiated);

  struct Opened {
    wire::MessageType type;
    std::uint64_t counter;
    std::size_t length;
    wire::HandshakeHash handshake_hash;  // of the session that opened the packet
  };
  // Opens a transport packet addressed to one of this link's local indices. Updates replay
  // state, counters and the liveness clock only when the packet authenticates.
  std::optional<Opened> open(const net::TransportHeader& header, ByteSpan packet,
                             MutableByteSpan plaintext, Clock::time_point now);

  // Seals the next packet of `type`; 0 when no session may send (none, or keys too old).
  std::size_t seal(wire::MessageType type, ByteSpan plaintext, MutableByteSpan out,
                   Clock::time_point now);

  // Wipes keys past their lifetime; returns the local indices that are no longer valid: theirs,
  // and those of sessions a newer one replaced since the last call (install, or the switch to
  // the peer's new keys), so the caller can release every index it handed out.
  std::vector<std::uint32_t> expire(Clock::time_point now);
  // When expire() next has something to wipe or release; nullopt when there is nothing.
  std::optional<Clock::time_point> next_expiry() const;

  bool can_send(Clock::time_point now) const;
  // Age of the newest session this side can send with (for the re-key timer).
  std::optional<Clock::duration> sending_key_age(Clock::time_point now) const;
  // When the session this side sends with was keyed (the re-key timer runs from it).
  std::optional<Clock::time_point> sending_key_created() const;
  // Every index this link still answers to or has not yet reported released.
  std::vector<std::uint32_t> local_indices() const;
  // The chain secret a re-key made now must build on: the session both sides use (the one
  // this side sends with). Null when there is none.
  const crypto::SecretKey* rekey_chain() const;
  // Handshake hash of the session this side sends with.
  std::optional<wire::HandshakeHash> sending_handshake_hash() const;

  const asio::ip::udp::endpoint& endpoint() const { return endpoint_; }
  void set_endpoint(const asio::ip::udp::endpoint& e) { endpoint_ = e; }
  // An authenticated packet came from `from`: follow the peer there (roaming).
  void note_source(const asio::ip::udp::endpoint& from) {
    if (from == endpoint_) return;
    endpoint_ = from;
    ++counters_.roams;
  }
  std::optional<Clock::time_point> last_received() const { return last_received_; }
  const LinkCounters& counters() const { return counters_; }
  void count_auth_failure() { ++counters_.auth_failures; }

 private:
  Session* session_for(std::uint32_t local_index);
  // Keeps `session` as the previous one, releasing the index of the one it displaces.
  void retire_to_previous(Session session, Clock::time_point at);
  void release(std::optional<Session>& session);  // wipes it and notes its index
  std::uint64_t& next_counter(wire::MessageType type);

  asio::ip::udp::endpoint endpoint_;
  std::optional<Session> next_;
  std::optional<Session> current_;
  std::optional<Session> previous_;
  std::optional<Clock::time_point> previous_retired_at_;
  std::vector<std::uint32_t> released_;  // indices of replaced sessions, until expire()
  std::uint64_t voice_sent_ = 0;
  std::uint64_t control_sent_ = 0;
  std::uint64_t voice_received_hint_ = 0;
  std::uint64_t control_received_hint_ = 0;
  std::optional<Clock::time_point> last_received_;
  LinkCounters counters_;
};

}  // namespace hotline::call
