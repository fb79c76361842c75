#!/usr/bin/env bash
# The run command: install what is missing, build, and start tandem-server on
# SQLite in ./data (override with TANDEM_DATA and TANDEM_LISTEN).
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_BUILD_TESTS=OFF >/dev/null
cmake --build build/release --target tandem-server

server=build/release/server/tandem-server
data=${TANDEM_DATA:-$PWD/data}
listen=${TANDEM_LISTEN:-127.0.0.1:7420}
port=${listen##*:}

cat <<HOW
------------------------------------------------------------------------------
tandem-server is starting; its data lives in $data
  add a user:    $server user add alice --data "$data"   (type the password)
  sign in:       curl -s -X POST http://127.0.0.1:$port/api/login \\
                   -H 'Content-Type: application/json' \\
                   -d '{"username":"alice","password":"..."}'
  chat:          connect a WebSocket to ws://127.0.0.1:$port/ws, send
                   {"type":"auth","payload":{"token":"<token>"}}
                   {"type":"room:join","payload":{"roomId":"general"}}
                   {"type":"chat:send","payload":{"roomId":"general","text":"hi"}}
                 (docs/PROTOCOL.md has every message)
  stop:          Ctrl+C here, or kill -TERM <pid>; clients get close code 1001
------------------------------------------------------------------------------
HOW
exec "$server" serve --data "$data" --listen "$listen"
