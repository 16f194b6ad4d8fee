#!/usr/bin/env bash
# The README's first command: install what is missing, build (release) and run the demo call.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
HOTLINE_BOOTSTRAP_FUZZ=0 scripts/bootstrap.sh
cmake --preset release
cmake --build --preset release --target hotline
scripts/demo.sh build/release
