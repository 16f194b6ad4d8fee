#!/usr/bin/env bash
# What a `hotline` console costs the machine while it waits for calls and while it is in one:
# CPU time (percent of one core) and context switches per second, the latter being the
# wake-ups (every time a thread blocks and is woken, or is preempted, counts one).
#
# How: two throw-away profiles, Beijing and Singapore, on loopback with free UDP ports, cards
# exchanged and verified. Headless audio (--play tests/data/speech-16k.wav, --record to temp
# files) so no sound card is involved; standard input is an open, silent FIFO, as a terminal
# nobody types on.
#  1. Idle: Singapore runs `hotline answer` with no call. After 2 s to settle, /proc is
#     sampled at the start and end of IDLE_SECONDS.
#  2. In a call: Singapore answers (`--calls 1`), Beijing calls it for CALL_SECONDS; both are
#     sampled together from 3 s after the call connected, for CALL_SECONDS - 6 s.
# CPU: utime+stime from /proc/PID/stat (and per thread /proc/PID/task/TID/stat) divided by
# `getconf CLK_TCK`; tick-sampled, so a column from schedstat (exact run time) is shown too.
# Wake-ups: voluntary_ctxt_switches + nonvoluntary_ctxt_switches summed over
# /proc/PID/task/*/status; a thread started during the window counts from zero, one that
# ended during it is listed as exited and left out of the sum.
#
# Usage: scripts/measure-engine-wakeups.sh HOTLINE_BINARY [IDLE_SECONDS=60] [CALL_SECONDS=30]
set -euo pipefail

die() { echo "measure-engine-wakeups: $*" >&2; exit 1; }
[[ $# -ge 1 && $# -le 3 ]] || {
  echo "usage: $0 HOTLINE_BINARY [IDLE_SECONDS=60] [CALL_SECONDS=30]" >&2; exit 2; }
hotline=$(realpath -e "$1" 2>/dev/null) || die "no such file: $1"
[[ -x $hotline ]] || die "$hotline is not executable"
idle_seconds=${2:-60}
call_seconds=${3:-30}
[[ $idle_seconds =~ ^[1-9][0-9]*$ ]] || die "IDLE_SECONDS must be a positive integer"
[[ $call_seconds =~ ^[0-9]+$ && $call_seconds -ge 8 ]] || die "CALL_SECONDS must be at least 8"
repo=$(cd "$(dirname "$0")/.." && pwd)
speech=$repo/tests/data/speech-16k.wav
[[ -r $speech ]] || die "missing $speech"
hz=$(getconf CLK_TCK)

work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  exec 3>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_udp_port() {
  python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for_line() {  # wait_for_line FILE PATTERN PID: until a line matches (at most 20 s)
  for _ in $(seq 200); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; die "process $3 exited before '$2'"; }
    sleep 0.1
  done
  cat "$1" >&2; die "timed out waiting for '$2' in $1"
}
run() {  # run WHAT COMMAND...: quietly, the output shown only on failure
  local what=$1; shift
  "$@" > "$work/step.log" 2>&1 || { cat "$work/step.log" >&2; die "$what failed"; }
}

# snapshot PID > FILE: "P TICKS" for the process, then per live thread
# "T TID COMM TICKS VOLUNTARY NONVOLUNTARY RUN_NS WAITING_IN" (the system call it sleeps in,
# which tells the unnamed threads apart: epoll_wait is the engine's event loop, and so on)
declare -A syscalls=([7]=poll [202]=futex [232]=epoll_wait [281]=epoll_pwait [128]=sigtimedwait
  [230]=clock_nanosleep [35]=nanosleep [271]=ppoll [0]=read [23]=select [441]=epoll_pwait2)
snapshot() {
  local pid=$1 dir tid comm stat run status sc vol nonvol
  local re_vol=$'\n''voluntary_ctxt_switches:[[:space:]]+([0-9]+)'
  local re_nonvol='nonvoluntary_ctxt_switches:[[:space:]]+([0-9]+)'
  local -a f
  read -r stat < "/proc/$pid/stat" 2>/dev/null || die "process $pid is gone"
  read -ra f <<< "${stat##*) }"
  echo "P $((f[11] + f[12]))"
  for dir in /proc/"$pid"/task/*; do
    tid=${dir##*/}
    { read -r comm < "$dir/comm" && read -r stat < "$dir/stat" &&
      read -r run _ < "$dir/schedstat"; } 2>/dev/null || continue
    read -ra f <<< "${stat##*) }"
    # status in one sequential read: `read` line by line seeks back after each line, and a
    # seek regenerates a /proc file, so a counter that grew a digit would shift the lines.
    status=$(cat "$dir/status" 2>/dev/null) || continue
    [[ $status =~ $re_vol ]] || continue
    vol=${BASH_REMATCH[1]}
    [[ $status =~ $re_nonvol ]] || continue
    nonvol=${BASH_REMATCH[1]}
    read -r sc _ 2>/dev/null < "$dir/syscall" || sc="?"
    [[ $sc =~ ^[0-9]+$ ]] && sc=${syscalls[$sc]:-syscall-$sc}
    echo "T $tid ${comm// /_} $((f[11] + f[12])) $vol $nonvol $run $sc"
  done
}

