#!/usr/bin/env bash
# Installs the Debian bookworm packages Tandem needs to build, run and test.
# Idempotent: it asks apt only for what is missing, so a second run costs a
# dpkg query. Must run as root (or via sudo) on Debian bookworm.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config clang-format git
    # Qt 6.4 and the SQLite driver
    qt6-base-dev qt6-websockets-dev qt6-tools-dev qt6-l10n-tools libqt6sql6-sqlite
    # the PostgreSQL backend: Qt's QPSQL driver, and the server the tests start (initdb, pg_ctl)
    libqt6sql6-psql postgresql
    # the cluster bus (hiredis) and the Redis server its tests start
    libhiredis-dev redis-server
    # server libraries
    libargon2-dev libhttp-parser-dev
    # tests make throwaway TLS certificates
    openssl
    # the interop tests run real JavaScript peers
    nodejs
    # the desktop app: the system keychain (QtKeychain over the Secret Service),
    # and what tst_keychain runs it on: a private D-Bus session with gnome-keyring
    qtkeychain-qt6-dev gnome-keyring dbus dbus-daemon
    # Qt's own strings (standard buttons, --help) in German and French
    qt6-translations-l10n
    # scripts/run.sh signs the demo user in over HTTP
    curl
    # desktop entry and AppStream checks, the icon renderer, text in offscreen screenshots
    desktop-file-utils appstream librsvg2-bin fonts-dejavu-core
)

missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
# Node may come from elsewhere than Debian (a newer build in /usr/bin or
# /usr/local/bin); any node >= 18 with npm will do.
if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=("${missing[@]/nodejs}")
else
    missing+=(npm)
fi
read -r -a missing <<<"${missing[*]}"

if ((${#missing[@]})); then
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
    echo "install-deps: all packages present"
fi
