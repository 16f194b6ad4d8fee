#!/usr/bin/env bash
# End-to-end test of the `hotline` command line as its three kinds of users use it.
# Administrators: init with role passphrases, card export and import, verification, key
# replacement, pre-shared keys, disabling a peer, settings, the audit log and its tamper
# check (edited with the sqlite3 tool). Officials: calls between two headless consoles with
# WAV in/out, --stats-json and the SAS confirmed on both sides. Operators: history filters,
# CSV and JSON exports read back by Python's csv and json modules, notes. And refusals with
# clear messages and exit codes: wrong roles and passphrases, bad cards, missing devices; and
# a console killed with SIGKILL mid-call whose call is closed as interrupted at the next start.
# Usage: hotline_cli_test.sh HOTLINE_BINARY TEST_DATA_DIR
set -uo pipefail

hotline=$1
data=$2
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; [[ -n ${HOTLINE_KEEP_WORK:-} ]] || rm -rf "$work"' EXIT
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
wait_for_line() {  # wait_for_line FILE PATTERN: until a line matches (at most 20 s)
  for _ in $(seq 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1:"; cat "$1"; return 1
}
wait_for_rewrites() {  # wait_for_rewrites DB N: until the open call's sealed row changed N times
  local last="" seen=0 now
  for _ in $(seq 200); do
    now=$(sqlite3 "$1" "SELECT hex(sealed) FROM sealed_calls WHERE state = 1" 2>/dev/null)
    if [[ -n $now && $now != "$last" ]]; then
      [[ -n $last ]] && seen=$((seen + 1))
      last=$now
      ((seen >= $2)) && return 0
    fi
    sleep 0.1
  done
  echo "timed out waiting for $2 rewrites of the open call's row"; return 1
}
json_field() {  # json_field FILE INDEX KEY: a field of the INDEXth call of a history --json
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[int(sys.argv[2])][sys.argv[3]])" \
    "$1" "$2" "$3"
}

port_a=$((40000 + RANDOM % 10000))
port_b=$((port_a + 1))
a=(--profile "$work/a")
b=(--profile "$work/b")
printf 'correct horse battery staple\n' > "$work/pass"
printf 'wrong\n' > "$work/wrong"
printf 'admin passphrase\n' > "$work/admin"
printf 'operator passphrase\n' > "$work/operator"
roles=(--admin-passphrase-file "$work/admin" --operator-passphrase-file "$work/operator")
as_admin=(--role-passphrase-file "$work/admin")
as_operator=(--role-passphrase-file "$work/operator")

# ---- Administrators: set-up -----------------------------------------------------------------
check "init without key passphrase" "$hotline" "${a[@]}" init --name Beijing \
  --listen "127.0.0.1:$port_a" "${roles[@]}"
check "init with key passphrase" "$hotline" "${b[@]}" init --name "新加坡" \
  --listen "127.0.0.1:$port_b" --passphrase-file "$work/pass" "${roles[@]}"
check "key file is private" test "$(stat -c %a "$work/b/identity.key")" = 600
expect_fail "init twice is refused" 1 "already|exists|not empty" \
  "$hotline" "${a[@]}" init --name Again --listen "127.0.0.1:$port_a"
expect_fail "unknown option is a usage error" 2 "unknown option --nme" \
  "$hotline" "${a[@]}" init --nme X --listen 127.0.0.1:1
expect_fail "bad endpoint" 2 "--listen: missing port" \
  "$hotline" --profile "$work/c" init --name C --listen nowhere
expect_fail "a missing role passphrase file leaves no profile" 1 "cannot read" \
  "$hotline" --profile "$work/c" init --name C --listen 127.0.0.1:1 --admin-passphrase-file "$work/none"
check "... none at all" test ! -e "$work/c"
printf 'x\n' > "$work/short"
expect_fail "a one-character key passphrase is refused" 1 "key passphrase is too short" \
  "$hotline" --profile "$work/c" init --name C --listen 127.0.0.1:1 --passphrase-file "$work/short"
expect_fail "a key passphrase equal to the administrator's is refused" 1 "must differ" \
  "$hotline" --profile "$work/c" init --name C --listen 127.0.0.1:1 --passphrase-file "$work/admin" \
  "${roles[@]}"
check "... and neither left a profile" test ! -e "$work/c"
check "a console made without a key passphrase is told what that gives up" sh -c \
  "'$hotline' --profile '$work/d' init --name D --listen 127.0.0.1:1 | grep -q 'key has no passphrase. Anyone who can read'"
expect_fail "wrong key passphrase" 1 "wrong passphrase" \
  "$hotline" "${b[@]}" card --passphrase-file "$work/wrong"
expect_fail "no passphrase and no terminal" 1 "passphrase" \
  setsid "$hotline" "${b[@]}" card < /dev/null
check "a mistyped passphrase at the prompt is asked again" python3 - "$hotline" "$work/b" <<'PY'
import os, pty, signal, sys
hotline, profile = sys.argv[1:3]
signal.alarm(60)
pid, fd = pty.fork()
if pid == 0:
    os.execv(hotline, [hotline, "--profile", profile, "card"])
