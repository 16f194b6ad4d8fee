#!/usr/bin/env bash
# Mouth-to-ear delay through the software pipeline (docs/performance.md, "Mouth-to-ear
# delay"): builds hotline-delay-probe with the release preset and runs it over the matrix
# below, every configuration RUNS times in a row, printing a Markdown table. Every run's full
# result (each chirp's delay, playout statistics, offline stage delays) is also appended as
# one JSON object per line to BUILD_DIR/delay-runs.jsonl.
#
# Usage: scripts/measure-delay.sh [BUILD_DIR]        (default build/release)
# Environment: RUNS (default 2), MEASURE_SECONDS (30), WARMUP_SECONDS (15),
#              JOBS (build parallelism, default: cmake's)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build/release}
runs=${RUNS:-2}
seconds=${MEASURE_SECONDS:-30}
warmup=${WARMUP_SECONDS:-15}

cd "$repo"
cmake --preset release -B "$build" >&2
cmake --build "$build" ${JOBS:+-j "$JOBS"} --target hotline-delay-probe >&2
probe=$build/tests/bench/hotline-delay-probe
# The figures in docs/performance.md are measured with soft real-time scheduling.
export HOTLINE_REALTIME=${HOTLINE_REALTIME:-1}
details=$build/delay-runs.jsonl
: > "$details"

# frame ms, network delay ms (0 = clean; N = N +- N/2 ms jitter), device period ms, voice processing
matrix=(
  "20 0 5 off"
  "20 20 5 off"
  "10 0 5 off"
  "10 20 5 off"
  "20 0 10 off"
  "10 0 10 off"
  "20 0 5 on"
)

echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -sm)) by \`RUNS=$runs scripts/measure-delay.sh\`:"
echo "${warmup} s warm-up, then ${seconds} s with a chirp every 1.5 s; each configuration run $runs times."
echo
echo "| Frames | Network | Device period | Voice processing | Chirps found | Min ms | Median ms | P95 ms | Max ms | Arrival to heard ms | Concealed ms | Underruns |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for row in "${matrix[@]}"; do
  read -r frame net period voice <<< "$row"
  for _ in $(seq "$runs"); do
    "$probe" --frame-ms "$frame" --jitter-ms "$net" --device-period-ms "$period" \
      --voice-processing "$voice" --seconds "$seconds" --warmup-seconds "$warmup" --markdown \
      --json-file "$details"
  done
done
