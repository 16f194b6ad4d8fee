#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz"), replays every saved crash in
# tests/fuzz/regressions/<target>/ once, then fuzzes each target for SECONDS_PER_TARGET seconds
# on a scratch copy of its seed corpus (build/fuzz/corpus-work/<target>; it keeps growing from
# run to run, delete it to start from the seeds again). Prints one line per target and exits
# non-zero if any input crashed, naming the saved artifact.
#
#   scripts/run-fuzz.sh [SECONDS_PER_TARGET]   (default 30)
#   HOTLINE_FUZZ_TARGETS="fuzz_wav fuzz_psk"   only these targets
#   HOTLINE_FUZZ_BUILD_JOBS=N                  parallel build jobs (default 1)
#   HOTLINE_FUZZ_JOBS=N                        targets fuzzed at once (default: one per core)
set -euo pipefail

seconds="${1:-30}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: $0 [SECONDS_PER_TARGET]" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build=build/fuzz
fuzz_src=tests/fuzz

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "${HOTLINE_FUZZ_BUILD_JOBS:-1}"

if [[ -n "${HOTLINE_FUZZ_TARGETS:-}" ]]; then
  read -r -a targets <<<"$HOTLINE_FUZZ_TARGETS"
else
  targets=()
  for source in "$fuzz_src"/fuzz_*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi

mkdir -p "$build/artifacts" "$build/logs" "$build/corpus-work"
failed=()

# ---- Replay: each saved crash must now run clean -----------------------------------------
for t in "${targets[@]}"; do
  regressions=("$fuzz_src/regressions/$t"/*)
  [[ -e "${regressions[0]}" ]] || continue
  log="$build/logs/$t-regressions.log"
  if "$build/$fuzz_src/$t" "${regressions[@]}" >"$log" 2>&1; then
    echo "$t: ${#regressions[@]} regression input(s) replayed, ok"
  else
    echo "$t: REGRESSION crashed again (see $log)"
    grep -E "^Running: |ERROR|SUMMARY" "$log" | tail -n 5 | sed 's/^/    /' || true
    failed+=("$t (regression)")
  fi
done

# ---- Timed runs ------------------------------------------------------------------------
stat_of() {  # stat_of NAME LOG: a value from libFuzzer's -print_final_stats block
  sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

fuzz_one() {  # fuzz_one TARGET: fuzzes it, writes its summary (and any artifact) to TARGET.summary
  local t=$1 status=0 dict=() execs rate last cov ft corp summary
  local work="$build/corpus-work/$t" log="$build/logs/$t.log" prefix="$build/artifacts/$t-"
  local marker
  marker="$(mktemp)"
  mkdir -p "$work"
  if [[ -d "$fuzz_src/corpus/$t" ]]; then cp -R "$fuzz_src/corpus/$t/." "$work/"; fi
  [[ -f "$fuzz_src/dict/$t.dict" ]] && dict=("-dict=$fuzz_src/dict/$t.dict")
  "$build/$fuzz_src/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$prefix" "${dict[@]}" "$work" >"$log" 2>&1 || status=$?

  execs="$(stat_of number_of_executed_units "$log")"
  rate="$(stat_of average_exec_per_sec "$log")"
  # The last status line: "#N  DONE   cov: C ft: F corp: U/S ..."
  last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")"
  corp="$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")"
  summary="$(printf '%-26s %10s execs %7s exec/s  cov %5s  ft %6s  corpus %5s' "$t" \
    "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}")"
  {
    if ((status == 0)); then
      echo "$summary  ok"
    else
      echo "$summary  CRASH (exit $status, log $log)"
      find "$build/artifacts" -maxdepth 1 -name "$(basename "$prefix")*" -newer "$marker" \
        -printf '    artifact: %p\n'
      grep -E "ERROR|SUMMARY" "$log" | head -n 3 | sed 's/^/    /' || true
    fi
  } >"$build/logs/$t.summary"
  rm -f "$marker"
}

# Each target is one single-threaded process, so as many run at once as there are cores
# (HOTLINE_FUZZ_JOBS): each still gets its full SECONDS_PER_TARGET on a core of its own.
fuzz_jobs="${HOTLINE_FUZZ_JOBS:-$(nproc)}"
for t in "${targets[@]}"; do
  rm -f "$build/logs/$t.summary"
  while (($(jobs -rp | wc -l) >= fuzz_jobs)); do wait -n || true; done
  fuzz_one "$t" &
done
wait
for t in "${targets[@]}"; do
  if [[ ! -f "$build/logs/$t.summary" ]]; then
    echo "$t: no result (see $build/logs/$t.log)"
    failed+=("$t")
    continue
  fi
  cat "$build/logs/$t.summary"
  grep -q "  CRASH (exit" "$build/logs/$t.summary" && failed+=("$t")
done

if ((${#failed[@]} > 0)); then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  echo "save each artifact to tests/fuzz/regressions/<target>/ once core is fixed" >&2
  exit 1
fi
echo "all ${#targets[@]} fuzz targets ran clean (${seconds} s each)"