out = b""
def read_until(done):
    global out
    while not done(out):
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the terminal closed: the program ended
            chunk = b""
        if not chunk:
            return
        out += chunk
read_until(lambda o: o.count(b"Key passphrase: ") == 1)
os.write(fd, b"correct horse\n")
read_until(lambda o: o.count(b"Key passphrase: ") == 2)
os.write(fd, b"correct horse battery staple\n")
read_until(lambda o: False)
_, status = os.waitpid(pid, 0)
assert b"Wrong passphrase; try again (2 left)" in out, out
assert b"hotline-card 1" in out and os.WEXITSTATUS(status) == 0, (out, status)
PY

check "export card A" sh -c "'$hotline' --profile '$work/a' card > '$work/a.card'"
check "export card B" sh -c "'$hotline' --profile '$work/b' card --passphrase-file '$work/pass' > '$work/b.card'"
sed 's/^name: Beijing$/name: Beijinx/' "$work/a.card" > "$work/forged.card"
head -c 60 "$work/a.card" > "$work/truncated.card"
printf '\x00\x01garbage' > "$work/garbage.card"
: > "$work/empty.card"
expect_fail "a card whose name was edited is refused" 1 "signature" \
  "$hotline" "${b[@]}" peer import "$work/forged.card" "${as_admin[@]}"
expect_fail "a truncated card is refused with its line" 1 "line [0-9]+" \
  "$hotline" "${b[@]}" peer import "$work/truncated.card" "${as_admin[@]}"
expect_fail "a binary file is refused" 1 "card|UTF-8|control" \
  "$hotline" "${b[@]}" peer import "$work/garbage.card" "${as_admin[@]}"
expect_fail "an empty file is refused" 1 "card|empty" \
  "$hotline" "${b[@]}" peer import "$work/empty.card" "${as_admin[@]}"
check "... and none of them stored anything" sh -c \
  "'$hotline' --profile '$work/b' peer list | grep -q '^No peers'"
expect_fail "own card is refused" 1 "own card" \
  "$hotline" "${a[@]}" peer import "$work/a.card" "${as_admin[@]}"
expect_fail "an operator cannot import a key" 1 "wrong administrator passphrase" \
  "$hotline" "${a[@]}" peer import "$work/b.card" --role-passphrase-file "$work/operator"
expect_fail "without a passphrase and a terminal an import is refused" 1 "administrator passphrase" \
  setsid "$hotline" "${a[@]}" peer import "$work/b.card" < /dev/null
check "import B into A" "$hotline" "${a[@]}" peer import "$work/b.card" "${as_admin[@]}"
check "import A into B" "$hotline" "${b[@]}" peer import "$work/a.card" "${as_admin[@]}"
expect_fail "duplicate import is refused" 1 "already" \
  "$hotline" "${a[@]}" peer import "$work/b.card" "${as_admin[@]}"
check "peer list shows the Chinese name unverified" sh -c \
  "'$hotline' --profile '$work/a' peer list | grep -A3 '新加坡' | grep -q UNVERIFIED"
check "fingerprints agree across consoles" test \
  "$("$hotline" "${a[@]}" fingerprint 新加坡)" = "$("$hotline" "${b[@]}" fingerprint)"
check "verify B on A" "$hotline" "${a[@]}" peer verify 新加坡 --by "Col. Chen" "${as_admin[@]}"
check "... shows who verified" sh -c \
  "'$hotline' --profile '$work/a' peer list | grep -A3 '新加坡' | grep -q 'verified by Col. Chen'"
expect_fail "calling an unknown peer" 1 "no peer named 'Tokyo'" "$hotline" "${a[@]}" call Tokyo

# ---- Devices and settings -------------------------------------------------------------------
# (PortAudio's ALSA plugins leak on unload, which AddressSanitizer builds would report.)
check "devices lists a header even without a profile or sound card" sh -c \
  "ASAN_OPTIONS=detect_leaks=0 '$hotline' --profile '$work/none' devices > '$work/devices.txt' \
   2>/dev/null && head -1 '$work/devices.txt' | grep -q '^INDEX .*NAME$'"
check "devices needs no profile" test ! -e "$work/none"
ASAN_OPTIONS=detect_leaks=0 "$hotline" "${a[@]}" call 新加坡 --input nosuchdevice > "$work/nodev.out" 2> "$work/nodev.err"
check "a missing input device fails the call with exit 1" test $? -eq 1
check "... naming the device" grep -q "nosuchdevice" "$work/nodev.err"
check "... before anything is dialled" test ! -s "$work/nodev.out"
expect_fail "--input with --play is a usage error (two microphones)" 2 "--play or --input" \
  "$hotline" "${a[@]}" call 新加坡 --input x --play "$data/speech-16k.wav"
