#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need.
# Idempotent: packages already present are skipped; apt is only touched when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git clang clang-format dpkg-dev file python3
  libsodium-dev libopus-dev portaudio19-dev libspeexdsp-dev libsqlite3-dev sqlite3
  libasio-dev nlohmann-json3-dev libbenchmark-dev
  espeak-ng sox
)
if [[ "${HOTLINE_BOOTSTRAP_GUI:-1}" == 1 ]]; then
  packages+=(qt6-base-dev qt6-tools-dev qt6-l10n-tools qt6-svg-dev libqt6svg6 libqrencode-dev
             fonts-noto-cjk xvfb xauth poppler-utils
             qt6-translations-l10n)
fi
if [[ "${HOTLINE_BOOTSTRAP_AUDIO:-1}" == 1 ]]; then
  packages+=(pulseaudio pulseaudio-utils libasound2-plugins alsa-utils)
fi
if [[ "${HOTLINE_BOOTSTRAP_FUZZ:-1}" == 1 ]]; then
  packages+=(libclang-rt-14-dev)
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

catch2_ok() { dpkg --compare-versions "$(dpkg-query -W -f='${Version}' libcatch2-dev 2>/dev/null || echo 0)" ge 3; }

if [[ ${#missing[@]} -eq 0 ]] && catch2_ok; then
  echo "bootstrap: all packages present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Catch2 v3 is only in bookworm-backports on Debian 12; newer releases ship it in main.
if grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release; then
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" |
      "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/hotline-backports.list >/dev/null
  fi
  catch2_target=(-t bookworm-backports libcatch2-dev)
else
  catch2_target=(libcatch2-dev)
fi

"${sudo_cmd[@]}" apt-get update -q
if [[ ${#missing[@]} -gt 0 ]]; then
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if ! catch2_ok; then
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${catch2_target[@]}"
fi
echo "bootstrap: done"
