#!/usr/bin/env bash
# The README's first command: install what is missing, build (release), and start the demo:
# two consoles, "Beijing" and "Singapore", in one session with throw-away profiles on
# loopback, cards exchanged and verified. Click Call in one window and Accept in the other.
#
# Without a display (a server, a CI machine) the demo runs on a virtual X server instead and
# walks through every view by itself: a call placed, accepted, the SAS confirmed on both sides,
# hung up, then the history, peers, audit log and settings; screenshots of each go to
# demo-output/screenshots/. The headless command-line demo (scripts/demo.sh) runs after it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
HOTLINE_BOOTSTRAP_FUZZ=0 scripts/bootstrap.sh
cmake --preset release
cmake --build --preset release --target hotline hotline-console
console=build/release/app/hotline-console

if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
  exec "$console" --demo
fi
echo "== No display: the demo walks through itself on a virtual X server"
mkdir -p demo-output/screenshots
xvfb-run -a -s "-screen 0 1920x1080x24" "$console" --demo --screenshots demo-output/screenshots
echo "== Screenshots of every view are in demo-output/screenshots/"
echo "== And the same call between two headless consoles on the command line:"
scripts/demo.sh build/release
