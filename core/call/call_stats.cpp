#include "core/call/call_stats.hpp"

#include <nlohmann/json.hpp>

namespace hotline::call {

std::string to_json_line(const CallStats& s) {
  nlohmann::json j;
  j["call_id"] = s.id.value;
  j["peer"] = s.peer;
  j["peer_fingerprint"] = s.peer_fingerprint;
  j["direction"] = to_string(s.direction);
  j["end_reason"] = to_string(s.end_reason);
  j["sas"] = s.sas;
  j["sas_digits"] = s.sas_digits;
  j["sas_confirmed_local"] = s.sas_confirmed_local;
  j["sas_confirmed_remote"] = s.sas_confirmed_remote;
  j["peer_verified"] = s.peer_verified;
  j["setup_ms"] = s.setup_ms;
  j["duration_s"] = s.duration_s;
  j["rtt_ms"] = s.rtt_ms;
  j["mean_rtt_ms"] = s.mean_rtt_ms;
  j["muted"] = s.muted;
  if (!s.device_problem.empty()) j["device_problem"] = s.device_problem;
  j["packets_sent"] = s.link.packets_sent;
  j["packets_received"] = s.link.packets_received;
  j["auth_failures"] = s.link.auth_failures;
  j["replays_dropped"] = s.link.replays_dropped;
  j["rekeys"] = s.link.rekeys;
  j["rekeys_refused"] = s.rekeys_refused;
  j["roams"] = s.link.roams;
  j["link_interruptions"] = s.interruptions_of_link;
  j["control_retransmits"] = s.control_retransmits;
  j["voice_packets_sent"] = s.media.voice_packets_sent;
  j["voice_bytes_sent"] = s.media.voice_bytes_sent;
  j["opus_bytes_sent"] = s.media.opus_bytes_sent;
  j["voice_packets_received"] = s.media.voice_packets_received;
  j["late"] = s.media.late;
  j["lost"] = s.media.lost;
  j["duplicates"] = s.media.duplicates;
  j["fec_recovered"] = s.media.fec_recovered;
  j["total_samples_received"] = s.media.samples_played;
  j["concealed_samples"] = s.media.concealed_samples;
  j["concealment_events"] = s.media.concealment_events;
  j["interruptions"] = s.media.interruptions;
  j["interruption_ms"] = s.media.interruption_ms;
  j["delay_stretches"] = s.media.delay_stretches;
  j["decode_errors"] = s.media.decode_errors;
  j["jitter_buffer_delay_ms"] = s.media.jitter_buffer_delay_ms;
  j["jitter_buffer_target_ms"] = s.media.jitter_buffer_target_ms;
  j["playout_rate_adjust"] = s.media.playout_rate_adjust;
  j["jitter_ms"] = s.media.interarrival_jitter_ms;
  j["input_level_dbfs"] = s.media.input_level_dbfs;
  j["output_level_dbfs"] = s.media.output_level_dbfs;
  j["device_underruns"] = s.media.device.playback_underruns;
  j["device_overruns"] = s.media.device.capture_overruns;
  j["device_xruns"] = s.media.device.host_xruns;
  j["echo_reference_shifts"] = s.media.device.reference_shifts;
  j["echo_reference_shift_ms"] = s.media.device.reference_shift_ms;
  j["capture_ok"] = s.media.capture_ok;
  j["playback_ok"] = s.media.playback_ok;
  return j.dump();
}

}  // namespace hotline::call
