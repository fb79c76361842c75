// The Node reference for bench_fanout: the smallest `ws` server that relays
// Tandem's `cursor:move` as tandem-server does. It answers `room:join` with
// `room:joined` and sends every `cursor:move` to the room's other sockets as
// {id, type, ts, room, payload: {roomId, userId, x, y}}, serialised once per
// message. No auth, storage, validation or backpressure: it is the floor a
// server doing real work is compared against.
//
//   node tests/bench/node-relay.mjs   → prints "listening on PORT" (127.0.0.1, port chosen by the OS)
import { randomUUID } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';

const rooms = new Map(); // roomId -> Set of sockets

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
server.on('listening', () => console.log(`listening on ${server.address().port}`));

server.on('connection', (socket, request) => {
  const userId = new URL(request.url, 'http://127.0.0.1').searchParams.get('user') ?? 'bench';
  const joined = new Set();

  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    const payload = message.payload ?? {};
    const roomId = payload.roomId;
    if (typeof roomId !== 'string') return;

    if (message.type === 'room:join') {
      if (!rooms.has(roomId)) rooms.set(roomId, new Set());
      rooms.get(roomId).add(socket);
      joined.add(roomId);
      socket.send(JSON.stringify({
        id: randomUUID(), type: 'room:joined', ts: new Date().toISOString(), room: roomId,
        payload: { roomId, ref: message.id },
      }));
    } else if (message.type === 'cursor:move' && joined.has(roomId)) {
      const text = JSON.stringify({
        id: randomUUID(), type: 'cursor:move', ts: new Date().toISOString(), room: roomId,
        payload: { roomId, userId, x: payload.x, y: payload.y },
      });
      for (const peer of rooms.get(roomId)) {
        if (peer !== socket && peer.readyState === WebSocket.OPEN) peer.send(text);
      }
    }
  });

  socket.on('close', () => {
    for (const roomId of joined) {
      const peers = rooms.get(roomId);
      peers.delete(socket);
      if (peers.size === 0) rooms.delete(roomId);
    }
  });
});
