#!/usr/bin/env bash
# Live echo cancellation end to end. Singapore answers on real PortAudio streams (ALSA's
# "pulse" device) whose loudspeaker is fed back into its microphone by PulseAudio, as a room
# would; Singapore itself says nothing. Beijing calls headless, plays speech and records what
# comes back:
#   speech --Beijing--> call --(Singapore plays to spkS)--> spkS.monitor --module-loopback-->
#   micS --(Singapore captures micS.monitor)--> call --> Beijing's recording
# Three calls: Singapore with --no-aec, with its default voice processing, and with the
# default again while PulseAudio kills Singapore's playback stream mid-call, which usually ends
# its duplex stream: Singapore must carry on unnoticed in duplex mode and cancel the echo
# again. Over the last seconds of the speech, the recordings with AEC must be at least MIN_DB
# quieter than without (judge_aec says when a call is measured again); under ThreadSanitizer
# they are reported, not judged.
# Usage: pulse_echo_test.sh HOTLINE HOTLINE_WAV_COMPARE TEST_DATA_DIR [MIN_DB]
# Exits 77 (skipped) only when PulseAudio is not installed; anything else missing fails.
set -uo pipefail
# Under AddressSanitizer: PortAudio's ALSA and PulseAudio plugins are unloaded with memory still
# allocated, and the leak report then names no module, so it cannot be suppressed selectively
# (tests/support/leak_check_pause.hpp). Leak checking stays on for the unit tests.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

hotline=$1
compare=$2
data=$3
min_db=${4:-10}
loop_latency_ms=40  # the "room": loudspeaker to microphone

source "$(dirname "$0")/pulse_lib.sh"

start_pulse micS spkS
# adjust_time=0: no rate adaptation, so the room's delay holds still (both null sinks run on
# the daemon's one clock, so it does not drift). The command-line module lets the test kill a
# client's stream, which pactl cannot.
pactl load-module module-loopback source=spkS.monitor sink=micS adjust_time=0 \
  latency_msec=$loop_latency_ms > /dev/null || fail "loading module-loopback"
pactl load-module module-cli-protocol-unix socket="$PULSE_RUNTIME_PATH/cli" > /dev/null ||
  fail "loading module-cli-protocol-unix"
make_profiles Beijing Singapore  # a: Beijing, b: Singapore

speech=$data/speech-16k.wav
speech_seconds=$(seconds_of "$speech") || fail "reading $speech"
# The canceller needs a few seconds of far-end speech to converge: judge the last five (four
# after the stream was killed 3 s in).
to_s=$speech_seconds

# Singapore's playback stream: the one sink input on spkS that a client made.
singapore_playback() {
  local spk
  spk=$(pactl list short sinks | awk '$2 == "spkS" {print $1}')
  pactl list short sink-inputs | awk -v spk="$spk" '$2 == spk && $4 == "protocol-native.c" {print $1}'
}
kill_sink_input() {
  python3 - "$PULSE_RUNTIME_PATH/cli" "$1" <<'PY'
import socket, sys
with socket.socket(socket.AF_UNIX) as s:
    s.connect(sys.argv[1])
    s.sendall(f"kill-sink-input {sys.argv[2]}\n".encode())
    s.shutdown(socket.SHUT_WR)
PY
}

# echo_call MODE FROM_SECONDS [SINGAPORE OPTIONS...]: one call; sets $level to Beijing's level
# from FROM_SECONDS to the end of the speech.
echo_call() {
  local mode=$1 from_s=$2; shift 2
  HOTLINE_AUDIO_DEBUG=1 PULSE_SOURCE=micS.monitor PULSE_SINK=spkS "$hotline" "${b[@]}" \
    answer --input pulse --output pulse "$@" > "$work/singapore.log" 2>&1 &
  local answer_pid=$!
  wait_for 20 "Singapore to listen" grep -qs "Waiting for calls" "$work/singapore.log"
  # Beijing's own canceller would have nothing to cancel (its microphone is a file) and is
  # left out, so the figures are Singapore's alone.
  "$hotline" "${a[@]}" call Singapore --play "$speech" --record "$work/beijing-$mode.wav" \
    --no-aec --seconds $((speech_seconds + 1)) > "$work/beijing.log" 2>&1 &
  local call_pid=$!
  if [[ $mode == restart ]]; then
    wait_for 20 "the call to connect" grep -qs "^Connected" "$work/beijing.log"
    has_playback() { [[ -n $(singapore_playback) ]]; }
    wait_for 10 "Singapore's playback stream" has_playback
    local victim
    victim=$(singapore_playback)
    sleep 3  # the call lasts 12 s: this is early on, with time left to converge again
    kill_sink_input "$victim" || fail "killing Singapore's playback stream"
    new_playback() { local now; now=$(singapore_playback); [[ -n $now && $now != "$victim" ]]; }
    wait_for 10 "Singapore to open a new playback stream" new_playback
  fi
  wait "$call_pid" || fail "Beijing's call ($mode) failed"
  wait "$answer_pid" || fail "Singapore's answer ($mode) failed"
  if grep -h "Audio problem" "$work/singapore.log"; then fail "Singapore's device failed"; fi
  # HOTLINE_AUDIO_DEBUG=1: the device says how it ran when it closes.
  device=$(grep -h "^PortAudio .*input device.*output device" "$work/singapore.log")
  echo "  $mode: $device"
  level=$("$compare" --level "$work/beijing-$mode.wav" "$from_s" "$to_s") ||
    fail "measuring the $mode recording"
  echo "  $mode: $level"
}

