#!/usr/bin/env bash
# What a call through a real sound server costs: two `hotline` consoles against two baresip
# and two linphonec clients, on the same private PulseAudio, in the same run, interleaved.
#
# Set-up (as in docs/performance.md): a private PulseAudio with 48 kHz mono null sinks as the
# microphones and loudspeakers (tests/audio/pulse_lib.sh); every program captures and plays
# through ALSA's `pulse` plug-in (hotline: PortAudio's ALSA device `pulse`; baresip: its alsa
# module on `pulse`; linphonec: the ALSA card `default`, which the pulse plug-in serves);
# speech is played into both microphones for the whole call; Opus 32 kb/s, 20 ms frames, each
# program's encryption on (hotline: its own; baresip and linphonec: SRTP), voice processing
# on (hotline: echo cancellation and noise suppression; baresip: speex_pp noise suppression —
# Debian's baresip has no echo canceller; linphonec: its echo canceller); loopback only.
#
# Each run: the callee idles IDLE seconds (measured), the call connects, 3 s warm-up, then
# SECONDS measured. Per process: CPU (% of one core, all threads), wake-ups per second
# (context switches over its threads), resident memory at the end; and the sound server's CPU.
# Prints one line per run, then the median per program and its ratio to hotline's.
#
# Usage: scripts/compare-live-call.sh HOTLINE_BINARY [SECONDS=60] [REPEATS=3]
#                                      [PROGRAMS="hotline baresip linphonec"] [IDLE=10]
# A program that is not installed is skipped with a note (baresip-core, linphone-cli).
set -uo pipefail
# Under AddressSanitizer (CI's short run): see tests/audio/pulse_call_test.sh.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
[[ $# -ge 1 && $# -le 5 ]] || {
  echo "usage: $0 HOTLINE_BINARY [SECONDS=60] [REPEATS=3] [PROGRAMS] [IDLE=10]" >&2
  exit 2
}
hotline=$(realpath -e "$1") || exit 2
secs=${2:-60}
repeats=${3:-3}
programs=${4:-hotline baresip linphonec}
idle_secs=${5:-10}
for n in "$secs" "$repeats" "$idle_secs"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "SECONDS, REPEATS and IDLE must be positive integers" >&2; exit 2; }
done
repo=$(cd "$(dirname "$0")/.." && pwd)
speech=$repo/tests/data/speech-16k.wav
hz=$(getconf CLK_TCK)
# shellcheck source=../tests/audio/pulse_lib.sh
source "$repo/tests/audio/pulse_lib.sh"

available=()
for p in $programs; do
  case $p in
    hotline) available+=(hotline) ;;
    baresip | linphonec)
      if command -v "$p" > /dev/null; then available+=("$p"); else
        echo "note: $p is not installed; skipped (apt-get install baresip-core linphone-cli)"
      fi ;;
    *) echo "unknown program '$p' (hotline, baresip, linphonec)" >&2; exit 2 ;;
  esac
done

start_pulse micA spkA micB spkB
make_profiles Alpha Bravo

# Each program: start_callee and start_caller PROGRAM DIR start one side and return once it
# listens / the call connected (setting $callee / $caller); stop_pair ends both.
sip_a=$((20000 + RANDOM % 10000))
sip_b=$((sip_a + 20))

baresip_config() {  # DIR PORT USER
  mkdir -p "$1"
  cat > "$1/config" <<EOF
poll_method epoll
sip_listen 127.0.0.1:$2
net_interface 127.0.0.1
audio_player alsa,pulse
audio_source alsa,pulse
audio_alert alsa,pulse
audio_srate 48000
audio_channels 1
module_path /usr/lib/baresip/modules
module opus.so
module srtp.so
module alsa.so
module speex_pp.so
module_app account.so
module_app menu.so
opus_bitrate 32000
opus_stereo no
opus_sprop_stereo no
opus_complexity 9
EOF
  echo "<sip:$3@127.0.0.1:$2>;regint=0;mediaenc=srtp-mand;answermode=auto;ptime=20;audio_codecs=opus/48000/1" \
    > "$1/accounts"
  touch "$1/contacts"
}