expect_fail "--output with --record is a usage error (two loudspeakers)" 2 "--record or --output" \
  "$hotline" "${a[@]}" answer --output x --record "$work/never.wav"
# --play with --output is allowed: the loudspeaker is live, so the named device is opened
# (and a missing one refused, naming it) before anything is dialled.
ASAN_OPTIONS=detect_leaks=0 "$hotline" "${a[@]}" call 新加坡 --play "$data/speech-16k.wav" \
  --output nosuchspeaker > "$work/nodev2.out" 2> "$work/nodev2.err"
check "--play with --output opens the named loudspeaker (a missing one: exit 1)" test $? -eq 1
check "... naming it" grep -q "no output device named 'nosuchspeaker'" "$work/nodev2.err"
check "... before anything is dialled" test ! -s "$work/nodev2.out"
expect_fail "settings set needs the administrator" 1 "administrator passphrase" \
  setsid "$hotline" "${a[@]}" settings set audio.input "Studio Mic" < /dev/null
check "settings set" "$hotline" "${a[@]}" settings set audio.input "Studio Mic" "${as_admin[@]}"
check "settings set output" "$hotline" "${a[@]}" settings set audio.output speakers "${as_admin[@]}"
check "settings get returns what was set" test \
  "$("$hotline" "${a[@]}" settings get audio.input)" = "Studio Mic"
check "settings list shows both" sh -c \
  "'$hotline' --profile '$work/a' settings list | grep -q '^audio.output *speakers$'"
expect_fail "the setting names the device when it is missing" 1 "Studio Mic.*audio.input setting" \
  "$hotline" "${a[@]}" call 新加坡
check "settings unset" "$hotline" "${a[@]}" settings unset audio.input "${as_admin[@]}"
expect_fail "get of an unset setting" 1 "audio.input is not set" \
  "$hotline" "${a[@]}" settings get audio.input
check "settings unset output" "$hotline" "${a[@]}" settings unset audio.output "${as_admin[@]}"
expect_fail "an unknown setting is refused" 2 "unknown setting 'own_name'" \
  "$hotline" "${a[@]}" settings set own_name Mallory "${as_admin[@]}"
check "... and the name is unchanged" sh -c "'$hotline' --profile '$work/a' card | grep -q '^name: Beijing$'"

# ---- Officials: a call, the SAS confirmed on both sides --------------------------------------
echo confirm | "$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --record "$work/heard.wav" \
  --stats-json "$work/b.json" > "$work/b.log" 2>&1 &
answer_pid=$!
pids+=("$answer_pid")
check "answer starts" wait_for_line "$work/b.log" "Waiting for calls"
check "a console writes no core dump (its memory holds the keys)" \
  grep -Eq "^Max core file size +0 +0 " "/proc/$answer_pid/limits"
# 4 s: both confirmations cross as control messages before the hang-up, even under TSan.
echo confirm | "$hotline" "${a[@]}" call 新加坡 --play "$data/speech-16k.wav" --seconds 4 \
  --stats-json "$work/a.json" > "$work/a.log" 2>&1
check "call connects and hangs up after 4 s" test $? -eq 0
wait "$answer_pid"; check "answer exits 0 after one call" test $? -eq 0
check "the callee is told the caller is unverified" grep -q "NOT VERIFIED" "$work/b.log"
check "a call says how its voice is processed (defaults: echo cancellation, noise suppression)" \
  grep -q "^Voice processing: echo cancellation on, noise suppression on, automatic gain control off" \
  "$work/a.log"
check "the caller sees the callee confirm the SAS" grep -q "新加坡 confirmed the SAS" "$work/a.log"
check "stats are one JSON line per side with the same SAS and 104-byte voice packets" python3 - \
  "$work/a.json" "$work/b.json" <<'PY'
import json, sys
a = json.loads(open(sys.argv[1]).read()); b = json.loads(open(sys.argv[2]).read())
assert a["end_reason"] == "local_hangup" and b["end_reason"] == "remote_hangup", (a, b)
assert a["sas"] == b["sas"] and len(a["sas"].split()) == 4
assert a["sas_confirmed_local"] and a["sas_confirmed_remote"], a
assert b["sas_confirmed_local"] and b["sas_confirmed_remote"], b
assert a["peer_verified"] and not b["peer_verified"]
for key in ["setup_ms", "duration_s", "packets_sent", "packets_received", "voice_packets_sent",
            "voice_bytes_sent", "opus_bytes_sent", "auth_failures", "replays_dropped", "late", "lost"]:
    assert key in a and key in b, key
assert a["voice_packets_sent"] > 50
assert a["voice_bytes_sent"] == 104 * a["voice_packets_sent"]
assert b["voice_packets_received"] > 50
PY
check "the recording and the stats are private to the user (0600)" sh -c \
  "test \"\$(stat -c %a '$work/heard.wav' '$work/b.json' | sort -u)\" = 600"
