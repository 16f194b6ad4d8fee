#!/usr/bin/env bash
# Renders every view of the console from the real widgets (the demo's scripted tour, on the
# offscreen platform) into docs/screenshots/, which the README shows. Run after a UI change.
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build/release}
cd "$repo"
cmake --preset release -B "$build" > /dev/null
cmake --build "$build" --target hotline-console
QT_QPA_PLATFORM=offscreen "$build/app/hotline-console" --demo --screenshots docs/screenshots