# removed_db WITH WITHOUT: how much quieter the first level line is than the second, by the
# median of half-second levels ("level L dBFS from F s to T s, median M dBFS"). The median,
# not the RMS, so that a second of adapting after a stream xrun does not decide.
removed_db() {
  python3 - "$1" "$2" <<'PY'
import sys
median = lambda text: float(text.split()[-2])
print(f"{median(sys.argv[2]) - median(sys.argv[1]):.1f}")
PY
}

# judge_aec NAME FROM_SECONDS WITHOUT_LEVEL [SINGAPORE OPTIONS...]: calls with AEC until one
# is judged. A call whose echo path was disturbed (a host xrun, a reference shift or a duplex
# restart, which the device reports with its time) later than settle_s before the judged
# stretch measured a canceller still adapting, not a failing one: when it also came out short,
# it is called again, up to three times. A short result on an undisturbed path fails at once;
# a good result counts however the path went.
settle_s=2
judge_aec() {
  local name=$1 from_s=$2 without=$3; shift 3
  local attempt removed disturbed
  for attempt in 1 2 3; do
    echo_call "$name" "$from_s" "$@"
    # Singapore must stay in duplex mode, with the exact echo reference, whatever PortAudio's
    # ALSA code does after an xrun (end the stream, so Singapore opens a new one, or recover
    # it by itself).
    [[ $device == "PortAudio duplex stream: "* ]] ||
      fail "Singapore did not stay on a duplex stream ($name)"
    removed=$(removed_db "$level" "$without") || fail "comparing the $name levels"
    echo "echo removed through PulseAudio, $name: $removed dB by the median (at least" \
      "$min_db dB wanted)"
    python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" \
      "$removed" "$min_db" && return 0
    disturbed=$(sed -n 's/.*echo path last disturbed \([0-9.]*\) s after start.*/\1/p' \
      <<< "$device")
    if [[ -z $disturbed ]] ||
      python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" \
        "$disturbed" "$((from_s - settle_s))"; then
      fail "AEC does not remove the echo ($name; echo path steady from $((from_s - settle_s)) s)"
    fi
    echo "  the echo path was disturbed $disturbed s into the call, less than ${settle_s} s" \
      "before the judged stretch from $from_s s: calling again"
  done
  fail "AEC could not be judged ($name): the echo path was disturbed late in every call"
}

# Without AEC first: the echo must come back about as loud as the speech, and its level is
# what the canceller is measured against.
echo_call no-aec $((speech_seconds - 5)) --no-aec
without_aec=$level
python3 -c "import sys; sys.exit(0 if float(sys.argv[1].split()[-2]) > -40 else 1)" \
  "$without_aec" || fail "without AEC the echo should come back about as loud as the speech"
"$compare" --level "$work/beijing-no-aec.wav" $((speech_seconds - 4)) "$to_s" > "$work/level" ||
  fail "measuring the no-aec recording"
without_aec_late=$(cat "$work/level")

# Under ThreadSanitizer (HOTLINE_TSAN=1, set by CMake) the console's own code runs 5-15 times
# slower, and how well the canceller keeps up with the live streams says more about the
# instrumentation than about the canceller: both calls with AEC are made and reported there,
# for TSan to watch the threads, and judged in every other build.
if [[ ${HOTLINE_TSAN:-0} == 1 ]]; then
  for mode in aec restart; do
    if [[ $mode == aec ]]; then from_s=$((speech_seconds - 5)) without=$without_aec
    else from_s=$((speech_seconds - 4)) without=$without_aec_late; fi
    echo_call "$mode" "$from_s"
    [[ $device == "PortAudio duplex stream: "* ]] ||
      fail "Singapore did not stay on a duplex stream ($mode)"
    echo "echo removed through PulseAudio, $mode: $(removed_db "$level" "$without") dB by the" \
      "median (not judged under ThreadSanitizer)"
  done
else
  judge_aec aec $((speech_seconds - 5)) "$without_aec"
  judge_aec restart $((speech_seconds - 4)) "$without_aec_late"
fi
echo "PASSED"
