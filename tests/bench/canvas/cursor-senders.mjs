// The sending side of bench_canvas_cursors: N users in one room, each moving
// its pointer at a fixed rate, on their own WebSocket (a separate process, so
// the benchmark's CPU figures hold only the receiving client).
//
//   node cursor-senders.mjs --url ws://127.0.0.1:PORT/ws --room R --rate 30 \
//        --queries FILE [--auth] [--width 1280] [--height 800]
//
// FILE holds one query string per sender ("token=…" for tandem-server,
// "user=…" for the Node relay). With --auth a sender joins once `auth:ok`
// arrived, otherwise as soon as its socket is open. Prints "joined N" when
// every sender is in the room, "sending" when the schedules start, and on
// end of stdin (or SIGTERM) one JSON line of counters, then exits.
//
// Each sender sends cursor:move on its own schedule (start + k / rate, the
// senders' phases spread evenly over one period) along a circle inside the
// receiver's view, so every update moves the cursor on screen. Everything
// received is counted, not parsed; `error` messages are counted apart.
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';

const args = new Map();
for (let i = 2; i < process.argv.length; ++i) {
  const name = process.argv[i].replace(/^--/, '');
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith('--')) args.set(name, true);
  else { args.set(name, next); ++i; }
}
const url = args.get('url');
const room = args.get('room') ?? 'canvas';
const rate = Number(args.get('rate') ?? 30);
const width = Number(args.get('width') ?? 1280);
const height = Number(args.get('height') ?? 800);
const auth = args.get('auth') === true;
const queries = readFileSync(args.get('queries'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

const periodMs = 1000 / rate;
const counters = { senders: queries.length, sent: 0, received: 0, errors: 0, closed: 0, maxLagMs: 0, firstError: '' };
const sockets = [];
let joined = 0;
let sending = false;

function place(index) {
  // Centres on a grid inside the view, a small circle around each.
  const columns = Math.ceil(Math.sqrt(queries.length * width / height));
  const rows = Math.ceil(queries.length / columns);
  const cx = (width * ((index % columns) + 0.5)) / columns;
  const cy = (height * (Math.floor(index / columns) + 0.5)) / rows;
  return { cx, cy, radius: Math.min(width / columns, height / rows) * 0.35 };
}

function startSending() {
  sending = true;
  console.log('sending');
  const start = performance.now();
  sockets.forEach((socket, index) => {
    const { cx, cy, radius } = place(index);
    let k = 0;
    const offset = (periodMs * index) / sockets.length;
    const tick = () => {
      if (!sending) return;
      const now = performance.now();
      const due = start + offset + k * periodMs;
      counters.maxLagMs = Math.max(counters.maxLagMs, now - due);
      if (socket.readyState === WebSocket.OPEN) {
        const angle = (2 * Math.PI * k) / (rate * 2) + index; // one turn every 2 s
        const x = Math.round((cx + radius * Math.cos(angle)) * 10) / 10;
        const y = Math.round((cy + radius * Math.sin(angle)) * 10) / 10;
        socket.send(JSON.stringify({ id: `${index}-${k}`, type: 'cursor:move', payload: { roomId: room, x, y } }));
        ++counters.sent;
      }
      ++k;
      setTimeout(tick, Math.max(0, start + offset + k * periodMs - performance.now()));
    };
    setTimeout(tick, offset);
  });
}

queries.forEach((query, index) => {
  const socket = new WebSocket(`${url}?${query}`, { perMessageDeflate: false });
  sockets.push(socket);
  const join = () => socket.send(JSON.stringify({ id: `join-${index}`, type: 'room:join', payload: { roomId: room } }));
  let inRoom = false;
  socket.on('open', () => { if (!auth) join(); });
  socket.on('message', (data) => {
    ++counters.received;
    if (!inRoom) {
      const text = data.toString();
      if (text.includes('"auth:ok"')) join();
      if (text.includes('"room:joined"')) {
        inRoom = true;
        if (++joined === queries.length) {
          console.log(`joined ${joined}`);
          startSending();
        }
      }
    }
    if (data.length < 400 && data.includes('"type":"error"')) {
      ++counters.errors;
      if (!counters.firstError) counters.firstError = data.toString();
    }
  });
  socket.on('close', () => { ++counters.closed; });
  socket.on('error', (error) => {
    if (!counters.firstError) counters.firstError = String(error);
  });
});

function finish() {
  sending = false;
  console.log(JSON.stringify(counters));
  for (const socket of sockets) socket.terminate();
  process.exit(0);
}
process.stdin.on('end', finish);
process.stdin.resume();
process.on('SIGTERM', finish);