check "the recording is a 48 kHz WAV of about 4 s" python3 - "$work/heard.wav" <<'PY'
import sys, wave
w = wave.open(sys.argv[1]); assert w.getframerate() == 48000 and w.getnchannels() == 1
assert 3.5 < w.getnframes() / 48000 < 5.0, w.getnframes()
PY

# ---- Operators: history, notes and exports ----------------------------------------------------
expect_fail "an official cannot read the history" 1 "operator passphrase" \
  setsid "$hotline" "${a[@]}" history < /dev/null
expect_fail "the administrator's passphrase does not open the history" 1 "wrong operator passphrase" \
  "$hotline" "${a[@]}" history --role-passphrase-file "$work/admin"
check "history shows the answered call" sh -c \
  "'$hotline' --profile '$work/a' history --role-passphrase-file '$work/operator' | grep -E '^1 .* out +answered .* both +新加坡'"
note=$'line one, with a comma\nline "two" — 确认'
check "history note" "$hotline" "${a[@]}" history note 1 "$note" "${as_operator[@]}"
# Someone with the files and no passphrase: the note and the call's SAS are sealed.
sas=$("$hotline" "${a[@]}" history --json "${as_operator[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["sas"])')
sqlite3 "$work/a/hotline.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
check "the call's SAS and note are in no sqlite3 .dump and not in the file's bytes" sh -c \
  "test -n '$sas' && ! sqlite3 '$work/a/hotline.db' .dump | grep -qF -e '$sas' -e 'with a comma' &&
   ! grep -qaF -e '$sas' -e 'with a comma' '$work/a/hotline.db'"
check "... nor on the audit log, which says only that a note was written" sh -c \
  "'$hotline' ${a[*]} audit ${as_admin[*]} | grep -q 'note written (' &&
   ! '$hotline' ${a[*]} audit ${as_admin[*]} | grep -qF 'with a comma'"
expect_fail "a note on a call that does not exist" 1 "no call with id 99" \
  "$hotline" "${a[@]}" history note 99 x "${as_operator[@]}"
check "history --csv" sh -c "'$hotline' --profile '$work/a' history --csv --role-passphrase-file '$work/operator' > '$work/h.csv'"
check "the CSV reads back in Python's csv module with the note and name intact" python3 - \
  "$work/h.csv" "$note" <<'PY'
import csv, sys
raw = open(sys.argv[1], newline="", encoding="utf-8").read()
assert raw.endswith("\r\n")
rows = list(csv.DictReader(raw.splitlines(keepends=True)))
assert len(rows) == 1, rows
assert rows[0]["note"] == sys.argv[2], repr(rows[0]["note"])
assert rows[0]["peer"] == "新加坡" and rows[0]["outcome"] == "answered"
assert rows[0]["sas_confirmed_local"] == "yes" and rows[0]["sas_confirmed_remote"] == "yes"
assert float(rows[0]["mean_rtt_ms"]) >= 0
PY
check "history --csv --bom starts with a byte-order mark for spreadsheet programs" sh -c \
  "'$hotline' --profile '$work/a' history --csv --bom --role-passphrase-file '$work/operator' | head -c 3 | od -An -tx1 | grep -q 'ef bb bf'"
check "history --json" sh -c "'$hotline' --profile '$work/a' history --json --role-passphrase-file '$work/operator' > '$work/h.json'"
check "the JSON reads back with the same note" test "$(json_field "$work/h.json" 0 note)" = "$note"
check "filters: --outcome missed selects nothing yet" sh -c \
  "'$hotline' --profile '$work/a' history --outcome missed --role-passphrase-file '$work/operator' | grep -q '^No calls match'"
check "filters: --direction out --peer --search" sh -c \
  "'$hotline' --profile '$work/a' history --direction out --peer 新加坡 --search COMMA --role-passphrase-file '$work/operator' | grep -q answered"
check "filters: --since and --until" sh -c \
  "'$hotline' --profile '$work/a' history --since 2000-01-01 --until 2000-01-02 --role-passphrase-file '$work/operator' | grep -q '^No calls match'"
expect_fail "a bad outcome is a usage error listing them" 2 "one of answered, missed" \
  "$hotline" "${a[@]}" history --outcome canceled "${as_operator[@]}"
expect_fail "a bad date is a usage error" 2 "not a date" \
  "$hotline" "${a[@]}" history --since yesterday "${as_operator[@]}"

# ---- A key change, a pre-shared key, a disabled peer --------------------------------------
check "an impostor console with the same name" "$hotline" --profile "$work/c" init --name 新加坡 \
  --listen "127.0.0.1:$((port_a + 2))"
"$hotline" --profile "$work/c" card > "$work/c.card"
expect_fail "a card with a new key for a known name needs --replace-key" 1 "different key.*--replace-key" \
  "$hotline" "${a[@]}" peer import "$work/c.card" "${as_admin[@]}"
check "... the old key is kept" test "$("$hotline" "${a[@]}" fingerprint 新加坡)" = \
  "$("$hotline" "${b[@]}" fingerprint)"
check "--replace-key replaces it with a warning" sh -c \
  "'$hotline' --profile '$work/a' peer import '$work/c.card' --replace-key --role-passphrase-file '$work/admin' | grep -q 'WARNING: replaced the key'"
check "... the replaced peer is unverified again" sh -c \
  "'$hotline' --profile '$work/a' peer list | grep -A3 '新加坡' | grep -q UNVERIFIED"
check "put the real key back" "$hotline" "${a[@]}" peer import "$work/b.card" --replace-key "${as_admin[@]}"
check "generate a pre-shared key on A" sh -c \
  "'$hotline' --profile '$work/a' peer psk 新加坡 --generate --role-passphrase-file '$work/admin' > '$work/psk' 2>/dev/null"
check "set it on B from the file" "$hotline" "${b[@]}" peer psk Beijing --file "$work/psk" "${as_admin[@]}"
check "... peer list says so" sh -c "'$hotline' --profile '$work/a' peer list | grep -q 'pre-shared key set'"
# What a running console counts when a disabled peer's console keeps probing the line
# (tests/core/console: the counting itself), as peer list shows it.
sqlite3 "$work/a/hotline.db" "INSERT INTO refused_probes SELECT public_key, 7, 1765022400000 FROM peers WHERE name = '新加坡'"
check "peer list shows a peer's refused line-status probes" sh -c \
  "'$hotline' --profile '$work/a' peer list | grep -A5 '新加坡' | grep -q 'refused line-status probes: 7, the last on 2025-12-06'"
sqlite3 "$work/a/hotline.db" "DELETE FROM refused_probes"
# The reviewer's `select hex(psk) from peers`: the key is in no column, no page, no dump.
psk_hex=$(python3 -c 'import base64,sys; print(base64.b64decode(open(sys.argv[1]).read().strip()).hex())' "$work/psk")
check "the pre-shared key is in no sqlite3 .dump" sh -c \
  "! sqlite3 '$work/a/hotline.db' .dump | tr 'A-F' 'a-f' | grep -q '$psk_hex'"
check "... nor in the database's bytes or its write-ahead log" python3 -c "
import pathlib, sys
key = bytes.fromhex('$psk_hex')
for f in pathlib.Path('$work/a').glob('hotline.db*'):
    assert key not in f.read_bytes(), f
"
check "disable A on B" "$hotline" "${b[@]}" peer disable Beijing "${as_admin[@]}"
check "noise suppression can be switched off as a setting" \
  "$hotline" "${b[@]}" settings set audio.noise_suppression off "${as_admin[@]}"
expect_fail "... on or off only" 2 "not valid for audio.noise_suppression" \
  "$hotline" "${b[@]}" settings set audio.noise_suppression maybe "${as_admin[@]}"
"$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --calls 0 --record "$work/b2.wav" > "$work/b2.log" 2>&1 &
answer_pid=$!
pids+=("$answer_pid")
check "answer starts again" wait_for_line "$work/b2.log" "Waiting for calls"
check "... with noise suppression off, echo cancellation on" grep -q \
  "^Voice processing: echo cancellation on, noise suppression off, automatic gain control off" \
  "$work/b2.log"
"$hotline" "${a[@]}" call 新加坡 --play "$data/speech-16k.wav" --seconds 1 --no-ns --no-aec \
  > "$work/a-refused.log" 2>&1
check "a call to a console that disabled us is unreachable" test $? -eq 1
check "... --no-ns and --no-aec switch both off for this call" grep -q \
  "^Voice processing: echo cancellation off, noise suppression off" "$work/a-refused.log"
check "... and it did not ring there" sh -c "! grep -q 'Incoming call' '$work/b2.log'"
kill -TERM "$answer_pid"; wait "$answer_pid"
check "B recorded the refused call once" sh -c \
  "'$hotline' --profile '$work/b' history --outcome refused --json --role-passphrase-file '$work/operator' | python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r)==1 and r[0][\"peer\"]==\"Beijing\" and r[0][\"direction\"]==\"in\", r'"
check "enable A again" "$hotline" "${b[@]}" peer enable Beijing "${as_admin[@]}"
# B has stored the newest initiation timestamp from A (the calls above): an administrator can
# reset it, on the audit log; with nothing stored, the command says so.
check "reset A's replay protection at B" sh -c \
  "'$hotline' ${b[*]} peer reset-replay Beijing ${as_admin[*]} | grep -q 'reset: its next call is accepted'"
check "... which is audited" sh -c \
  "'$hotline' ${b[*]} audit ${as_admin[*]} | grep -q 'peer.replay.reset'"
check "... and a second reset finds nothing to reset" sh -c \
  "'$hotline' ${b[*]} peer reset-replay Beijing ${as_admin[*]} | grep -q 'nothing to reset'"

# ---- A console killed mid-call: the call is closed as interrupted at the next start ---------
"$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --record "$work/b3.wav" > "$work/b3.log" 2>&1 &
answer_pid=$!
pids+=("$answer_pid")
check "answer starts for the kill test" wait_for_line "$work/b3.log" "Waiting for calls"
"$hotline" "${a[@]}" call 新加坡 --play "$data/speech-16k.wav" --seconds 30 > "$work/a4.log" 2>&1 &
caller_pid=$!
pids+=("$caller_pid")
check "the call connects" wait_for_line "$work/b3.log" "Connected"
# The open row's last known time moves on with each heartbeat (2 s) while the call runs; it
# is sealed, so what shows is the row being rewritten. Three rewrites after "Connected" (the
# connected state, if not yet written, then two beats) put its last time 2 s past the answer.
check "the open call's row is kept current" wait_for_rewrites "$work/b/hotline.db" 3
kill -9 "$answer_pid"
killed_at=$(date +%s.%N)
# The survivor: shown interrupted at once, the call ended as connection_lost when 10 s pass
# without a packet, and recorded so. The times are reported, not asserted (a loaded machine).
check "the survivor shows the link interrupted" wait_for_line "$work/a4.log" "Link interrupted"
interrupted_at=$(date +%s.%N)
check "... and ends the call as connection_lost" timeout 30 sh -c \
  "until grep -q 'ended: connection_lost' '$work/a4.log'; do sleep 0.1; done"
ended_at=$(date +%s.%N)
caller_status=0; wait "$caller_pid" || caller_status=$?
check "... exiting by itself with status 1 (the call did not end by a hang-up)" \
  test "$caller_status" -eq 1
echo "  peer killed: interrupted shown after $(awk "BEGIN { print $interrupted_at - $killed_at }") s," \
  "call ended after $(awk "BEGIN { print $ended_at - $killed_at }") s"
check "... and records it as connection_lost" sh -c \
  "'$hotline' ${a[*]} history --outcome connection_lost --json --role-passphrase-file '$work/operator' | python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r)==1 and r[0][\"answered\"], r'"
"$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --record "$work/b4.wav" > "$work/b4.log" 2>&1 &
answer_pid=$!
pids+=("$answer_pid")
check "the next start notes the interrupted call" wait_for_line "$work/b4.log" "recorded as interrupted"
kill -TERM "$answer_pid"; wait "$answer_pid"
"$hotline" "${b[@]}" history --json "${as_operator[@]}" > "$work/b-history.json"
check "... which is closed as interrupted at its last known time, after it connected" python3 - \
  "$work/b-history.json" <<'PY'
import json, sys
calls = json.load(open(sys.argv[1]))
c = [x for x in calls if x["outcome"] == "interrupted"]
assert len(c) == 1, calls
c = c[0]
assert c["answered"] and c["ended"] and c["ended"] > c["answered"], c
assert c["duration_s"] >= 1.5, c
PY

# ---- Another process holds the database's write lock through a call ------------------------
"$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --calls 0 --record "$work/b5.wav" > "$work/b5.log" 2>&1 &
answer_pid=$!
pids+=("$answer_pid")
check "answer starts for the lock test" wait_for_line "$work/b5.log" "Waiting for calls"
python3 - "$work/b/hotline.db" "$work/locked" <<'PY' &
import sqlite3, sys, time, pathlib
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")  # the write lock, held through the call
pathlib.Path(sys.argv[2]).touch()
time.sleep(3)
db.execute("ROLLBACK")
PY
locker_pid=$!
pids+=("$locker_pid")
check "the lock is taken" timeout 10 sh -c "until test -e '$work/locked'; do sleep 0.1; done"
"$hotline" "${a[@]}" call 新加坡 --play "$data/speech-16k.wav" --seconds 1 > "$work/a5.log" 2>&1
check "a call goes through while the callee's store is locked" test $? -eq 0
check "... the callee warned that its records could not be written" \
  grep -q "warning: the console's records cannot be written now: .*locked" "$work/b5.log"
wait "$locker_pid"
check "... and says when they are written again" wait_for_line "$work/b5.log" "records are written again"
kill -TERM "$answer_pid"; wait "$answer_pid"
check "... the callee's console carried on to a normal end" test $? -eq 0
check "... and, the lock gone, wrote them: the call is in the history" sh -c \
  "'$hotline' ${b[*]} history --json ${as_operator[*]} | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r[0][\"outcome\"]==\"answered\" and r[0][\"peer\"]==\"Beijing\", r[0]'"

# ---- Officials: the words do not match --------------------------------------------------------
echo mismatch | "$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --record "$work/b6.wav" \
  --stats-json "$work/b6.json" > "$work/b6.log" 2>&1 &
answer_pid=$!
pids+=("$answer_pid")
check "answer starts for the mismatch test" wait_for_line "$work/b6.log" "Waiting for calls"
"$hotline" "${a[@]}" call 新加坡 --play "$data/speech-16k.wav" --seconds 20 \
  --stats-json "$work/a6.json" > "$work/a6.log" 2>&1
check "the callee's 'mismatch' ends the caller's call (exit 1, before its 20 s)" test $? -eq 1
wait "$answer_pid"
check "both sides end as interception_suspected, with the same words shown" python3 - \
  "$work/a6.json" "$work/b6.json" <<'PY'
import json, sys
a = json.loads(open(sys.argv[1]).read()); b = json.loads(open(sys.argv[2]).read())
assert a["end_reason"] == b["end_reason"] == "interception_suspected", (a, b)
assert a["sas"] == b["sas"] and len(a["sas"].split()) == 4
assert a["duration_s"] < 15, a
PY
check "... and both officials are told what to do" sh -c \
  "grep -q 'WARNING: the security words' '$work/a6.log' && grep -q 'WARNING: the security words' '$work/b6.log'"
check "... which the history finds as a failed call" sh -c \
  "'$hotline' ${a[*]} history --search interception --json ${as_operator[*]} | python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r)==1 and r[0][\"outcome\"]==\"failed\", r'"

# ---- The listening address: in use, and changed -------------------------------------------------
python3 - "$port_b" "$work/held" <<'PY' &
import socket, sys, time, pathlib
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))  # another program has the console's port
pathlib.Path(sys.argv[2]).touch()
time.sleep(30)
PY
holder_pid=$!
pids+=("$holder_pid")
check "another program takes B's port" timeout 10 sh -c "until test -e '$work/held'; do sleep 0.1; done"
expect_fail "a port in use says so and how to choose another" 1 \
  "already uses this port.*hotline settings set listen" \
  "$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --record "$work/b7.wav"
