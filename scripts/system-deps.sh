#!/bin/sh
# Debian/Ubuntu packages the program and its tests need beyond Python: Qt's runtime libraries (present on most
# desktops, missing on a bare server), poppler-utils (the real PDF renderer the PDF tests use) and Xvfb (for
# screenshots of the real window), and a free Song face (AR PL UMing) so the official-document tests prove a
# system font is found and embedded, and the PostgreSQL server the county's server tests start on a local port
# of their own (tests/conftest.py). Installs only what is missing; does nothing where apt-get is absent.
set -eu
PACKAGES="libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
poppler-utils xvfb fonts-arphic-uming postgresql"
[ "${1:-}" = "--runtime" ] && PACKAGES=$(echo "$PACKAGES" | sed 's/poppler-utils//; s/xvfb//; s/fonts-arphic-uming//; s/postgresql//')

command -v apt-get >/dev/null 2>&1 || { echo "system-deps: no apt-get here; install Qt's runtime libraries and poppler-utils yourself" >&2; exit 0; }
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "system-deps: please install:$missing (needs root)" >&2; exit 1
fi
echo "system-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
