// A Tandem chat client written only from docs/PROTOCOL.md, with the `ws` npm
// package: log in over REST, join, chat, lose the connection, resume with
// `since`, and re-send a message without creating a duplicate.
//
// usage: node chat-client.mjs <baseUrl> <userA> <userB> <password>
// Exits 0 and prints "N passed, 0 failed" when every check holds.

import WebSocket from 'ws';
import assert from 'node:assert/strict';
import { baseUrl, check, login, run, userA, userB } from './interop-script.mjs';

const wsUrl = baseUrl.replace(/^http/, 'ws') + '/ws';
const room = `interop-${Date.now()}`;

/** A connection that queues every message so the script can await one by predicate. */
class Peer {
  constructor(url) {
    this.queue = [];
    this.waiters = [];
    this.socket = new WebSocket(url);
    this.socket.on('message', (data, isBinary) => {
      assert.equal(isBinary, false, 'server sends JSON text frames');
      const message = JSON.parse(data.toString('utf8'));
      this.queue.push(message);
      this.waiters = this.waiters.filter((waiter) => !waiter());
    });
    this.closed = new Promise((resolve) => this.socket.on('close', (code) => resolve(code)));
  }

  opened() {
    return new Promise((resolve, reject) => {
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
    });
  }

  send(message) {
    this.socket.send(JSON.stringify(message));
  }

  next(predicate, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs);
      const attempt = () => {
        const index = this.queue.findIndex(predicate);
        if (index < 0) return false;
        clearTimeout(timer);
        resolve(this.queue.splice(index, 1)[0]);
        return true;
      };
      if (!attempt()) this.waiters.push(attempt);
    });
  }

  close() {
    this.socket.close(1000);
    return this.closed;
  }
}

const ofType = (type, extra = () => true) => (message) => message.type === type && extra(message);

async function main() {
  const a = await login(userA);
  const b = await login(userB);
  check('login returns a token and the user id', () => {
    assert.equal(typeof a.token, 'string');
    assert.equal(a.userId, userA);
  });

  // Client A authenticates with the first-message form, client B with ?token=.
  const alice = new Peer(wsUrl);
  await alice.opened();
  alice.send({ type: 'auth', payload: { token: a.token } });
  const authOk = await alice.next(ofType('auth:ok'));
  check('auth:ok names the user and protocol 1', () => {
    assert.equal(authOk.payload.userId, userA);
    assert.equal(authOk.payload.protocol, 1);
  });

  const bob = new Peer(`${wsUrl}?token=${encodeURIComponent(b.token)}`);
  await bob.opened();
  await bob.next(ofType('auth:ok'));

  alice.send({ id: 'join-a', type: 'room:join', payload: { roomId: room } });
  await alice.next(ofType('room:joined', (m) => m.payload.ref === 'join-a'));
  bob.send({ id: 'join-b', type: 'room:join', payload: { roomId: room } });
  const bobJoined = await bob.next(ofType('room:joined', (m) => m.payload.ref === 'join-b'));
  check('room:joined carries the room cursor', () => assert.equal(bobJoined.payload.lastSeq, 0));

  // The architecture guide's ClientMessage, exactly: no id, no cid.
  alice.send({ type: 'chat:send', payload: { roomId: room, text: 'hello from node' } });
  const plainAck = await alice.next(ofType('ack'));
  const received = await bob.next(ofType('chat:message'));
  check('a guide-style chat:send is acked and broadcast', () => {
    assert.equal(received.payload.text, 'hello from node');
    assert.equal(received.payload.userId, userA);
    assert.equal(received.payload.roomId, room);
    assert.equal(received.id, plainAck.payload.messageId);
    assert.equal(received.seq, 1);
    assert.match(received.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  // Bob drops off; Alice keeps talking.
  const lastSeen = received.seq;
  await bob.close();
  for (let i = 0; i < 3; i += 1) {
    alice.send({ id: `m${i}`, cid: `node-${room}-${i}`, type: 'chat:send', payload: { roomId: room, text: `while away ${i}` } });
    await alice.next(ofType('ack', (m) => m.payload.ref === `m${i}`));
  }
  // A re-send with a known cid (a lost ack) must not create a message.
  alice.send({ id: 'again', cid: `node-${room}-2`, type: 'chat:send', payload: { roomId: room, text: 'while away 2' } });
  const duplicateAck = await alice.next(ofType('ack', (m) => m.payload.ref === 'again'));
  check('a repeated cid is answered with the original seq', () => assert.equal(duplicateAck.payload.seq, 4));

  const bobAgain = new Peer(wsUrl);
  await bobAgain.opened();
  bobAgain.send({ type: 'auth', payload: { token: b.token } });
  await bobAgain.next(ofType('auth:ok'));
  bobAgain.send({ id: 'resume', type: 'room:join', payload: { roomId: room, since: lastSeen } });
  const resumed = await bobAgain.next(ofType('room:joined', (m) => m.payload.ref === 'resume'));
  const replayed = bobAgain.queue.filter((m) => m.type === 'chat:message');
  check('resume with since replays exactly the missed messages', () => {
    assert.equal(resumed.payload.recovered, true);
    assert.deepEqual(replayed.map((m) => m.seq), [2, 3, 4]);
    assert.deepEqual(replayed.map((m) => m.payload.text), ['while away 0', 'while away 1', 'while away 2']);
  });

  bobAgain.send({ id: 'hist', type: 'history:fetch', payload: { roomId: room, limit: 2 } });
  const page = await bobAgain.next(ofType('history:page'));
  check('history pages are newest-first pages in seq order', () => {
    assert.deepEqual(page.payload.messages.map((m) => m.seq), [3, 4]);
    assert.equal(page.payload.hasMore, true);
  });

  const rest = await fetch(`${baseUrl}/api/rooms/${room}/messages?before=3&limit=10`, {
    headers: { Authorization: `Bearer ${b.token}` },
  });
  const restPage = await rest.json();
  check('the REST history matches', () => assert.deepEqual(restPage.messages.map((m) => m.seq), [1, 2]));

  bobAgain.send({ id: 'bad', type: 'chat:send', payload: { roomId: room } });
  const error = await bobAgain.next(ofType('error'));
  check('bad input gets a typed error naming the message', () => {
    assert.equal(error.payload.code, 'bad_request');
    assert.equal(error.payload.ref, 'bad');
  });

  bobAgain.send({ id: 'p', type: 'ping' });
  await bobAgain.next(ofType('pong'));
  check('ping is answered', () => {});

  await alice.close();
  await bobAgain.close();
}

run(main);
