// Unit tests of stepcast.js's delivery rules, run with `node --test deploy/browser/test/`.
// The gateway is played by an in-memory WebSocket and fetch (no network): this checks the client's
// own bookkeeping; the real gateway is exercised by the browser end-to-end test (e2e.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const Stepcast = require(path.join(here, '../../../gateway/src/main/resources/public/stepcast.js'));

/** A WebSocket whose server side the test drives. */
class FakeSocket {
  static all = [];
  constructor(url, protocols) {
    this.url = url; this.protocols = protocols; this.readyState = 0; this.sent = [];
    FakeSocket.all.push(this);
  }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { this.readyState = 3; }
  // server side
  accept(heartbeatMs = 60000) {
    this.readyState = 1; this.onopen && this.onopen({});
    this.recv({ type: 'connected', session_id: 's' + FakeSocket.all.length, protocol: 'stepcast.v1', heartbeat_ms: heartbeatMs });
  }
  recv(obj) { this.onmessage && this.onmessage({ data: JSON.stringify(obj) }); }
  drop(code = 1006) { this.readyState = 3; this.onclose && this.onclose({ code, reason: '' }); }
  refuse() { this.readyState = 3; this.onerror && this.onerror({}); this.onclose && this.onclose({ code: 1006, reason: '' }); }
  ofType(type) { return this.sent.filter((m) => m.type === type); }
  static last() { return FakeSocket.all[FakeSocket.all.length - 1]; }
}

const ev = (seq, epoch = 'e1', event = 'step_output', data = { step_index: 0, chunk: 'line ' + seq + '\n' }) =>
  ({ type: 'event', plan_id: 'p', seq, epoch, event, ts: new Date().toISOString(), data });
const state = (seq, epoch = 'e1') => ({ plan_id: 'p', epoch, seq, overall_status: 'running', steps: [] });

async function until(cond, what, ms = 3000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function newClient(extra = {}) {
  FakeSocket.all = [];
  const client = new Stepcast.Client({
    url: 'http://gw.test', WebSocket: FakeSocket, backoffInitialMs: 5, backoffMaxMs: 20,
    probeInitialMs: 10, probeMaxMs: 20, ...extra,
  });
  const got = [];
  const statuses = [];
  client.on('status', (s) => statuses.push(s.status + (s.transport ? '/' + s.transport : '')));
  client.subscribe('p', {
    snapshot: (st, info) => got.push('S' + (st ? st.seq : 0) + (info.reset ? 'r' : '')),
    event: (f) => got.push(f.seq),
  });
  client.connect();
  return { client, got, statuses };
}

test('offers stepcast.v1 and the token as a bearer subprotocol', async () => {
  const { client } = newClient({ token: 'abc.def-_' });
  assert.deepEqual(FakeSocket.last().protocols, ['stepcast.v1', 'bearer.abc.def-_']);
  assert.equal(FakeSocket.last().url, 'ws://gw.test/ws');
  client.close();
  const q = new Stepcast.Client({ url: 'https://gw.test/', WebSocket: FakeSocket, token: 't k', tokenIn: 'query' }).connect();
  assert.equal(FakeSocket.last().url, 'wss://gw.test/ws?token=t%20k');
  assert.deepEqual(FakeSocket.last().protocols, ['stepcast.v1']);
  q.close();
});

test('snapshot then events in order; duplicates dropped; a gap resubscribes from the cursor instead of delivering', async () => {
  const { client, got } = newClient();
  const ws = FakeSocket.last();
  ws.accept();
  assert.deepEqual(ws.ofType('subscribe'), [{ type: 'subscribe', plan_id: 'p' }]);
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 3, recovered: false });
  ws.recv(ev(4)); // before its snapshot: held, not dropped
  ws.recv({ type: 'snapshot', plan_id: 'p', state: state(3) });
  ws.recv(ev(4)); ws.recv(ev(5)); ws.recv(ev(5));
  assert.deepEqual(got, ['S3', 4, 5]);
  ws.recv(ev(7)); // 6 is missing
  assert.deepEqual(got, ['S3', 4, 5]);
  assert.deepEqual(ws.sent.slice(-1), [{ type: 'subscribe', plan_id: 'p', since: 5, epoch: 'e1' }]);
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 7, recovered: true });
  ws.recv(ev(6)); ws.recv(ev(7));
  assert.deepEqual(got, ['S3', 4, 5, 6, 7]);
  client.close();
});

test('an epoch change is never delivered as an event: the reset snapshot is', async () => {
  const { client, got } = newClient();
  const ws = FakeSocket.last();
  ws.accept();
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 2, recovered: false });
  ws.recv({ type: 'snapshot', plan_id: 'p', state: state(2) });
  ws.recv(ev(1, 'e2'));
  assert.deepEqual(got, ['S2']);
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e2', seq: 1, recovered: false });
  ws.recv({ type: 'snapshot', plan_id: 'p', state: state(1, 'e2') });
  ws.recv(ev(2, 'e2'));
  assert.deepEqual(got, ['S2', 'S1r', 2]);
  assert.deepEqual(client.cursor('p'), { epoch: 'e2', seq: 2 });
  client.close();
});