# measure SECONDS LABEL PID [LABEL PID...]: samples every process at once, then reports each
measure() {
  local seconds=$1; shift
  local -a labels=() procs=()
  while [[ $# -gt 0 ]]; do labels+=("$1"); procs+=("$2"); shift 2; done
  local i t0 t1
  for i in "${!procs[@]}"; do snapshot "${procs[i]}" > "$work/start.$i"; done
  t0=$(date +%s.%N)
  sleep "$seconds" & wait $!  # (so a signal to the script is handled at once)
  for i in "${!procs[@]}"; do snapshot "${procs[i]}" > "$work/end.$i"; done
  t1=$(date +%s.%N)
  for i in "${!procs[@]}"; do
    awk -v label="${labels[i]}" -v pid="${procs[i]}" -v hz="$hz" -v t0="$t0" -v t1="$t1" '
      FNR == 1 { file++ }
      file == 1 && $1 == "P" { p0 = $2 }
      file == 1 && $1 == "T" { s_tick[$2] = $4; s_vol[$2] = $5; s_inv[$2] = $6; s_ns[$2] = $7 }
      file == 2 && $1 == "P" { p1 = $2 }
      file == 2 && $1 == "T" { n++; tid[n] = $2; comm[$2] = $3; e_tick[$2] = $4
                               e_vol[$2] = $5; e_inv[$2] = $6; e_ns[$2] = $7; sc[$2] = $8; seen[$2] = 1 }
      END {
        d = t1 - t0
        printf "== %s (pid %d), %.1f s\n", label, pid, d
        printf "  %-8s %-16s %8s %10s %11s %8s %8s  %s\n", "TID", "COMM", "CPU%", "CPU%(sch)",
               "wakeups/s", "vol/s", "invol/s", "WAITING_IN"
        for (k = 1; k <= n; k++) {
          t = tid[k]; new = !(t in s_tick)
          dt = e_tick[t] - (new ? 0 : s_tick[t]); dv = e_vol[t] - (new ? 0 : s_vol[t])
          di = e_inv[t] - (new ? 0 : s_inv[t]); dn = e_ns[t] - (new ? 0 : s_ns[t])
          sv += dv; si += di; sn += dn
          printf "  %-8s %-16s %8.3f %10.3f %11.1f %8.1f %8.1f  %-15s%s\n", t, comm[t],
                 100 * dt / hz / d, 100 * dn / 1e9 / d, (dv + di) / d, dv / d, di / d, sc[t],
                 new ? "  (started during the window)" : ""
        }
        for (t in s_tick) if (!(t in seen)) printf "  %-8s (exited during the window)\n", t
        printf "  PROCESS: CPU %.3f %% of one core (stat), %.3f %% (schedstat);" \
               " wake-ups %.1f/s (voluntary %.1f/s, involuntary %.1f/s), %d threads\n",
               100 * (p1 - p0) / hz / d, 100 * sn / 1e9 / d, (sv + si) / d, sv / d, si / d, n
      }' "$work/start.$i" "$work/end.$i"
  done
}

echo "hotline: $hotline (sha256 $(sha256sum "$hotline" | cut -c1-16))"
echo "machine: $(nproc) cores, kernel $(uname -r), CLK_TCK $hz;" \
  "idle ${idle_seconds} s, call ${call_seconds} s"

# ---- Two consoles, cards exchanged and verified ----------------------------------------------
port_bj=$(free_udp_port)
port_sg=$(free_udp_port)
[[ $port_bj != "$port_sg" ]] || port_sg=$(free_udp_port)
bj=(--profile "$work/beijing")
sg=(--profile "$work/singapore")
printf 'measure administrator\n' > "$work/admin.pass"
printf 'measure operator\n' > "$work/operator.pass"
roles=(--admin-passphrase-file "$work/admin.pass" --operator-passphrase-file "$work/operator.pass")
admin=(--role-passphrase-file "$work/admin.pass")
run "init Beijing" "$hotline" "${bj[@]}" init --name Beijing --listen "127.0.0.1:$port_bj" "${roles[@]}"
run "init Singapore" "$hotline" "${sg[@]}" init --name Singapore --listen "127.0.0.1:$port_sg" "${roles[@]}"
"$hotline" "${bj[@]}" card > "$work/beijing.card" || die "card Beijing failed"
"$hotline" "${sg[@]}" card > "$work/singapore.card" || die "card Singapore failed"
run "import Singapore's card" "$hotline" "${bj[@]}" peer import "$work/singapore.card" "${admin[@]}"
run "import Beijing's card" "$hotline" "${sg[@]}" peer import "$work/beijing.card" "${admin[@]}"
run "verify Singapore" "$hotline" "${bj[@]}" peer verify Singapore --by measure "${admin[@]}"
run "verify Beijing" "$hotline" "${sg[@]}" peer verify Beijing --by measure "${admin[@]}"

# Standard input for the consoles: open and silent, like a terminal nobody types on.
mkfifo "$work/stdin"
exec 3<> "$work/stdin"

# ---- 1. Idle ---------------------------------------------------------------------------------
"$hotline" "${sg[@]}" answer --play "$speech" --record "$work/idle.wav" <&3 > "$work/idle.log" 2>&1 &
idle_pid=$!
pids+=("$idle_pid")
wait_for_line "$work/idle.log" "Waiting for calls" "$idle_pid"
sleep 2
echo
echo "#### Idle: waiting for calls, ${idle_seconds} s"
measure "$idle_seconds" "Singapore: hotline answer, idle" "$idle_pid"
kill -TERM "$idle_pid"
wait "$idle_pid" || true
pids=()

# ---- 2. In a call ----------------------------------------------------------------------------
"$hotline" "${sg[@]}" answer --calls 1 --play "$speech" --record "$work/heard-sg.wav" <&3 \
  > "$work/answer.log" 2>&1 &
answer_pid=$!
pids+=("$answer_pid")
wait_for_line "$work/answer.log" "Waiting for calls" "$answer_pid"
"$hotline" "${bj[@]}" call Singapore --seconds "$call_seconds" --play "$speech" \
  --record "$work/heard-bj.wav" <&3 > "$work/call.log" 2>&1 &
call_pid=$!
pids+=("$call_pid")
wait_for_line "$work/call.log" "Connected" "$call_pid"
sleep 3
window=$((call_seconds - 6))
echo
echo "#### In a call: ${call_seconds} s call, sampled from 3 s after it connected for ${window} s"
measure "$window" "Beijing: hotline call (caller)" "$call_pid" \
  "Singapore: hotline answer --calls 1 (callee)" "$answer_pid"
call_status=0; wait "$call_pid" || call_status=$?
answer_status=0; wait "$answer_pid" || answer_status=$?
pids=()
if [[ $call_status -ne 0 || $answer_status -ne 0 ]]; then
  echo "--- call.log"; cat "$work/call.log"; echo "--- answer.log"; cat "$work/answer.log"
  die "the call did not end cleanly (call exit $call_status, answer exit $answer_status)"
fi
echo
echo "Both consoles ended the call cleanly; figures above."