kill "$holder_pid"; wait "$holder_pid" 2>/dev/null || true
check "the listening address is a setting" "$hotline" "${a[@]}" settings set listen \
  "127.0.0.1:$((port_a + 3))" "${as_admin[@]}"
check "... read back" test "$("$hotline" "${a[@]}" settings get listen)" = "127.0.0.1:$((port_a + 3))"
expect_fail "... refused when malformed" 2 "not valid for listen" \
  "$hotline" "${a[@]}" settings set listen nowhere "${as_admin[@]}"
expect_fail "... and cannot be unset" 2 "cannot be unset" \
  "$hotline" "${a[@]}" settings unset listen "${as_admin[@]}"
check "... put back" "$hotline" "${a[@]}" settings set listen "127.0.0.1:$port_a" "${as_admin[@]}"

# ---- The audit log and its tamper check -------------------------------------------------------
check "audit lists the key changes" sh -c \
  "'$hotline' --profile '$work/a' audit --role-passphrase-file '$work/admin' | grep -q 'peer.key.replace'"
check "... whose text (who did what to which peer) is sealed: none in the clear in the file" test \
  "$(sqlite3 "$work/a/hotline.db" "SELECT count(*) FROM audit_log WHERE box IS NULL OR role || actor || details != ''")" = 0
