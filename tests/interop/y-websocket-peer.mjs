// One y-websocket@3.1.0 client, as a browser editor would run it, driven by
// tst_ywebsocketinterop over stdin/stdout (one JSON object per line).
//
//   node y-websocket-peer.mjs <serverUrl ws://host:port> <roomId> <token>
//
// Events it prints: {"event":"status","status"}, {"event":"synced"},
// {"event":"text","text"}, {"event":"awareness","names":[...]} (the user names
// of every remote state), {"event":"closed","code"} (a final close).
// Commands it reads:
//   {"cmd":"insert","index":n,"text":"..."}
//   {"cmd":"name","name":"..."}      sets the local awareness state {user:{name}}
//   {"cmd":"quiet"}                  sets the local awareness state to null (an idle tab)
//   {"cmd":"report"}                 -> {"event":"report","text","synced","connects","disconnects"}
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import { createInterface } from 'node:readline'

const [serverUrl, roomId, token] = process.argv.slice(2)
const doc = new Y.Doc()
const text = doc.getText('content')
// Node 20 has no global WebSocket, and its BroadcastChannel would let two
// providers in one machine sync without the server: both are ruled out.
const provider = new WebsocketProvider(serverUrl + '/yjs', roomId, doc, {
  params: { token },
  WebSocketPolyfill: WebSocket,
  disableBc: true
})

let connects = 0
let disconnects = 0
const say = (message) => process.stdout.write(JSON.stringify(message) + '\n')

provider.on('status', ({ status }) => {
  if (status === 'connected') connects++
  if (status === 'disconnected') disconnects++
  say({ event: 'status', status })
})
provider.on('sync', (synced) => { if (synced) say({ event: 'synced' }) })
provider.on('closed', ({ code }) => say({ event: 'closed', code }))
text.observe(() => say({ event: 'text', text: text.toString() }))
provider.awareness.on('change', () => {
  const names = []
  for (const [client, state] of provider.awareness.getStates()) {
    if (client !== doc.clientID && state && state.user) names.push(state.user.name)
  }
  say({ event: 'awareness', names: names.sort() })
})

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line)
  switch (command.cmd) {
    case 'insert':
      text.insert(command.index, command.text)
      break
    case 'name':
      provider.awareness.setLocalState({ user: { name: command.name } })
      break
    case 'quiet':
      provider.awareness.setLocalState(null)
      break
    case 'report':
      say({ event: 'report', text: text.toString(), synced: provider.synced, connects, disconnects })
      break
    default:
      say({ event: 'error', message: `unknown command ${command.cmd}` })
  }
}).on('close', () => {
  provider.destroy()
  process.exit(0)
})