linphonec_config() {  # FILE PORT RTP_PORT USER: loopback only, databases beside FILE
  local codec i=1
  cat > "$1" <<EOF
[sound]
playback_dev_id=ALSA Unknown: default
ringer_dev_id=ALSA Unknown: default
capture_dev_id=ALSA Unknown: default
media_dev_id=ALSA Unknown: default
echocancellation=1
[sip]
guess_hostname=0
contact=sip:$4@127.0.0.1
sip_port=$2
sip_tcp_port=0
sip_tls_port=0
ipv6_migration_done=1
use_ipv6=0
bind_address=127.0.0.1
media_encryption=srtp
media_encryption_mandatory=1
[rtp]
audio_rtp_port=$3
audio_rtcp_port=$(($3 + 1))
bind_address=127.0.0.1
[storage]
backend=sqlite3
uri=$1.db
call_logs_db_uri=$1-calls.db
zrtp_secrets_db_uri=$1-zrtp.db
[video]
enabled=0
automatically_initiate=0
automatically_accept=0
[audio_codec_0]
mime=opus
rate=48000
channels=2
enabled=1
bitrate=48000
EOF
  # bitrate is the network rate: 48 kb/s at 20 ms is Opus at 32 kb/s. The other codecs are off.
  for codec in speex/16000 speex/8000 PCMU/8000 PCMA/8000 G729/8000; do
    printf '[audio_codec_%d]\nmime=%s\nrate=%s\nchannels=1\nenabled=0\n' "$i" "${codec%/*}" \
      "${codec#*/}" >> "$1"
    i=$((i + 1))
  done
}

start_callee() {  # PROGRAM RUN_DIR
  local dir=$2
  case $1 in
    hotline)
      PULSE_SOURCE=micB.monitor PULSE_SINK=spkB HOTLINE_AUDIO_DEBUG=1 "$hotline" "${b[@]}" \
        answer --input pulse --output pulse --calls 1 --stats-json "$dir/b.json" \
        > "$dir/b.log" 2>&1 &
      callee=$!
      wait_for 20 "the callee to listen" grep -qs "Waiting for calls" "$dir/b.log" ;;
    baresip)
      baresip_config "$dir/b" "$sip_b" bravo
      PULSE_SOURCE=micB.monitor PULSE_SINK=spkB baresip -f "$dir/b" < /dev/null > "$dir/b.log" 2>&1 &
      callee=$!
      wait_for 20 "the callee to listen" grep -qs "baresip is ready" "$dir/b.log" ;;
    linphonec)
      linphonec_config "$dir/b.rc" "$sip_b" $((sip_b + 2)) bravo
      mkfifo "$dir/b.in"
      PULSE_SOURCE=micB.monitor PULSE_SINK=spkB linphonec -c "$dir/b.rc" -a < "$dir/b.in" \
        > "$dir/b.log" 2>&1 &
      callee=$!
      exec {callee_in}> "$dir/b.in"
      wait_for 20 "the callee to listen" grep -qs "linphonec>" "$dir/b.log" ;;
  esac
}

start_caller() {  # PROGRAM RUN_DIR
  local dir=$2
  case $1 in
    hotline)
      PULSE_SOURCE=micA.monitor PULSE_SINK=spkA HOTLINE_AUDIO_DEBUG=1 "$hotline" "${a[@]}" \
        call Bravo --input pulse --output pulse --seconds $((secs + 30)) \
        --stats-json "$dir/a.json" > "$dir/a.log" 2>&1 &
      caller=$!
      wait_for 20 "the call to connect" grep -qs "^Connected" "$dir/a.log" ;;
    baresip)
      baresip_config "$dir/a" "$sip_a" alpha
      PULSE_SOURCE=micA.monitor PULSE_SINK=spkA baresip -f "$dir/a" \
        -e "/dial sip:bravo@127.0.0.1:$sip_b" < /dev/null > "$dir/a.log" 2>&1 &
      caller=$!
      wait_for 20 "the call to connect" grep -qs "Call established" "$dir/a.log" ;;
    linphonec)
      linphonec_config "$dir/a.rc" "$sip_a" $((sip_a + 2)) alpha
      mkfifo "$dir/a.in"
      PULSE_SOURCE=micA.monitor PULSE_SINK=spkA linphonec -c "$dir/a.rc" \
        -s "sip:bravo@127.0.0.1:$sip_b" < "$dir/a.in" > "$dir/a.log" 2>&1 &
      caller=$!
      exec {caller_in}> "$dir/a.in"
      wait_for 20 "the call to connect" grep -qs "^Call 1 with .* connected" "$dir/a.log" ;;
  esac
}

stop_pair() {  # PROGRAM
  case $1 in
    hotline) kill -INT "$caller" ;;  # hangs up; the callee then ends after its one call
    baresip) kill -TERM "$caller" "$callee" ;;
    linphonec)
      echo terminate >&"$caller_in"; echo quit >&"$caller_in"; echo quit >&"$callee_in"
      exec {caller_in}>&- {callee_in}>&- ;;
  esac
  local pid
  for pid in "$caller" "$callee"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
}