test('a plan without events is watched from seq 1 on', async () => {
  const { client, got } = newClient();
  const ws = FakeSocket.last();
  ws.accept();
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: null, seq: 0, recovered: false });
  ws.recv(ev(1, 'new')); ws.recv(ev(2, 'new'));
  assert.deepEqual(got, ['S0', 1, 2]);
  client.close();
});

test('reconnects with backoff and resumes every plan from seq and epoch, without duplicates', async () => {
  const { client, got, statuses } = newClient();
  let ws = FakeSocket.last();
  ws.accept();
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 1, recovered: false });
  ws.recv({ type: 'snapshot', plan_id: 'p', state: state(1) });
  ws.recv(ev(2));
  ws.drop(1012);
  assert.equal(client.state.status, 'reconnecting');
  await until(() => FakeSocket.all.length === 2, 'a second socket');
  ws = FakeSocket.last();
  ws.accept();
  assert.deepEqual(ws.ofType('subscribe'), [{ type: 'subscribe', plan_id: 'p', since: 2, epoch: 'e1' }]);
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 4, recovered: true });
  ws.recv(ev(2)); ws.recv(ev(3)); ws.recv(ev(4));
  assert.deepEqual(got, ['S1', 2, 3, 4]);
  assert.deepEqual(statuses.filter((s, i) => s !== statuses[i - 1]),
    ['connecting/websocket', 'connected/websocket', 'reconnecting/websocket', 'connected/websocket']);
  client.close();
  assert.equal(client.state.status, 'disconnected');
});

test('outgoing messages wait in a bounded queue while disconnected; the oldest is dropped with an event', async () => {
  const { client } = newClient({ queueLimit: 2 });
  const dropped = [];
  client.on('dropped', (m) => dropped.push(m.n));
  client.send({ type: 'custom', n: 1 }); client.send({ type: 'custom', n: 2 }); client.send({ type: 'custom', n: 3 });
  assert.deepEqual(dropped, [1]);
  const ws = FakeSocket.last();
  ws.accept();
  assert.deepEqual(ws.ofType('custom').map((m) => m.n), [2, 3]);
  client.close();
});

test('commands resolve with their command_result; a dropped command rejects', async () => {
  const { client } = newClient({ queueLimit: 1 });
  const first = client.command('p', 'cancel', {});
  const second = client.command('p', 'retry', { step: 1 });
  await assert.rejects(first, (e) => e.code === 'dropped');
  const ws = FakeSocket.last();
  ws.accept();
  const sent = ws.ofType('command')[0];
  assert.equal(sent.command, 'retry');
  ws.recv({ type: 'command_result', id: sent.id, ok: true, data: { accepted: true } });
  assert.deepEqual(await second, { accepted: true });
  client.close();
});

test('heartbeat: ping with an id, pong gives latency, a missing pong abandons the socket', async () => {
  const { client } = newClient({ pongTimeoutMs: 30, pingIntervalMs: 10 });
  const ws = FakeSocket.last();
  ws.accept();
  const ping = ws.ofType('ping')[0];
  assert.ok(ping.id);
  ws.recv({ type: 'pong', id: ping.id });
  assert.ok(client.state.latencyMs >= 0);
  await until(() => ws.ofType('ping').length === 2, 'a second ping');
  // no pong this time
  await until(() => FakeSocket.all.length === 2, 'a reconnect after the pong timeout');
  client.close();
});

test('honours reconnect {after_ms}: stays until then, then moves without counting a failure', async () => {
  const { client, got } = newClient();
  const ws = FakeSocket.last();
  ws.accept();
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 0, recovered: false });
  ws.recv({ type: 'snapshot', plan_id: 'p', state: state(0) });
  ws.recv({ type: 'reconnect', reason: 'draining', after_ms: 60 });
  ws.recv(ev(1));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(FakeSocket.all.length, 1, 'no reconnect before after_ms');
  await until(() => FakeSocket.all.length === 2, 'the move after after_ms');
  FakeSocket.last().accept();
  assert.deepEqual(FakeSocket.last().ofType('subscribe'), [{ type: 'subscribe', plan_id: 'p', since: 1, epoch: 'e1' }]);
  assert.deepEqual(got, ['S0', 1]);
  client.close();
});

test('unauthorized close stops reconnecting: status disconnected with the error', async () => {
  const { client } = newClient({ token: 'bad' });
  const errors = [];
  client.on('error', (e) => errors.push(e.code));
  FakeSocket.last().drop(4001);
  assert.equal(client.state.status, 'disconnected');
  assert.deepEqual(errors, ['unauthorized']);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(FakeSocket.all.length, 1);
});

