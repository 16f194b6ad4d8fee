#!/usr/bin/env bash
# A file on one side of a call, a live sound device on the other (SplitDevice), through real
# PortAudio streams on a private PulseAudio with null sinks:
#   A: call --play speech.wav --output pulse   (the file is A's microphone; B is heard on spkA)
#   B: answer --input pulse --record heard.wav (micB is B's microphone; A goes to a WAV file)
#   reversed speech --paplay--> micB --(B captures)--> call --(A plays)--> spkA --> recording
# Both recordings must carry their own material (each second's aligned loudness-envelope
# correlation >= THRESHOLD, hotline-wav-compare --seconds), and A's loudspeaker must not carry A's own file: each side went where it was sent.
# Usage: pulse_file_sides_test.sh HOTLINE HOTLINE_WAV_COMPARE TEST_DATA_DIR [THRESHOLD]
# Exits 77 (skipped) only when PulseAudio is not installed; anything else missing fails.
set -uo pipefail
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"  # see pulse_call_test.sh

hotline=$1
compare=$2
data=$3
threshold=${4:-0.8}

source "$(dirname "$0")/pulse_lib.sh"

start_pulse micA spkA micB spkB
make_profiles Alpha Bravo
speech=$data/speech-16k.wav
speech_seconds=$(seconds_of "$speech") || fail "reading $speech"
# B's words: the same speech backwards, so that nothing scores against the wrong material.
python3 - "$speech" "$work/reversed.wav" <<'PY' || fail "making the reversed speech"
import array, sys, wave
with wave.open(sys.argv[1]) as w:
    params, frames = w.getparams(), w.readframes(w.getnframes())
samples = array.array("h", frames)
samples.reverse()
with wave.open(sys.argv[2], "wb") as out:
    out.setparams(params)
    out.writeframes(samples.tobytes())
PY

HOTLINE_AUDIO_DEBUG=1 PULSE_SOURCE=micB.monitor "$hotline" "${b[@]}" answer --input pulse \
  --record "$work/b-heard.wav" --stats-json "$work/b.json" > "$work/b.log" 2>&1 &
answer_pid=$!
wait_for 20 "B to listen" grep -qs "Waiting for calls" "$work/b.log"
HOTLINE_AUDIO_DEBUG=1 PULSE_SINK=spkA "$hotline" "${a[@]}" call Bravo --play "$speech" \
  --output pulse --seconds $((speech_seconds + 2)) --stats-json "$work/a.json" \
  > "$work/a.log" 2>&1 &
call_pid=$!
wait_for 20 "the call to connect" grep -qs "^Connected" "$work/a.log"

parecord --device=spkA.monitor --rate=48000 --channels=1 --format=s16le --latency-msec=20 \
  --file-format=wav "$work/a-heard.wav" &
record_pid=$!
paplay --device=micB "$work/reversed.wav" || fail "paplay"

wait "$call_pid"; status=$?; call_pid=""
[[ $status -eq 0 ]] || fail "call exited $status"
wait "$answer_pid"; status=$?; answer_pid=""
[[ $status -eq 0 ]] || fail "answer exited $status"
kill -INT "$record_pid"; wait "$record_pid"; record_pid=""
if grep -h "Audio problem" "$work/a.log" "$work/b.log"; then fail "a device reported a problem"; fi
# Each live side is a one-way PortAudio stream; the file sides are clocked devices.
grep -h "^PortAudio" "$work/a.log" "$work/b.log" | sed 's/^/  /'
grep -q "^PortAudio .*output device 'pulse'" "$work/a.log" || fail "A did not play through pulse"
grep -q "^PortAudio .*input device 'pulse'" "$work/b.log" || fail "B did not capture from pulse"

python3 - "$work/a.json" "$work/b.json" <<'PY' || fail "call statistics"
import json, sys
a = json.loads(open(sys.argv[1]).read()); b = json.loads(open(sys.argv[2]).read())
for side, s in (("A", a), ("B", b)):
    print(side, {k: s.get(k) for k in ("end_reason", "voice_packets_received",
          "concealed_samples", "capture_ok", "playback_ok", "device_problem") if k in s})
    assert s["capture_ok"] and s["playback_ok"] and "device_problem" not in s
assert a["end_reason"] == "local_hangup" and b["end_reason"] == "remote_hangup"
PY
# Scored a second at a time: an xrun or a stalled process moves the delay part-way through.
echo "A's file, recorded by B, per second (threshold $threshold):"
"$compare" --seconds "$speech" "$work/b-heard.wav" "$threshold" | sed 's/^/  /'
[[ ${PIPESTATUS[0]} -eq 0 ]] || fail "B's recording does not carry A's file"
echo "B's live microphone, on A's loudspeaker, per second (threshold $threshold):"
"$compare" --seconds "$work/reversed.wav" "$work/a-heard.wav" "$threshold" | sed 's/^/  /'
[[ ${PIPESTATUS[0]} -eq 0 ]] || fail "A's loudspeaker does not carry B's microphone"
# Leaking is judged over the whole recording at one lag: by chance, a single second of
# unrelated speech can match.
result=$("$compare" "$speech" "$work/a-heard.wav" "$threshold" 3)
status=$?
echo "A's own file, on A's loudspeaker: $result (must stay below $threshold)"
[[ $status -ne 0 ]] || fail "A's own file reached A's loudspeaker"
echo "PASSED"
