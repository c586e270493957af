#!/usr/bin/env bash
# Installs what the terminal needs on Debian 12 and builds the locked Python environment in .venv.
# Safe to run again: it only installs what is missing. Needs root (or sudo) for the Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's runtime libraries (the wheels bundle Qt itself; the Linux bundle takes the client libraries of the host's
# services from the system: X11, fontconfig, CUPS, PulseAudio, speech-dispatcher, D-Bus, Kerberos; and OpenSSL,
# the C++ runtime and the compression libraries; see docs/packaging.md), speech, and the tools the tests drive:
# poppler-utils reads the PDFs we print, nsis compiles the Windows installer and p7zip-full lists its files; pcscd
# with the vpcd virtual reader is the PC/SC stack the social security card driver is tested against, and gcc
# builds the test vendor library.
# pyscard has no Linux wheel: uv builds it from source with swig, the PC/SC headers and the Python headers.
# binutils builds the Linux bundle (PyInstaller's objdump and strip; as, ld, nm, readelf for ICU's trimmed data).
# postgresql: the tests and `kiosk bench center` start a throwaway cluster of their own for the center on
# PostgreSQL; chromium and chromium-driver: the fleet console is tested in a real browser.
DEBIAN_PACKAGES=(
  libgl1 libegl1 libgl1-mesa-dri libegl-mesa0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0
  libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libwayland-cursor0 libwayland-egl1 libpulse0 libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng
  libcups2 libssl3
  poppler-utils nsis p7zip-full pcscd libpcsclite1 vsmartcard-vpcd gcc libc6-dev libusb-1.0-0
  libpcsclite-dev swig python3-dev binutils
  postgresql chromium chromium-driver
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A root folder made private (mode 700, as a bare root unpacked into a folder from mktemp is) lets no other user
# reach any program: PostgreSQL runs as the postgres system user and could not start. A system's / is 755.
if [ "$(id -u)" -eq 0 ] && [ $(( 0$(stat -c %a /) & 1 )) -eq 0 ]; then
  echo "setup: the root folder / is not searchable by other users (mode $(stat -c %a /)); making it 755"
  chmod 755 /
fi

PYTHON="${PYTHON:-python3}"
if ! command -v uv >/dev/null 2>&1; then
  export PATH="$HOME/.local/bin:$PATH"
fi
if ! command -v uv >/dev/null 2>&1; then
  echo "setup: installing uv with pip"
  "$PYTHON" -m pip install --quiet --user uv 2>/dev/null \
    || "$PYTHON" -m pip install --quiet --user --break-system-packages uv
fi

# The locked environment, on the machine's own Python 3.11 (uv may not download interpreters here): the terminal,
# the reference center, and the dev group (test tools, and PyInstaller through the build group it includes).
uv sync --frozen --quiet --extra center --group dev --python "$(command -v "$PYTHON")"
