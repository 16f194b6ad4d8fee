#!/usr/bin/env bash
# The README's second command (and what CI runs): install what is missing, build every test
# with warnings as errors, and run them all.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
scripts/bootstrap.sh

echo "== Build and test (warnings are errors)"
cmake --preset ci
cmake --build --preset ci
ctest --preset ci

echo "== Build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan-ubsan
cmake --build --preset asan-ubsan
ctest --preset asan-ubsan
