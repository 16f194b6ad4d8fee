#!/usr/bin/env bash
# A demo call between two headless consoles, "Beijing" and "Singapore", on loopback:
# throw-away profiles, cards exchanged, Beijing plays generated speech to Singapore for a few
# seconds, both record what they heard, and both print their call statistics.
#
# Usage: scripts/demo.sh [BUILD_DIR]   (default build/release)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build/release}
hotline=$build/app/hotline
out=$repo/demo-output
[[ -x $hotline ]] || { echo "demo: $hotline not found; build first" >&2; exit 1; }

work=$(mktemp -d)
answer_pid=""
cleanup() {
  [[ -n $answer_pid ]] && kill "$answer_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.wav "$out"/*.log

port_a=$((47000 + RANDOM % 1000))
port_b=$((port_a + 1000))
bj=(--profile "$work/beijing")
sg=(--profile "$work/singapore")

echo "== Creating two consoles (administrator and operator passphrases from files)"
printf 'demo administrator passphrase\n' > "$work/admin.pass"
printf 'demo operator passphrase\n' > "$work/operator.pass"
roles=(--admin-passphrase-file "$work/admin.pass" --operator-passphrase-file "$work/operator.pass")
admin=(--role-passphrase-file "$work/admin.pass")
"$hotline" "${bj[@]}" init --name Beijing --listen "127.0.0.1:$port_a" "${roles[@]}"
"$hotline" "${sg[@]}" init --name Singapore --listen "127.0.0.1:$port_b" "${roles[@]}"

echo "== Exchanging peer cards, then verifying the fingerprints"
"$hotline" "${bj[@]}" card > "$work/beijing.card"
"$hotline" "${sg[@]}" card > "$work/singapore.card"
cat "$work/beijing.card"
"$hotline" "${bj[@]}" peer import "$work/singapore.card" "${admin[@]}"
"$hotline" "${sg[@]}" peer import "$work/beijing.card" "${admin[@]}"
# (Administrators read the 60 digits to each other by voice; here both sides are ours.)
"$hotline" "${bj[@]}" peer verify Singapore --by "demo administrator" "${admin[@]}"
"$hotline" "${sg[@]}" peer verify Beijing --by "demo administrator" "${admin[@]}"

echo "== Generating speech"
"$repo/scripts/make-speech.sh" "$out/speech.wav"

echo "== Singapore waits for a call; Beijing calls it for 8 seconds"
# Both officials confirm the SAS words (typed "confirm" on their terminals).
echo confirm | "$hotline" "${sg[@]}" answer --record "$out/heard-in-singapore.wav" \
  --stats-json "$out/singapore-stats.json" > "$out/singapore.log" 2>&1 &
answer_pid=$!
for _ in $(seq 100); do
  grep -q "Waiting for calls" "$out/singapore.log" 2>/dev/null && break
  sleep 0.1
done
echo confirm | "$hotline" "${bj[@]}" call Singapore --play "$out/speech.wav" --seconds 8 \
  --record "$out/heard-in-beijing.wav" --stats-json "$out/beijing-stats.json"
wait "$answer_pid"
answer_pid=""
echo "-- Singapore's console printed:"
cat "$out/singapore.log"

echo "== Call statistics"
for side in beijing singapore; do
  echo "$side:"
  python3 -m json.tool "$out/$side-stats.json" 2>/dev/null || cat "$out/$side-stats.json"
done
echo "== Beijing's call history (operator) and audit log (administrator)"
"$hotline" "${bj[@]}" history --role-passphrase-file "$work/operator.pass"
"$hotline" "${bj[@]}" audit "${admin[@]}"
"$hotline" "${bj[@]}" audit verify "${admin[@]}"
echo "== What Singapore heard is in $out/heard-in-singapore.wav (Beijing sent $out/speech.wav)"