check "... and the actor's name is in no sqlite3 .dump of the log" sh -c \
  "! sqlite3 '$work/a/hotline.db' '.dump audit_log' | grep -qF '$(id -un)'"
check "audit --csv has a row per entry" sh -c \
  "'$hotline' --profile '$work/a' audit --csv --role-passphrase-file '$work/admin' | python3 -c 'import csv,sys; r=list(csv.DictReader(sys.stdin)); assert len(r) > 10 and r[0][\"seq\"] == \"1\", r'"
expect_fail "an operator cannot read the audit log" 1 "wrong administrator passphrase" \
  "$hotline" "${a[@]}" audit --role-passphrase-file "$work/operator"
check "audit verify passes" sh -c \
  "'$hotline' --profile '$work/a' audit verify --role-passphrase-file '$work/admin' | grep -q '^Audit log intact'"
check "B's entries signed later, once its console ran with the key" sh -c \
  "'$hotline' --profile '$work/b' audit verify --role-passphrase-file '$work/admin' | grep -q '^Audit log intact'"
sqlite3 "$work/a/hotline.db" "UPDATE audit_log SET details = 'nothing happened' WHERE action = 'peer.key.replace' AND seq = (SELECT min(seq) FROM audit_log WHERE action = 'peer.key.replace')"
edited=$(sqlite3 "$work/a/hotline.db" "SELECT min(seq) FROM audit_log WHERE details = 'nothing happened'")
"$hotline" "${a[@]}" audit verify "${as_admin[@]}" > "$work/verify.out"
check "an entry edited with sqlite3 fails the check with exit 1" test $? -eq 1
check "... naming that entry" grep -q "entry $edited was edited" "$work/verify.out"
cp -r "$work/b" "$work/b-cut" && rm -f "$work/b-cut/"*.lock
sqlite3 "$work/b/hotline.db" "DELETE FROM audit_log WHERE seq = 3"
expect_fail "an entry removed with sqlite3 is named" 1 "" \
  "$hotline" "${b[@]}" audit verify "${as_admin[@]}"
