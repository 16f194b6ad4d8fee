#!/usr/bin/env bash
# What two `hotline` consoles in a call through a real sound server cost, thread by thread:
# context switches per second (wake-ups) and CPU (percent of one core), for the caller, the
# callee and the PulseAudio daemon they share.
#
# How: a private PulseAudio with null sinks as microphones and loudspeakers (the set-up of
# tests/audio/pulse_lib.sh), two throw-away profiles that know each other, and a call in which
# both consoles capture and play through PortAudio's ALSA `pulse` device. /proc is sampled
# 3 s after the call connected and again SECONDS later. Threads keep their names: the
# console's own are hotline-engine, hotline-records and hotline-card; PortAudio's callback
# thread is created by the engine thread and inherits its name (the second hotline-engine);
# threaded-ml are libpulse's.
#
# Usage: scripts/measure-live-call.sh HOTLINE_BINARY [SECONDS=20]
set -uo pipefail
[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: $0 HOTLINE_BINARY [SECONDS=20]" >&2; exit 2; }
hotline=$(realpath -e "$1") || exit 2
secs=${2:-20}
[[ $secs =~ ^[1-9][0-9]*$ ]] || { echo "SECONDS must be a positive integer" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/audio/pulse_lib.sh
source "$repo/tests/audio/pulse_lib.sh"
hz=$(getconf CLK_TCK)

start_pulse micA spkA micB spkB
make_profiles Alpha Bravo
PULSE_SOURCE=micB.monitor PULSE_SINK=spkB "$hotline" "${b[@]}" answer --input pulse \
  --output pulse --calls 1 > "$work/b.log" 2>&1 &
callee=$!
wait_for 20 "the callee to listen" grep -qs "Waiting for calls" "$work/b.log"
PULSE_SOURCE=micA.monitor PULSE_SINK=spkA "$hotline" "${a[@]}" call Bravo --input pulse \
  --output pulse --seconds $((secs + 6)) --stats-json "$work/a.json" > "$work/a.log" 2>&1 &
caller=$!
wait_for 20 "the call to connect" grep -qs "^Connected" "$work/a.log"
sleep 3

# snapshot PID: "tid name switches ticks" per thread
snapshot() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' _ < "$t/comm")" \
      "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")" \
      "$(awk '{print $14 + $15}' "$t/stat")"
  done 2>/dev/null | sort
}
declare -A before
for who in caller callee pulse; do
  case $who in caller) pid=$caller ;; callee) pid=$callee ;; pulse) pid=$pulse_pid ;; esac
  before[$who]=$(snapshot "$pid")
done
sleep "$secs"
for who in caller callee pulse; do
  case $who in caller) pid=$caller ;; callee) pid=$callee ;; pulse) pid=$pulse_pid ;; esac
  echo "== $who"
  join <(echo "${before[$who]}") <(snapshot "$pid") |
    awk -v s="$secs" -v hz="$hz" '{
      w = ($6 - $3) / s; c = ($7 - $4) / hz / s * 100; tw += w; tc += c
      printf "  %-16s %8.1f wake-ups/s %6.2f %% CPU\n", $2, w, c }
      END { printf "  %-16s %8.1f wake-ups/s %6.2f %% CPU\n", "all threads", tw, tc }'
done
wait "$caller" || fail "the call failed"
python3 - "$work/a.json" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
print("caller: %s of %s samples played were concealed; jitter buffer %s ms" % (
    stats["concealed_samples"], stats["total_samples_received"],
    stats["jitter_buffer_delay_ms"]))
PY
