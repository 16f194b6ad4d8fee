#!/usr/bin/env bash
# Live audio end to end: two consoles call each other with real PortAudio streams, through
# ALSA's "pulse" device and a private PulseAudio daemon whose null sinks stand in for the
# microphones and loudspeakers:
#   speech --paplay--> micA --(A captures micA.monitor)--> call --(B plays to spkB)-->
#   spkB.monitor --parecord--> recording
# The recording must carry the speech: each second's aligned loudness-envelope correlation
# >= THRESHOLD (hotline-wav-compare --seconds), so that an xrun moving the delay part-way
# spoils one second, not the verdict.
# Then a second call loses A's microphone mid-call (its sink suspended): A must report the
# failed capture and the call must carry on to a normal hang-up. Both of A's devices are
# ALSA's, so A runs one full-duplex stream; when that falls silent A replaces it with two
# streams, and only the microphone's fails again, so A's loudspeaker must keep working.
# Usage: pulse_call_test.sh HOTLINE HOTLINE_WAV_COMPARE TEST_DATA_DIR [THRESHOLD]
# Exits 77 (skipped) only when PulseAudio is not installed; anything else missing fails.
set -uo pipefail
# Under AddressSanitizer: PortAudio's ALSA and PulseAudio plugins are unloaded with memory still
# allocated, and the leak report then names no module, so it cannot be suppressed selectively
# (tests/support/leak_check_pause.hpp). Leak checking stays on for the unit tests.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

hotline=$1
compare=$2
data=$3
threshold=${4:-0.8}

source "$(dirname "$0")/pulse_lib.sh"

start_pulse micA spkA micB spkB
make_profiles Alpha Bravo
speech=$data/speech-16k.wav
speech_seconds=$(seconds_of "$speech") || fail "reading $speech"

# Each console has its own microphone and loudspeaker, so nothing loops back.
HOTLINE_AUDIO_DEBUG=1 PULSE_SOURCE=micB.monitor PULSE_SINK=spkB "$hotline" "${b[@]}" answer --input pulse \
  --output pulse --stats-json "$work/b.json" > "$work/b.log" 2>&1 &
answer_pid=$!
wait_for 20 "B to listen" grep -qs "Waiting for calls" "$work/b.log"
HOTLINE_AUDIO_DEBUG=1 PULSE_SOURCE=micA.monitor PULSE_SINK=spkA "$hotline" "${a[@]}" call Bravo --input pulse \
  --output pulse --seconds $((speech_seconds + 2)) --stats-json "$work/a.json" \
  > "$work/a.log" 2>&1 &
call_pid=$!
wait_for 20 "the call to connect" grep -qs "^Connected" "$work/a.log"

parecord --device=spkB.monitor --rate=48000 --channels=1 --format=s16le --latency-msec=20 \
  --file-format=wav "$work/heard.wav" &
record_pid=$!
paplay --device=micA "$speech" || fail "paplay"

wait "$call_pid"; status=$?; call_pid=""
[[ $status -eq 0 ]] || fail "call exited $status"
wait "$answer_pid"; status=$?; answer_pid=""
[[ $status -eq 0 ]] || fail "answer exited $status"
kill -INT "$record_pid"; wait "$record_pid"; record_pid=""
if grep -h "Audio problem" "$work/a.log" "$work/b.log"; then fail "a device reported a problem"; fi
# HOTLINE_AUDIO_DEBUG=1: each console's device says how it ran when it closes.
grep -h "^PortAudio duplex stream" "$work/a.log" "$work/b.log" | sed 's/^/  /'
[[ $(grep -c "^PortAudio duplex stream" "$work/a.log" "$work/b.log" | grep -c ':1$') -eq 2 ]] ||
  fail "the consoles did not both run one duplex stream"

python3 - "$work/a.json" "$work/b.json" <<'PY' || fail "call statistics"
import json, sys
a = json.loads(open(sys.argv[1]).read()); b = json.loads(open(sys.argv[2]).read())
for side, s in (("A", a), ("B", b)):
    print(side, {k: s.get(k) for k in ("end_reason", "duration_s", "voice_packets_sent",
          "voice_packets_received", "lost", "concealed_samples", "jitter_buffer_delay_ms",
          "capture_ok", "playback_ok", "device_problem", "device_underruns", "device_overruns",
          "device_xruns", "echo_reference_shifts") if k in s})
    # The sound device's own counts reach the statistics (a duplex stream: the echo path too).
    assert all(k in s for k in ("device_underruns", "device_overruns", "device_xruns",
                                "echo_reference_shifts", "echo_reference_shift_ms"))
assert a["end_reason"] == "local_hangup" and b["end_reason"] == "remote_hangup"
assert b["voice_packets_received"] > 50 * 10
PY
echo "speech through PortAudio + PulseAudio, per second (threshold $threshold):"
"$compare" --seconds "$speech" "$work/heard.wav" "$threshold" | sed 's/^/  /'
[[ ${PIPESTATUS[0]} -eq 0 ]] || fail "the recording does not carry the speech"

# Second call: A's microphone goes away after the call has connected.
HOTLINE_AUDIO_DEBUG=1 PULSE_SOURCE=micB.monitor PULSE_SINK=spkB "$hotline" "${b[@]}" answer --input pulse \
  --output pulse --stats-json "$work/b2.json" > "$work/b.log" 2>&1 &
answer_pid=$!
wait_for 20 "B to listen again" grep -qs "Waiting for calls" "$work/b.log"
HOTLINE_AUDIO_DEBUG=1 PULSE_SOURCE=micA.monitor PULSE_SINK=spkA "$hotline" "${a[@]}" call Bravo --input pulse \
  --output pulse --seconds 10 --stats-json "$work/a2.json" > "$work/a.log" 2>&1 &
call_pid=$!
wait_for 20 "the second call to connect" grep -qs "^Connected" "$work/a.log"
# Some voice first; the call lasts 10 s, so this is still mid-call on any machine. A notices its
# duplex stream silent about 3 s into the call, and the microphone's own stream that replaced
# it once the 3 s a new stream may take to start have passed: well before the end.
sleep 1
pactl suspend-sink micA 1 || fail "suspending micA"
wait "$call_pid"; status=$?; call_pid=""
[[ $status -eq 0 ]] || fail "second call exited $status"
wait "$answer_pid"; status=$?; answer_pid=""
[[ $status -eq 0 ]] || fail "second answer exited $status"
grep -q "Audio problem: input device 'pulse' (capture) failed" "$work/a.log" ||
  fail "A did not report its lost microphone"
grep "^PortAudio two streams: .*, then two streams$" "$work/a.log" | sed 's/^/  /'
grep -q "^PortAudio two streams: .*, then two streams$" "$work/a.log" ||
  fail "A did not replace its silent duplex stream with two streams"
python3 - "$work/a2.json" "$work/b2.json" <<'PY' || fail "second call statistics"
import json, sys
a = json.loads(open(sys.argv[1]).read()); b = json.loads(open(sys.argv[2]).read())
print("A", {k: a.get(k) for k in ("end_reason", "capture_ok", "playback_ok", "device_problem")})
assert a["end_reason"] == "local_hangup" and b["end_reason"] == "remote_hangup"
assert not a["capture_ok"] and a["playback_ok"]
assert b["capture_ok"] and b["playback_ok"] and "device_problem" not in b
PY
echo "PASSED"
