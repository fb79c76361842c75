// The Node reference for bench_offline: a bare `ws` client that does what a
// replay does on the wire, and nothing else. It authenticates, sends COUNT
// chat:send frames, each with its own cid, keeping at most WINDOW unanswered
// (the SyncEngine's window), and waits until every cid has its ack. No store,
// no queue, no retries.
//
//   node replay-client.mjs WS_URL TOKEN ROOM COUNT WINDOW
//     → prints "elapsed_ms <ms> acks <n>": from opening the socket to the last ack
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';

const [url, token, roomId, countText, windowText] = process.argv.slice(2);
const count = Number(countText);
const window = Number(windowText);
const started = process.hrtime.bigint();
const socket = new WebSocket(url);
const unanswered = new Set();
let sent = 0;
let acked = 0;
let nextId = 0;

function sendMore() {
  while (sent < count && unanswered.size < window) {
    const cid = randomUUID();
    unanswered.add(cid);
    socket.send(JSON.stringify({ id: `r${++nextId}`, type: 'chat:send', cid, payload: { roomId, text: `m${sent}` } }));
    ++sent;
  }
}

socket.on('open', () => {
  socket.send(JSON.stringify({ id: 'auth', type: 'auth', payload: { token } }));
});
socket.on('message', (data) => {
  const message = JSON.parse(data);
  if (message.type === 'auth:ok') {
    sendMore();
  } else if (message.type === 'ack') {
    if (!unanswered.delete(message.payload.cid)) return;
    ++acked;
    if (acked === count) {
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`elapsed_ms ${elapsedMs.toFixed(3)} acks ${acked}`);
      socket.close();
      return;
    }
    // Refill at half the window, as the SyncEngine does.
    if (unanswered.size <= window / 2) sendMore();
  } else if (message.type === 'error') {
    console.error(`error: ${JSON.stringify(message.payload)}`);
    process.exit(1);
  }
});
socket.on('error', (error) => {
  console.error(`socket error: ${error.message}`);
  process.exit(1);
});
