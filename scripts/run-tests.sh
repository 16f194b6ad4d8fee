#!/usr/bin/env bash
# The README's second command (and what CI runs): install what is missing, build every test
# with warnings as errors and run them all; then the whole suite again under AddressSanitizer +
# UBSan and under ThreadSanitizer; then every fuzz target for FUZZ_SECONDS (default 20) each.
# Each stage prints its wall time, so a CI log shows where the time goes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
scripts/bootstrap.sh

stage() {  # stage TITLE COMMAND...: run the command, then report how long it took
  local title=$1 started=$SECONDS
  shift
  echo "== $title"
  "$@"
  echo "== $title: done in $((SECONDS - started)) s"
}
build_and_test() {  # build_and_test PRESET
  cmake --preset "$1"
  cmake --build --preset "$1"
  ctest --preset "$1"
}

stage "Build and test (warnings are errors)" build_and_test ci
stage "Build and test under AddressSanitizer + UndefinedBehaviorSanitizer" build_and_test asan-ubsan
stage "Build and test under ThreadSanitizer" build_and_test tsan
stage "Fuzz every parser (libFuzzer, ASan + UBSan)" \
  env HOTLINE_FUZZ_BUILD_JOBS="$(nproc)" scripts/run-fuzz.sh "${FUZZ_SECONDS:-20}"