/** A gateway's HTTP side: long-poll pages from a log; records requests. */
function fakeHttp(log, epoch = 'e1') {
  const requests = [];
  const fetch = async (url, init) => {
    requests.push(url);
    const u = new URL(url);
    const json = (body, status = 200, headers = {}) => ({
      status, ok: status < 300, headers: new Map(Object.entries({ 'Content-Type': 'application/json', ...headers })),
      json: async () => body,
    });
    if (u.pathname.endsWith('/events')) {
      const since = u.searchParams.get('since');
      if (since === null) return json({ plan_id: 'p', events: [], epoch, seq: log.length, recovered: false, snapshot: state(log.length, epoch) });
      await new Promise((r) => setTimeout(r, 5));
      const events = log.filter((e) => e.seq > Number(since));
      return json({ plan_id: 'p', events, epoch, seq: log.length, recovered: true, next: log.length });
    }
    return json(state(log.length, epoch), 200, { ETag: '"' + log.length + '"', 'X-Poll-Interval': '0.01' });
  };
  return { fetch, requests };
}

test('falls back to long-poll after repeated WebSocket failures, delivers gap-free, and returns to WebSocket', async () => {
  const log = [ev(1), ev(2)];
  const http = fakeHttp(log);
  const { client, got, statuses } = newClient({ fetch: http.fetch, fallbackAfter: 2 });
  FakeSocket.last().refuse();
  await until(() => FakeSocket.all.length === 2, 'retry');
  FakeSocket.last().refuse();
  await until(() => client.state.status === 'degraded' && got.length >= 1, 'degraded with a snapshot');
  assert.equal(client.state.transport, 'longpoll');
  log.push(ev(3), ev(4));
  await until(() => got.length === 3, 'long-polled events');
  assert.deepEqual(got, ['S2', 3, 4]);
  // the probe: a WebSocket that works takes over from the cursor
  await until(() => FakeSocket.all.length === 3, 'a probe');
  const ws = FakeSocket.last();
  ws.accept();
  assert.equal(client.state.status, 'connected');
  assert.deepEqual(ws.ofType('subscribe'), [{ type: 'subscribe', plan_id: 'p', since: 4, epoch: 'e1' }]);
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 5, recovered: true });
  ws.recv(ev(4)); ws.recv(ev(5));
  assert.deepEqual(got, ['S2', 3, 4, 5]);
  const polls = http.requests.length;
  await new Promise((r) => setTimeout(r, 40));
  assert.ok(http.requests.length <= polls + 1, 'long-poll stopped after the switch');
  assert.ok(statuses.includes('degraded/longpoll'));
  client.close();
});

test('plain poll delivers changed snapshots only', async () => {
  const log = [ev(1)];
  const http = fakeHttp(log);
  const client = new Stepcast.Client({ url: 'http://gw.test', fetch: http.fetch, transports: ['poll'], pollIntervalMs: 10 });
  const got = [];
  client.subscribe('p', { snapshot: (st, info) => got.push('S' + st.seq), event: (f) => got.push(f.seq) });
  client.connect();
  await until(() => got.length === 1, 'first snapshot');
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(got, ['S1']);
  log.push(ev(2));
  await until(() => got.length === 2, 'changed snapshot');
  assert.deepEqual(got, ['S1', 'S2']);
  assert.equal(client.state.status, 'degraded');
  assert.equal(client.state.transport, 'poll');
  client.close();
});

test('full jitter stays within [0, min(max, base * 2^attempt))', () => {
  for (let a = 0; a < 12; a++) {
    for (let i = 0; i < 50; i++) {
      const d = Stepcast.fullJitter(500, 30000, a);
      assert.ok(d >= 0 && d < Math.min(30000, 500 * 2 ** a), `attempt ${a}: ${d}`);
    }
  }
});

test('HTTP 403 for one plan is that plan\'s error, not a broken connection', async () => {
  const log = [ev(1)];
  const http = fakeHttp(log);
  const fetch = async (url, init) => (url.includes('/secret')
    ? { status: 403, ok: false, headers: new Map([['Content-Type', 'application/json']]), json: async () => ({}) }
    : http.fetch(url.replace('/other', '/p'), init));
  const client = new Stepcast.Client({ url: 'http://gw.test', fetch, transports: ['longpoll'], backoffMaxMs: 50 });
  const errors = [];
  client.subscribe('secret', { error: (e) => errors.push(e.code) });
  client.subscribe('p', {});
  client.connect();
  await until(() => errors.length >= 1 && client.state.status === 'degraded', 'a plan error while degraded');
  assert.equal(errors[0], 'forbidden');
  client.close();
});
