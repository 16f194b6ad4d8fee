#!/usr/bin/env bash
# Live: a stream left in a bad state by a stalled sound server is replaced mid-call, and the
# call goes on. Two consoles call each other through a private PulseAudio daemon (pulse_lib.sh),
# and the daemon is frozen (SIGSTOP) for 300 ms three times, one second apart. Measured here
# without XrunGuard: each console's duplex stream then reported an xrun or three and its round
# trip grew by about 435 ms for the rest of the call (delay every listener hears). Each
# console's device must replace its duplex stream (device_recoveries >= 1 in --stats-json),
# report no device problem, still run one duplex stream at the end, keep capturing to the end
# of the call (voice packets sent), end with an echo reference moved by less than 100 ms, and
# the call must end with a normal hang-up.
# Usage: pulse_recovery_test.sh HOTLINE
# Exits 77 (skipped) only when PulseAudio is not installed; anything else missing fails.
set -uo pipefail
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"  # see pulse_call_test.sh

hotline=$1
source "$(dirname "$0")/pulse_lib.sh"

start_pulse micA spkA micB spkB
make_profiles Alpha Bravo
call_seconds=12

HOTLINE_AUDIO_DEBUG=1 PULSE_SOURCE=micB.monitor PULSE_SINK=spkB "$hotline" "${b[@]}" answer \
  --input pulse --output pulse --stats-json "$work/b.json" > "$work/b.log" 2>&1 &
answer_pid=$!
wait_for 20 "B to listen" grep -qs "Waiting for calls" "$work/b.log"
HOTLINE_AUDIO_DEBUG=1 PULSE_SOURCE=micA.monitor PULSE_SINK=spkA "$hotline" "${a[@]}" call Bravo \
  --input pulse --output pulse --seconds "$call_seconds" --stats-json "$work/a.json" \
  > "$work/a.log" 2>&1 &
call_pid=$!
wait_for 20 "the call to connect" grep -qs "^Connected" "$work/a.log"

# Past the streams' 3 s start, then three freezes within 3 s: well inside XrunGuard's 10 s.
sleep 3
for _ in 1 2 3; do
  kill -STOP "$pulse_pid" || fail "freezing pulseaudio"
  sleep 0.3
  kill -CONT "$pulse_pid" || fail "thawing pulseaudio"
  sleep 0.7
done

wait "$call_pid"; status=$?; call_pid=""
[[ $status -eq 0 ]] || fail "call exited $status"
wait "$answer_pid"; status=$?; answer_pid=""
[[ $status -eq 0 ]] || fail "answer exited $status"
if grep -h "Audio problem" "$work/a.log" "$work/b.log"; then fail "a device reported a problem"; fi
grep -h "^PortAudio duplex stream" "$work/a.log" "$work/b.log" | sed 's/^/  /'
[[ $(grep -c "^PortAudio duplex stream" "$work/a.log" "$work/b.log" | grep -c ':1$') -eq 2 ]] ||
  fail "the consoles did not both end on one duplex stream"

python3 - "$work/a.json" "$work/b.json" <<'PY' || fail "call statistics"
import json, sys
a = json.loads(open(sys.argv[1]).read()); b = json.loads(open(sys.argv[2]).read())
for side, s in (("A", a), ("B", b)):
    print(side, {k: s.get(k) for k in ("end_reason", "duration_s", "voice_packets_sent",
          "device_xruns", "device_recoveries", "echo_reference_shift_ms", "capture_ok",
          "playback_ok")})
    assert s["device_recoveries"] >= 1, "the stream was not replaced"
    assert s["capture_ok"] and s["playback_ok"] and "device_problem" not in s
    # Capture went on through the new stream: a frame every 20 ms for most of the call.
    assert s["voice_packets_sent"] >= 0.8 * 50 * s["duration_s"], "capture stopped"
    assert s["echo_reference_shift_ms"] < 100.0
assert a["end_reason"] == "local_hangup" and b["end_reason"] == "remote_hangup"
PY
echo "PASSED"
