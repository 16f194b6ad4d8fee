#!/usr/bin/env bash
# Makes a deterministic speech test file: 48 kHz, mono, 16-bit WAV spoken by espeak-ng.
# Usage: scripts/make-speech.sh OUT.wav [TEXT]
# The same text always yields the same bytes (no dither, fixed voice and rate), so tests can
# rely on the content. The output appears atomically: a temp file in the same directory is
# renamed over OUT.wav once complete.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || "$1" == -h || "$1" == --help ]]; then
  echo "usage: $0 OUT.wav [TEXT]" >&2
  exit 2
fi
out=$1
text=${2:-"This is a hotline check. Console one calling console two. Please confirm that you \
hear me clearly. One, two, three, four, five. End of check."}

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
done

out_dir=$(dirname -- "$out")
tmp_raw=$(mktemp "${out_dir}/.make-speech.XXXXXX.espeak.wav")
tmp_out=$(mktemp "${out_dir}/.make-speech.XXXXXX.wav")
trap 'rm -f -- "$tmp_raw" "$tmp_out"' EXIT

# Fixed voice, speed, pitch and amplitude: espeak-ng's defaults could change with config.
espeak-ng -v en-us -s 150 -p 50 -a 100 -w "$tmp_raw" -- "$text"
# -R: repeatable (fixed seeds); -D: no dither; gain -n -3: peak-normalise to -3 dBFS.
sox -R -D "$tmp_raw" -c 1 -b 16 -e signed-integer "$tmp_out" gain -n -3 rate -v 48000
mv -f -- "$tmp_out" "$out"
