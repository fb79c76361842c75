#!/usr/bin/env bash
# Runs tst_keychain against a real Secret Service: a gnome-keyring daemon,
# unlocked with a throwaway password, in a fresh HOME. CTest starts this under
# `dbus-run-session`, so the daemon lives on a private session bus and dies
# with it. Usage: dbus-run-session -- bash run-keychain-test.sh <tst_keychain binary>
set -euo pipefail
binary=$1

if [[ -z ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
    echo "run-keychain-test: no session bus; run me under dbus-run-session" >&2
    exit 1
fi
command -v gnome-keyring-daemon >/dev/null || {
    echo "run-keychain-test: gnome-keyring-daemon is missing (apt install gnome-keyring)" >&2
    exit 1
}

HOME=$(mktemp -d "${TMPDIR:-/tmp}/tandem-keychain.XXXXXX")
export HOME
export XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config XDG_CACHE_HOME=$HOME/.cache
export XDG_RUNTIME_DIR=$HOME/runtime
mkdir -p "$HOME/.local/share/keyrings" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
trap 'rm -rf "$HOME"' EXIT

# Without an unlock password and the keyrings folder, gnome-keyring wants a
# prompt and every job fails with "Object does not exist at path …/collection/login".
eval "$(echo -n tandem-test-unlock | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

"$binary"
