#!/usr/bin/env bash
# End-to-end test of the `hotline` command line as an administrator and an official use it:
# init (with and without a key passphrase), card export and import, refusals with clear
# messages and exit codes, and a short call between two headless consoles with WAV in/out
# and --stats-json on both sides.
# Usage: hotline_cli_test.sh HOTLINE_BINARY TEST_DATA_DIR
set -uo pipefail

hotline=$1
data=$2
work=$(mktemp -d)
answer_pid=""
trap '[[ -n $answer_pid ]] && kill $answer_pid 2>/dev/null; rm -rf "$work"' EXIT
failures=0
passes=0

check() {  # check DESCRIPTION COMMAND...: the command must succeed
  local what=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAILED: $what"; failures=$((failures + 1)); fi
}
expect_fail() {  # expect_fail DESCRIPTION STATUS PATTERN COMMAND...: exit STATUS, stderr matches
  local what=$1 status=$2 pattern=$3; shift 3
  local err rc
  err=$("$@" 2>&1 >/dev/null); rc=$?
  if [[ $rc -eq $status && $err =~ $pattern ]]; then
    passes=$((passes + 1))
  else
    echo "FAILED: $what (exit $rc, stderr: $err)"
    failures=$((failures + 1))
  fi
}

port_a=$((40000 + RANDOM % 10000))
port_b=$((port_a + 1))
a=(--profile "$work/a")
b=(--profile "$work/b")
printf 'correct horse battery staple\n' > "$work/pass"
printf 'wrong\n' > "$work/wrong"

check "init without passphrase" "$hotline" "${a[@]}" init --name Beijing --listen "127.0.0.1:$port_a"
check "init with passphrase" "$hotline" "${b[@]}" init --name "新加坡" --listen "127.0.0.1:$port_b" \
  --passphrase-file "$work/pass"
check "key file is private" test "$(stat -c %a "$work/b/identity.key")" = 600
expect_fail "init twice is refused" 1 "already|exists|not empty" \
  "$hotline" "${a[@]}" init --name Again --listen "127.0.0.1:$port_a"
expect_fail "unknown option is a usage error" 2 "unknown option --nme" \
  "$hotline" "${a[@]}" init --nme X --listen 127.0.0.1:1
expect_fail "bad endpoint" 2 "--listen: missing port" \
  "$hotline" --profile "$work/c" init --name C --listen nowhere
expect_fail "wrong key passphrase" 1 "wrong passphrase" \
  "$hotline" "${b[@]}" card --passphrase-file "$work/wrong"
expect_fail "no passphrase and no terminal" 1 "passphrase" \
  setsid "$hotline" "${b[@]}" card < /dev/null

check "export card A" sh -c "'$hotline' --profile '$work/a' card > '$work/a.card'"
check "export card B" sh -c "'$hotline' --profile '$work/b' card --passphrase-file '$work/pass' > '$work/b.card'"
sed 's/^name: Beijing$/name: Beijinx/' "$work/a.card" > "$work/forged.card"
expect_fail "a card whose name was edited is refused" 1 "signature" \
  "$hotline" "${b[@]}" peer import "$work/forged.card"
expect_fail "own card is refused" 1 "own card" "$hotline" "${a[@]}" peer import "$work/a.card"
check "import B into A" "$hotline" "${a[@]}" peer import "$work/b.card"
check "import A into B" "$hotline" "${b[@]}" peer import "$work/a.card"
expect_fail "duplicate import is refused" 1 "already" "$hotline" "${a[@]}" peer import "$work/b.card"
check "peer list shows the Chinese name unverified" sh -c \
  "'$hotline' --profile '$work/a' peer list | grep -A3 '新加坡' | grep -q unverified"
check "fingerprints agree across consoles" test \
  "$("$hotline" "${a[@]}" fingerprint 新加坡)" = "$("$hotline" "${b[@]}" fingerprint)"
expect_fail "calling an unknown peer" 1 "no peer named 'Tokyo'" "$hotline" "${a[@]}" call Tokyo

"$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --record "$work/heard.wav" \
  --stats-json "$work/b.json" > "$work/b.log" 2>&1 &
answer_pid=$!
check "call connects and hangs up after 2 s" "$hotline" "${a[@]}" call 新加坡 \
  --play "$data/speech-16k.wav" --seconds 2 --stats-json "$work/a.json"
wait "$answer_pid"; check "answer exits 0 after one call" test $? -eq 0
answer_pid=""
check "stats are one JSON line per side with the same SAS and 104-byte voice packets" python3 - \
  "$work/a.json" "$work/b.json" <<'PY'
import json, sys
a = json.loads(open(sys.argv[1]).read()); b = json.loads(open(sys.argv[2]).read())
assert a["end_reason"] == "local_hangup" and b["end_reason"] == "remote_hangup", (a, b)
assert a["sas"] == b["sas"] and len(a["sas"].split()) == 4
for key in ["setup_ms", "duration_s", "packets_sent", "packets_received", "voice_packets_sent",
            "voice_bytes_sent", "opus_bytes_sent", "auth_failures", "replays_dropped", "late", "lost"]:
    assert key in a and key in b, key
assert a["voice_packets_sent"] > 50
assert a["voice_bytes_sent"] == 104 * a["voice_packets_sent"]
assert b["voice_packets_received"] > 50
PY
check "the recording is a 48 kHz WAV of about 2 s" python3 - "$work/heard.wav" <<'PY'
import sys, wave
w = wave.open(sys.argv[1]); assert w.getframerate() == 48000 and w.getnchannels() == 1
assert 1.5 < w.getnframes() / 48000 < 3.0, w.getnframes()
PY

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
