// The Yjs side of bench_crdt: the same measurements on the same data with
// yjs 13.6.33 under Node, printed as one JSON object on stdout.
//   node --expose-gc yjs-bench.mjs <data dir> <runs>
// Editing trace by Martin Kleppmann and Alastair R. Beresford
// (automerge-perf), CC BY 4.0.
import * as Y from 'yjs'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

const [dataDir, runsArg] = process.argv.slice(2)
const runs = Number(runsArg || 5)
const trace = JSON.parse(gunzipSync(readFileSync(`${dataDir}/automerge-paper.json.gz`)).toString('utf8'))
const patches = trace.txns.flatMap((txn) => txn.patches)
const b4 = new Uint8Array(readFileSync(`${dataDir}/b4-update.bin`))

const collect = () => { global.gc(); global.gc() }
const result = { replayCpuMs: [], decodeCpuMs: [], replayMs: [], updateBytes: 0, decodeMs: [], encodeMs: [], encodedBytes: 0, heapKiB: [], rssKiB: [] }

// Each edit its own transaction, with a v1 `update` listener as y-websocket has.
// The text type stays local so that dropping `doc` frees everything.
// CPU time (user + system, all threads) next to wall time: the figures the
// shared benchmark machine's other load disturbs least.
const cpuMs = (since) => { const used = process.cpuUsage(since); return (used.user + used.system) / 1000 }

function replay () {
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  const doc = new Y.Doc()
  const text = doc.getText('text')
  let updateBytes = 0
  doc.on('update', (update) => { updateBytes += update.length })
  for (const [pos, del, ins] of patches) {
    if (del > 0) text.delete(pos, del)
    if (ins) text.insert(pos, ins)
  }
  const ms = performance.now() - start
  const cpu = cpuMs(cpuStart)
  if (text.toString() !== trace.endContent) throw new Error('replay diverged')
  return { doc, updateBytes, ms, cpu }
}

for (let run = 0; run < runs; ++run) {
  let { doc, updateBytes, ms, cpu } = replay()
  result.replayMs.push(ms)
  result.replayCpuMs.push(cpu)
  result.updateBytes = updateBytes

  let start = performance.now()
  const encoded = Y.encodeStateAsUpdate(doc)
  result.encodeMs.push(performance.now() - start)
  result.encodedBytes = encoded.length
  // Memory of the final doc: what the heap and RSS give back when it goes.
  collect()
  const withDoc = process.memoryUsage()
  doc.destroy()
  doc = null
  collect()
  const withoutDoc = process.memoryUsage()
  result.heapKiB.push(Math.round((withDoc.heapUsed - withoutDoc.heapUsed) / 1024))
  result.rssKiB.push(Math.round((withDoc.rss - withoutDoc.rss) / 1024))

  const decodeCpuStart = process.cpuUsage()
  start = performance.now()
  const decoded = new Y.Doc()
  Y.applyUpdate(decoded, b4)
  const decodedText = decoded.getText('text').toString()
  result.decodeMs.push(performance.now() - start)
  result.decodeCpuMs.push(cpuMs(decodeCpuStart))
  if (decodedText !== trace.endContent) throw new Error('b4 decode diverged')
  decoded.destroy()
}
process.stdout.write(JSON.stringify(result) + '\n')
