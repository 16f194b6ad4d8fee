#!/usr/bin/env bash
# The .deb CPack makes installs the console where a desktop finds it: both programs, the
# desktop entry and the icon, with the Qt, Opus, PortAudio and sodium libraries as dependencies.
# Usage: package_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work" > "$work/cpack.log") || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/*.deb)
contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/hotline ./usr/bin/hotline-console ./usr/share/applications/hotline-console.desktop \
            ./usr/share/icons/hicolor/scalable/apps/hotline-console.svg; do
  grep -q " $path\$" <<< "$contents" || { echo "missing $path in $deb"; exit 1; }
done
depends=$(dpkg-deb --field "$deb" Depends)
for lib in libqt6widgets6 libopus0 libportaudio2 libsodium23; do
  grep -q "$lib" <<< "$depends" || { echo "Depends lacks $lib: $depends"; exit 1; }
done
echo "$(basename "$deb"): $(wc -l <<< "$contents") entries; Depends: $depends"
