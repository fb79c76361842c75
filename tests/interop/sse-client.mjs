// A browser-style EventSource (the `eventsource` npm package) against
// tandem-server, written only from docs/PROTOCOL.md "HTTP transports": it
// authenticates with ?token=, joins a room through POST /send, receives chat
// events, is cut off by a proxy, reconnects on its own with Last-Event-ID and
// receives exactly the events it missed, then live ones again.
//
// usage: node sse-client.mjs <baseUrl> <userA> <userB> <password>
// Exits 0 and prints "N passed, 0 failed" when every check holds.

import { EventSource } from 'eventsource';
import assert from 'node:assert/strict';
import net from 'node:net';
import { baseUrl, check, login, run, userA, userB } from './interop-script.mjs';

const room = `sse-${Date.now()}`;

/** POST /send; with no session the bearer token runs it as a one-off and the replies come back. */
async function send(envelopes, { session, token } = {}) {
  const url = new URL(`${baseUrl}/send`);
  if (session) {
    url.searchParams.set('session', session);
    url.searchParams.set('sync', '1');
  }
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(envelopes),
  });
  assert.equal(response.status, 200, `POST ${url.pathname}`);
  return (await response.json()).replies;
}

/**
 * A TCP proxy in front of the server that can cut every connection and refuse
 * new ones for a while: the network dropping, as an EventSource sees it. It
 * remembers the request heads it forwarded, to see what the client sent.
 */
class CuttableProxy {
  constructor(target) {
    this.target = target;
    this.accepting = true;
    this.sockets = new Set();
    this.heads = [];
    this.server = net.createServer((client) => this.accept(client));
  }

  listen() {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve(this.server.address().port)));
  }

  accept(client) {
    if (!this.accepting) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.target.port, this.target.hostname);
    let head = '';
    client.on('data', (chunk) => {
      if (!head.includes('\r\n\r\n')) {
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) this.heads.push(head);
      }
    });
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  }

  cut() {
    this.accepting = false;
    for (const socket of this.sockets) socket.destroy();
  }

  restore() {
    this.accepting = true;
  }

  close() {
    this.cut();
    this.server.close();
  }
}

/** Records every named event the stream delivers and lets the script await one. */
class Stream {
  constructor(url, types) {
    this.events = [];
    this.waiters = [];
    this.errors = 0;
    this.source = new EventSource(url);
    for (const type of types) {
      this.source.addEventListener(type, (event) => {
        this.events.push({ type, data: JSON.parse(event.data), lastEventId: event.lastEventId });
        this.wake();
      });
    }
    this.source.onerror = () => {
      this.errors += 1;
    };
  }

  wake() {
    for (const waiter of [...this.waiters]) {
      if (waiter.done()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  until(done, what, timeoutMs = 15000) {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ done, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  chatTexts() {
    return this.events.filter((e) => e.type === 'chat:message').map((e) => e.data.payload.text);
  }

  last(type) {
    return this.events.filter((e) => e.type === type).at(-1);
  }
}

async function main() {
  const tokenA = (await login(userA)).token;
  const tokenB = (await login(userB)).token;
  const target = new URL(baseUrl);
  const proxy = new CuttableProxy(target);
  const proxyPort = await proxy.listen();

  const stream = new Stream(`http://127.0.0.1:${proxyPort}/events?token=${encodeURIComponent(tokenA)}`,
    ['session', 'auth:ok', 'room:joined', 'chat:message']);
  await stream.until(() => stream.last('auth:ok'), 'auth:ok');
  const session = stream.last('session').data.session;
  check('the stream authenticates with ?token= and names its session', () => {
    assert.equal(stream.last('auth:ok').data.payload.userId, userA);
    assert.match(session, /^[A-Za-z0-9_-]{32}$/);
  });

  const joined = await send([{ id: 'join-1', type: 'room:join', payload: { roomId: room } }], { session });
  check('room:join through POST /send answers synchronously', () => {
    assert.equal(joined[0].type, 'room:joined');
    assert.equal(joined[0].payload.ref, 'join-1');
  });
  // Bob joins (a one-off session) so he is a member who may post.
  await send([{ id: 'join-b', type: 'room:join', payload: { roomId: room } }], { token: tokenB });

  const post = async (text) => {
    const [ack] = await send([{ id: `m-${text}`, cid: `cid-${text}`, type: 'chat:send', payload: { roomId: room, text } }],
      { token: tokenB });
    assert.equal(ack.type, 'ack', `ack for ${text}`);
  };
  for (const text of ['one', 'two', 'three']) await post(text);
  await stream.until(() => stream.chatTexts().length === 3, 'the first three messages');
  check('chat events arrive with a resume id naming the room and its seq', () => {
    const last = stream.last('chat:message');
    assert.ok(last.lastEventId.endsWith(`${room}:${last.data.seq}`), last.lastEventId);
  });

  const headsBefore = proxy.heads.length;
  proxy.cut();
  for (const text of ['four', 'five', 'six']) await post(text);
  proxy.restore();
  // The EventSource reconnects on its own after `retry`, sending Last-Event-ID.
  await stream.until(() => stream.chatTexts().length >= 6 && stream.events.filter((e) => e.type === 'room:joined').length >= 1,
    'the missed messages after the reconnect');
  check('the reconnect sent Last-Event-ID', () => {
    const reconnect = proxy.heads.slice(headsBefore).find((head) => head.startsWith('GET /events'));
    assert.ok(reconnect, 'a second GET /events went through the proxy');
    assert.match(reconnect, /^last-event-id: 1~/im);
  });
  check('exactly the missed events were replayed, and the room says it recovered', () => {
    assert.deepEqual(stream.chatTexts(), ['one', 'two', 'three', 'four', 'five', 'six']);
    assert.equal(stream.last('room:joined').data.payload.recovered, true);
    assert.ok(stream.errors >= 1, 'the cut was seen as an error');
  });

  await post('seven');
  await stream.until(() => stream.chatTexts().length === 7, 'a live message after the resume');
  check('the resumed stream is live', () => assert.equal(stream.chatTexts().at(-1), 'seven'));

  stream.source.close();
  proxy.close();
}

run(main);