check "... as removed" sh -c "'$hotline' --profile '$work/b' audit verify --role-passphrase-file '$work/admin' | grep -q 'entry 3 was removed'"
# Cut from the end, head included (an unsigned head after signed entries is tampering too).
sqlite3 "$work/b-cut/hotline.db" "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log); DELETE FROM audit_head"
expect_fail "entries cut from the end are found" 1 "" \
  "$hotline" --profile "$work/b-cut" audit verify "${as_admin[@]}"
check "... as truncated" sh -c "'$hotline' --profile '$work/b-cut' audit verify --role-passphrase-file '$work/admin' | grep -q 'TAMPERED (truncated)'"

# The reviewer's `UPDATE peers SET enabled=1, verified_by='nobody'` on a disabled peer.
check "disable A on B once more" "$hotline" "${b[@]}" peer disable Beijing "${as_admin[@]}"
sqlite3 "$work/b/hotline.db" "UPDATE peers SET enabled = 1, verified_by = 'nobody' WHERE name = 'Beijing'"
"$hotline" "${b[@]}" audit verify "${as_admin[@]}" > "$work/verify-dir.out"
check "a peer edited with sqlite3 fails audit verify with exit 1" test $? -eq 1
check "... naming the peer and the fields" grep -q "peer 'Beijing' was changed in the file outside the console (enabled and verified by)" "$work/verify-dir.out"
"$hotline" "${b[@]}" peer list --passphrase-file "$work/pass" > "$work/list-dir.out"
check "peer list marks it TAMPERED" grep -q "TAMPERED:.*Beijing" "$work/list-dir.out"
expect_fail "an administrator's change does not seal the edit" 1 "import its card again" \
  "$hotline" "${b[@]}" peer verify Beijing "${as_admin[@]}"
