# Shared by the live audio tests (source it): a private PulseAudio daemon with null sinks as
# microphones and loudspeakers, and two console profiles that know each other.
# Expects $hotline; sets $work (removed at exit), and the environment every pulse client and
# console started afterwards uses to reach the private daemon.
# Exits 77 (skipped) only when PulseAudio is not installed; anything else missing fails.

if ! command -v pulseaudio >/dev/null; then
  echo "SKIP: pulseaudio is not installed (scripts/bootstrap.sh installs it)"
  exit 77
fi
for tool in pactl paplay parec parecord python3; do
  command -v "$tool" >/dev/null || { echo "FAILED: $tool is missing"; exit 1; }
done

work=$(mktemp -d)
pulse_pid=""
# Ends what this script started and is still running (consoles, recorders, the monitors'
# readers), then the daemon they talk to.
cleanup() {
  local pid others=()
  for pid in $(jobs -p); do [[ $pid == "$pulse_pid" ]] || others+=("$pid"); done
  for pid in "${others[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${others[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ -n $pulse_pid ]]; then kill "$pulse_pid" 2>/dev/null; wait "$pulse_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*"
  local log
  for log in "$work"/*.log; do
    [[ -s $log ]] && { echo "--- ${log##*/}"; tail -n 20 "$log"; }
  done
  exit 1
}
# wait_for SECONDS DESCRIPTION COMMAND...: polls every 0.1 s until the command succeeds.
wait_for() {
  local tries=$(($1 * 10)) what=$2; shift 2
  until "$@"; do
    tries=$((tries - 1))
    [[ $tries -gt 0 ]] || fail "timed out waiting for $what"
    sleep 0.1
  done
}

# start_pulse SINK...: a daemon of our own, reachable only through its socket in our
# temporary directory (so neither a user's session nor another test run is touched), with a
# 48 kHz mono null sink per name, running as a sound card would.
start_pulse() {
  export HOME=$work/home XDG_RUNTIME_DIR=$work/run PULSE_RUNTIME_PATH=$work/run/pulse
  export PULSE_SERVER=unix:$PULSE_RUNTIME_PATH/native
  mkdir -p "$HOME/.config/pulse" "$PULSE_RUNTIME_PATH"
  chmod 700 "$XDG_RUNTIME_DIR" "$PULSE_RUNTIME_PATH"
  # No shared memory between clients and daemon: PulseAudio 16's memfd block import has
  # aborted the daemon here (memblock.c assertion), and copying over the socket costs nothing
  # at this rate.
  printf 'autospawn = no\nenable-shm = no\nenable-memfd = no\n' > "$HOME/.config/pulse/client.conf"
  local name sinks=()
  for name in idle "$@"; do  # the first one becomes the default: nothing uses it
    sinks+=(-L "module-null-sink sink_name=$name rate=48000 channels=1 format=s16le")
  done
  pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --use-pid-file=no \
    --disable-shm=yes --log-target=stderr --log-level=warning \
    -L "module-native-protocol-unix auth-anonymous=1 socket=$PULSE_RUNTIME_PATH/native" \
    "${sinks[@]}" 2> "$work/pulse.log" &
  pulse_pid=$!
  wait_for 15 "pulseaudio to start" pulse_up

  # A null sink renders in 2 s blocks until a low-latency client asks for less, and the
  # change only takes effect at the next block: a stream started before then gets no
  # callbacks for up to 2 s. A low-latency reader on each monitor, whose first data marks
  # that boundary, makes the sinks run as a sound card would.
  keeper_sinks=("$@")
  for name in "$@"; do
    parec --device="$name.monitor" --latency-msec=10 > "$work/keeper.$name" &
  done
  wait_for 15 "the null sinks to run" sinks_running

  "$hotline" devices > "$work/devices.txt" 2>&1 || fail "hotline devices"
  grep -q ' pulse$' "$work/devices.txt" ||
    fail "PortAudio lists no 'pulse' device (libasound2-plugins missing?): $(cat "$work/devices.txt")"
}
pulse_up() { kill -0 "$pulse_pid" 2>/dev/null || fail "pulseaudio exited"; pactl info >/dev/null 2>&1; }
sinks_running() {
  local name
  for name in "${keeper_sinks[@]}"; do [[ -s $work/keeper.$name ]] || return 1; done
}

# make_profiles NAME_A NAME_B: profiles $work/a and $work/b (arrays a and b hold the option),
# listening on free-ish local ports, each with the other as a peer.
make_profiles() {
  local port_a=$((40000 + RANDOM % 10000))
  a=(--profile "$work/a")
  b=(--profile "$work/b")
  local admin=(--role-passphrase-file "$work/admin.pass")
  printf 'administrator passphrase\n' > "$work/admin.pass"
  "$hotline" "${a[@]}" init --name "$1" --listen "127.0.0.1:$port_a" \
    --admin-passphrase-file "$work/admin.pass" > /dev/null || fail "init $1"
  "$hotline" "${b[@]}" init --name "$2" --listen "127.0.0.1:$((port_a + 1))" \
    --admin-passphrase-file "$work/admin.pass" > /dev/null || fail "init $2"
  "$hotline" "${a[@]}" card > "$work/a.card" || fail "card $1"
  "$hotline" "${b[@]}" card > "$work/b.card" || fail "card $2"
  "$hotline" "${a[@]}" peer import "$work/b.card" "${admin[@]}" > /dev/null ||
    fail "import $2 into $1"
  "$hotline" "${b[@]}" peer import "$work/a.card" "${admin[@]}" > /dev/null ||
    fail "import $1 into $2"
}

# seconds_of WAV: its length in whole seconds, rounded up.
seconds_of() {
  python3 -c "import sys, wave; w = wave.open(sys.argv[1]); \
print(int(w.getnframes() / w.getframerate()) + 1)" "$1" || fail "reading $1"
}
