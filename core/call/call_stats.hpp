#pragma once
// What one call measured, counted where the events happen (link, media, signalling) and
// surfaced unchanged to --stats-json and the UI.

#include <cstdint>
#include <string>

#include "core/call/call_types.hpp"

namespace hotline::call {

struct LinkCounters {
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;  // authenticated packets
  std::uint64_t auth_failures = 0;     // transport packets for this link that failed to open
  std::uint64_t replays_dropped = 0;   // duplicates and too-old counters
  std::uint64_t rekeys = 0;
  std::uint64_t roams = 0;  // peer endpoint changed to a new authenticated source
};

struct MediaCounters {
  std::uint64_t voice_packets_sent = 0;
  std::uint64_t voice_bytes_sent = 0;  // UDP payload bytes of voice packets
  std::uint64_t opus_bytes_sent = 0;
  std::uint64_t voice_packets_received = 0;
  std::uint64_t late = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t fec_recovered = 0;
  std::uint64_t concealed_frames = 0;
  std::uint64_t decode_errors = 0;
  double jitter_buffer_delay_ms = 0;  // mean
  double interarrival_jitter_ms = 0;  // RFC 3550, of voice packets received
  std::uint64_t highest_voice_counter = 0;
};

struct CallStats {
  CallId id;
  std::string peer;
  std::string peer_fingerprint;
  Direction direction = Direction::kOutgoing;
  CallState state = CallState::kDialling;
  EndReason end_reason = EndReason::kFailed;
  std::string sas;
  double setup_ms = 0;    // dial to connected (outgoing) or ring to connected (incoming)
  double duration_s = 0;  // connected time
  double rtt_ms = 0;      // last measured round trip, 0 until measured
  bool link_interrupted = false;
  std::uint64_t interruptions_of_link = 0;
  std::uint64_t control_retransmits = 0;
  LinkCounters link;
  MediaCounters media;
};

// One line of --stats-json.
std::string to_json_line(const CallStats& stats);

}  // namespace hotline::call