# Someone with the files swaps in a history key of their own for the operator's: the console
# seals nothing to it, and says so.
operator_key=$(sqlite3 "$work/b/hotline.db" "SELECT hex(reader_public) FROM role_passphrases WHERE role = 'operator'")
sqlite3 "$work/b/hotline.db" "UPDATE role_passphrases SET reader_public = randomblob(32) WHERE role = 'operator'"
"$hotline" "${b[@]}" answer --passphrase-file "$work/pass" --calls 0 --record "$work/b8.wav" > "$work/b8.log" 2>&1 &
answer_pid=$!
pids+=("$answer_pid")
check "the console starts, warning about the edit" wait_for_line "$work/b8.log" "Waiting for calls"
check "... naming the peer" grep -q "warning: peer directory: peer 'Beijing' was changed" "$work/b8.log"
check "... and the operator's history key swapped in the file" grep -q \
  "warning: call history: the operator's history key was changed in the file" "$work/b8.log"
check "... to which this start sealed nothing" test "$(sqlite3 "$work/b/hotline.db" \
  "SELECT count(*) FROM history_epoch_keys WHERE epoch = (SELECT max(id) FROM history_epochs) AND holder = 'operator'")" = 0
sqlite3 "$work/b/hotline.db" "UPDATE role_passphrases SET reader_public = x'$operator_key' WHERE role = 'operator'"
expect_fail "the edited peer's call is refused" 1 "" \
  "$hotline" "${a[@]}" call 新加坡 --play "$data/speech-16k.wav" --seconds 1
check "... it did not ring" sh -c "! grep -q 'Incoming call' '$work/b8.log'"
kill -TERM "$answer_pid"; wait "$answer_pid"
check "removing the peer clears the finding" "$hotline" "${b[@]}" peer remove Beijing "${as_admin[@]}"
check "... and the directory checks again" sh -c "'$hotline' --profile '$work/b' audit verify --role-passphrase-file '$work/admin' | grep -q '^Peer directory intact'"

# ---- Wrong passphrases are counted, slowed down and audited -----------------------------------
for _ in 1 2 3; do "$hotline" "${a[@]}" history --role-passphrase-file "$work/wrong" 2>/dev/null; done
expect_fail "after three wrong passphrases the role is shut" 1 "try again in [0-9]+ s" \
  "$hotline" "${a[@]}" history "${as_operator[@]}"
check "... and every attempt is on the audit log" test "$(sqlite3 "$work/a/hotline.db" \
  "SELECT count(*) FROM audit_log WHERE action IN ('role.unlock.failed', 'role.unlock.throttled')")" -ge 5
check "change the operator passphrase" sh -c "printf 'new operator\n' > '$work/operator2' && \
  '$hotline' --profile '$work/a' role passphrase operator --new-passphrase-file '$work/operator2' --role-passphrase-file '$work/admin'"
expect_fail "role names are checked" 2 "operator and admin" \
  "$hotline" "${a[@]}" role passphrase official "${as_admin[@]}"

# ---- Everything the consoles wrote is private ---------------------------------------------------
check "every file in both profiles is 0600 and every folder 0700 (database, WAL, anchor, lock, key)" \
  sh -c "test -z \"\$(find '$work/a' '$work/b' \( -type f ! -perm 600 \) -o \( -type d ! -perm 700 \))\""
check "... and the anchor file is among them" test -f "$work/b/audit.anchor"

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
