#pragma once
// What one call measured, counted where the events happen (link, media, signalling) and
// surfaced unchanged to --stats-json and the UI.

#include <cstdint>
#include <string>

#include "core/audio/audio_device.hpp"
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

// Receive-side names follow W3C webrtc-stats where one exists.
struct MediaCounters {
  std::uint64_t voice_packets_sent = 0;
  std::uint64_t voice_bytes_sent = 0;  // UDP payload bytes of voice packets
  std::uint64_t opus_bytes_sent = 0;
  std::uint64_t voice_packets_received = 0;
  std::uint64_t late = 0;  // arrived after their playout time
  std::uint64_t lost = 0;  // frames missing when due (FEC-recovered ones included)
  std::uint64_t duplicates = 0;
  std::uint64_t fec_recovered = 0;  // lost frames rebuilt from the next packet's FEC data
  std::uint64_t samples_played = 0;
  std::uint64_t concealed_samples = 0;
  std::uint64_t concealment_events = 0;
  std::uint64_t interruptions = 0;    // concealment runs of 150 ms or more, counted when they end
  double interruption_ms = 0;         // their total duration
  std::uint64_t delay_stretches = 0;  // frames concealed on purpose to grow the delay
  std::uint64_t decode_errors = 0;
  double jitter_buffer_delay_ms = 0;   // mean, arrival to start of playout
  double jitter_buffer_target_ms = 0;  // current target of that delay
  double playout_rate_adjust = 0;      // +0.001: playing 0.1 % slower than real time
  double interarrival_jitter_ms = 0;   // RFC 3550, of voice packets received
  std::uint64_t highest_voice_counter = 0;
  double input_level_dbfs = -100;   // microphone, before muting
  double output_level_dbfs = -100;  // speaker
  audio::DeviceCounters device;     // the sound device's underruns, overruns and xruns
  bool capture_ok = true;           // false once the microphone failed mid-call
  bool playback_ok = true;          // false once the speaker failed mid-call
};

struct CallStats {
  CallId id;
  std::string peer;
  std::string peer_fingerprint;
  Direction direction = Direction::kOutgoing;
  CallState state = CallState::kDialling;
  EndReason end_reason = EndReason::kFailed;
  std::string sas;                    // 4 words of the PGP word list (docs/protocol.md §2.3)
  std::string sas_digits;             // the same 32 bits as 4 numbers of 3 digits, for any language
  bool sas_confirmed_local = false;   // our official confirmed reading the same words
  bool sas_confirmed_remote = false;  // the peer's official did
  bool peer_verified = false;         // the directory's verification state at the call's start
  double setup_ms = 0;     // dial to connected (outgoing) or ring to connected (incoming)
  double duration_s = 0;   // connected time
  double rtt_ms = 0;       // last measured round trip, 0 until measured
  double mean_rtt_ms = 0;  // over the call
  std::uint64_t rtt_samples = 0;
  bool link_interrupted = false;
  bool muted = false;
  std::string device_problem;  // the audio device failed (wholly or one direction)
  std::uint64_t interruptions_of_link = 0;
  std::uint64_t control_retransmits = 0;
  // Re-key responses that failed the chain to the call's first handshake (§8.1): someone
  // other than the peer of the verified call answered the key change. The keys were not
  // switched; the caller shows it as a suspected interception.
  std::uint64_t rekeys_refused = 0;
  LinkCounters link;
  MediaCounters media;
};

// One line of --stats-json.
std::string to_json_line(const CallStats& stats);

}  // namespace hotline::call
