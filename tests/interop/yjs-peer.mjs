// A line-based Yjs peer for the C++ CRDT interop tests (tst_yjsinterop).
// Reads one JSON command per line on stdin and answers one JSON line on
// stdout. Binary values (updates, state vectors) travel as base64; text is
// returned as base64 of its UTF-16LE code units so lone surrogates survive.
//
//   {"cmd":"new","doc":0,"client":123}              -> {"ok":true}
//   {"cmd":"insert","doc":0,"index":1,"text":"x"}   -> {"ok":true}  (index wraps: index % (length+1))
//   {"cmd":"delete","doc":0,"index":1,"length":2}   -> {"ok":true}  (index wraps: index % length)
//   {"cmd":"apply","doc":0,"update":"<b64>"}        -> {"ok":true}
//   {"cmd":"drain","doc":0}                         -> {"ok":true,"updates":["<b64>",...]}
//   {"cmd":"text","doc":0}                          -> {"ok":true,"utf16":"<b64>","length":n}
//   {"cmd":"sv","doc":0}                            -> {"ok":true,"sv":"<b64>"}
//   {"cmd":"diff","doc":0,"sv":"<b64>"}             -> {"ok":true,"update":"<b64>"}
//   {"cmd":"reset"}                                 -> {"ok":true}
import * as Y from 'yjs'
import { createInterface } from 'node:readline'

const docs = new Map()
const outbox = new Map()
const textName = 'text'

const b64 = (bytes) => Buffer.from(bytes).toString('base64')
const unb64 = (text) => new Uint8Array(Buffer.from(text, 'base64'))

function docOf (id) {
  const doc = docs.get(id)
  if (!doc) throw new Error(`no doc ${id}`)
  return doc
}

const handlers = {
  new ({ doc: id, client }) {
    const doc = new Y.Doc()
    if (client !== undefined) doc.clientID = client
    docs.set(id, doc)
    outbox.set(id, [])
    // Only a doc's own edits go out; what it applied came from somewhere else.
    doc.on('update', (update, origin, doc, transaction) => {
      if (transaction.local) outbox.get(id).push(b64(update))
    })
    return {}
  },
  // Indices wrap around the current length so a driver can pick them blind.
  insert ({ doc, index, text }) {
    const type = docOf(doc).getText(textName)
    type.insert(index % (type.length + 1), text)
    return {}
  },
  delete ({ doc, index, length }) {
    const type = docOf(doc).getText(textName)
    if (type.length === 0) return {}
    const at = index % type.length
    type.delete(at, Math.min(length, type.length - at))
    return {}
  },
  apply ({ doc, update }) {
    // Y.applyUpdate catches nothing: an exception here is a failed test.
    Y.applyUpdate(docOf(doc), unb64(update))
    return {}
  },
  drain ({ doc }) {
    docOf(doc)
    const updates = outbox.get(doc)
    outbox.set(doc, [])
    return { updates }
  },
  text ({ doc }) {
    const text = docOf(doc).getText(textName).toString()
    return { utf16: Buffer.from(text, 'utf16le').toString('base64'), length: text.length }
  },
  sv ({ doc }) { return { sv: b64(Y.encodeStateVector(docOf(doc))) } },
  diff ({ doc, sv }) { return { update: b64(Y.encodeStateAsUpdate(docOf(doc), unb64(sv))) } },
  reset () {
    for (const doc of docs.values()) doc.destroy()
    docs.clear()
    outbox.clear()
    return {}
  }
}

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  let reply
  try {
    const command = JSON.parse(line)
    const handler = handlers[command.cmd]
    if (!handler) throw new Error(`unknown command ${command.cmd}`)
    reply = { ok: true, ...handler(command) }
  } catch (error) {
    reply = { ok: false, error: String(error && error.stack ? error.stack : error) }
  }
  process.stdout.write(JSON.stringify(reply) + '\n')
})
lines.on('close', () => process.exit(0))