# usage PID: "ticks switches" for the whole process now
usage() {
  local ticks switches
  ticks=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return 1
  switches=$(cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}')
  echo "$ticks $switches"
}
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }
# rate BEFORE AFTER SECONDS: "cpu% wake-ups/s"
rate() {
  awk -v s="$3" -v hz="$hz" -v b="$1" -v a="$2" 'BEGIN {
    split(b, x, " "); split(a, y, " ");
    printf "%.2f %.0f", (y[1] - x[1]) / hz / s * 100, (y[2] - x[2]) / s }'
}

feed_speech() {  # SINK: plays the speech into it, over and over, until terminated
  local child=""
  trap '[[ -n $child ]] && kill "$child" 2>/dev/null; exit 0' TERM
  while :; do
    paplay --device="$1" "$speech" &
    child=$!
    wait "$child" || return
  done
}

results=$work/results.txt
: > "$results"
printf '%-10s %3s %8s %8s %8s %8s %9s %9s %8s %8s %9s\n' program run "A cpu%" "B cpu%" \
  "A wake/s" "B wake/s" "A MiB" "B MiB" "srv cpu%" "idle cpu%" "idle w/s"
for run in $(seq "$repeats"); do
  for p in "${available[@]}"; do
    dir=$work/$p-$run
    mkdir -p "$dir"
    start_callee "$p" "$dir"
    sleep 1  # past start-up work
    before_idle=$(usage "$callee")
    sleep "$idle_secs"
    idle=$(rate "$before_idle" "$(usage "$callee")" "$idle_secs")
    feed_speech micA & feeder_a=$!
    feed_speech micB & feeder_b=$!
    start_caller "$p" "$dir"
    sleep 3
    b_caller=$(usage "$caller"); b_callee=$(usage "$callee"); b_pulse=$(usage "$pulse_pid")
    sleep "$secs"
    r_caller=$(rate "$b_caller" "$(usage "$caller")" "$secs")
    r_callee=$(rate "$b_callee" "$(usage "$callee")" "$secs")
    r_pulse=$(rate "$b_pulse" "$(usage "$pulse_pid")" "$secs")
    m_caller=$(rss_mib "$caller"); m_callee=$(rss_mib "$callee")
    kill -0 "$caller" 2>/dev/null && kill -0 "$callee" 2>/dev/null ||
      fail "$p: a side ended before the measurement did"
    stop_pair "$p"
    kill "$feeder_a" "$feeder_b" 2>/dev/null; wait "$feeder_a" "$feeder_b" 2>/dev/null
    read -r ca cw <<< "$r_caller"; read -r ea ew <<< "$r_callee"; read -r pa _ <<< "$r_pulse"
    read -r ia iw <<< "$idle"
    printf '%-10s %3d %8s %8s %8s %8s %9s %9s %8s %8s %9s\n' "$p" "$run" "$ca" "$ea" "$cw" "$ew" \
      "$m_caller" "$m_callee" "$pa" "$ia" "$iw" | tee -a "$results"
    if [[ $p == hotline ]]; then
      grep -h "^PortAudio" "$dir/a.log" "$dir/b.log" | sed 's/^/    /'
      python3 - "$dir/a.json" "$dir/b.json" <<'PY' || fail "hotline statistics"
import json, sys
for side, path in (("A", sys.argv[1]), ("B", sys.argv[2])):
    s = json.loads(open(path).read().splitlines()[-1])
    print("    %s: %s of %s samples concealed (%s events, %s delay stretches), %s lost, "
          "%s late, jitter buffer %.0f ms, %s" % (
        side, s["concealed_samples"], s["total_samples_received"], s["concealment_events"],
        s["delay_stretches"], s["lost"], s["late"], s["jitter_buffer_delay_ms"],
        s["end_reason"]))
PY
    fi
  done
done

for p in "${available[@]}"; do
  grep -q "^$p " "$results" || fail "no run of $p completed"
done
echo
echo "Medians over $repeats run(s) of ${secs} s (ratio to hotline's median):"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows.setdefault(f[0], []).append([float(x) for x in f[2:]])
names = ["A cpu%", "B cpu%", "A wake/s", "B wake/s", "A MiB", "B MiB", "srv cpu%", "idle cpu%",
         "idle w/s"]
med = {p: [statistics.median(r[i] for r in runs) for i in range(len(names))]
       for p, runs in rows.items()}
base = med.get("hotline")
for p, values in med.items():
    cells = []
    for i, v in enumerate(values):
        ratio = ""
        if base and p != "hotline" and base[i] > 0:
            ratio = " (%.2f)" % (v / base[i])
        cells.append("%s %.2f%s" % (names[i], v, ratio))
    print("  %-10s %s" % (p, "; ".join(cells)))
    print("  %-10s pair CPU per run: %s" % ("", ", ".join("%.1f" % (r[0] + r[1])
                                                          for r in rows[p])))
PY
