// A JavaScript editor's view of Tandem's awareness cursors: one y-websocket
// client that reads and writes the y-codemirror convention
//   {user: {name, color}, cursor: {anchor, head}}   (relativePositionToJSON)
// driven by tst_documentcursorinterop over stdin/stdout, one JSON per line.
//
//   node cursor-peer.mjs <modulesDir> <serverUrl ws://host:port> <roomId> <token>
//
// Events: {"event":"synced"}, {"event":"text","text"},
//         {"event":"cursors","cursors":[{name,color,anchor,head}]} (remote
//         cursors resolved to indices in `content` by yjs itself).
// Commands: {"cmd":"insert","index","text"}, {"cmd":"cursor","anchor","head"}.
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

const [modulesDir, serverUrl, roomId, token] = process.argv.slice(2)
const require = createRequire(modulesDir + '/')
const Y = require('yjs')
const { WebsocketProvider } = require('y-websocket')
const WebSocket = require('ws')

const doc = new Y.Doc()
const text = doc.getText('content')
const provider = new WebsocketProvider(serverUrl + '/yjs', roomId, doc, {
  params: { token },
  WebSocketPolyfill: WebSocket,
  disableBc: true
})
provider.awareness.setLocalStateField('user', { name: 'js', color: '#30bced', colorLight: '#30bced33' })
const say = (message) => process.stdout.write(JSON.stringify(message) + '\n')

const reportCursors = () => {
  const cursors = []
  for (const [client, state] of provider.awareness.getStates()) {
    if (client === doc.clientID || !state || !state.cursor) continue
    const anchor = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(state.cursor.anchor), doc)
    const head = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(state.cursor.head), doc)
    if (!anchor || !head || anchor.type !== text || head.type !== text) continue
    cursors.push({ name: state.user && state.user.name, color: state.user && state.user.color, anchor: anchor.index, head: head.index })
  }
  say({ event: 'cursors', cursors })
}
provider.on('sync', (synced) => { if (synced) say({ event: 'synced' }) })
text.observe(() => { say({ event: 'text', text: text.toString() }); reportCursors() })
provider.awareness.on('change', reportCursors)

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line)
  if (command.cmd === 'insert') {
    text.insert(command.index, command.text)
  } else if (command.cmd === 'cursor') {
    provider.awareness.setLocalStateField('cursor', {
      anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, command.anchor)),
      head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, command.head))
    })
  }
}).on('close', () => {
  provider.destroy()
  process.exit(0)
})
