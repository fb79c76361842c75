#!/usr/bin/env bash
# The run command: install what is missing, build tandem-server and the
# desktop app, and start the server on SQLite in ./data (override with
# TANDEM_DATA and TANDEM_LISTEN). The first run creates the user `demo`, its
# generated password in data/demo-password. With a display, the server runs in
# the background and the app opens signed in as demo (its first sign-in joins,
# and so creates, the room "general"); closing the app stops the server.
# Without a display, it prints how to connect and keeps the server in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_BUILD_TESTS=OFF \
    -DTANDEM_BUILD_DESKTOP=ON >/dev/null
cmake --build build/release --target tandem-server tandem

server=build/release/server/tandem-server
app=build/release/app/tandem
data=${TANDEM_DATA:-$PWD/data}
listen=${TANDEM_LISTEN:-127.0.0.1:7420}
port=${listen##*:}
host=${listen%:*}
[[ $host == 0.0.0.0 || $host == '[::]' || -z $host ]] && host=127.0.0.1
url=http://$host:$port
mkdir -p "$data"

# The demo user, once: a random password, readable only by you.
password_file=$data/demo-password
if [[ ! -s $password_file ]]; then
    if "$server" user list --data "$data" | cut -f1 | grep -qx demo; then
        echo "run: the user demo exists but $password_file is gone; remove it with" >&2
        echo "     $server user remove demo --data \"$data\"   and run again" >&2
        exit 1
    fi
    password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    printf '%s\n' "$password" | "$server" user add demo --data "$data" >/dev/null
    (umask 077 && printf '%s\n' "$password" >"$password_file")
    echo "run: created the user demo; its password is in $password_file"
fi

how_to_connect() {
    cat <<HOW
------------------------------------------------------------------------------
tandem-server $1; its data lives in $data
  the app:       $app --server $url --user demo
                   (password: $(<"$password_file"), also in $password_file)
  add a user:    $server user add alice --data "$data"   (type the password)
  sign in:       curl -s -X POST $url/api/login \\
                   -H 'Content-Type: application/json' \\
                   -d '{"username":"demo","password":"..."}'
  chat:          connect a WebSocket to ws://$host:$port/ws, send
                   {"type":"auth","payload":{"token":"<token>"}}
                   {"type":"room:join","payload":{"roomId":"general"}}
                   {"type":"chat:send","payload":{"roomId":"general","text":"hi"}}
                 (docs/PROTOCOL.md has every message)
  stop:          $2
------------------------------------------------------------------------------
HOW
}

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    how_to_connect "is starting (no display here, so no app)" \
        "Ctrl+C here, or kill -TERM <pid>; clients get close code 1001"
    exec "$server" serve --data "$data" --listen "$listen"
fi

"$server" serve --data "$data" --listen "$listen" >>"$data/server.log" 2>&1 &
server_pid=$!
trap 'kill -TERM $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -sf "$url/healthz" >/dev/null && break
    kill -0 $server_pid 2>/dev/null || { echo "run: tandem-server failed; see $data/server.log" >&2; exit 1; }
    sleep 0.2
done
how_to_connect "runs in the background (log: $data/server.log)" "close the app: the server stops with it"

# Sign demo in here and hand the token (never the password) to the app in
# TANDEM_TOKEN; the app checks it, keeps it in the keychain like any sign-in,
# and removes the variable from its environment.
token=$(curl -sf -X POST "$url/api/login" -H 'Content-Type: application/json' \
    --data-binary @<(printf '{"username":"demo","password":"%s"}' "$(<"$password_file")") |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[[ -n $token ]] || { echo "run: could not sign demo in at $url" >&2; exit 1; }
TANDEM_TOKEN=$token "$app" --server "$url" --user demo --profile "$data/desktop-demo"
