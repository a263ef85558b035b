// Unit tests of stepcast.js's lighter subscriptions (event filters, skip frames, poll without
// tails), run with `node --test deploy/browser/test/`. The gateway is played in memory; the real
// gateway's side is tested by WsEventFilterIT and HttpEventFilterIT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const Stepcast = require(path.join(here, '../../../gateway/src/main/resources/public/stepcast.js'));

class FakeSocket {
  static all = [];
  constructor(url, protocols) { this.url = url; this.readyState = 0; this.sent = []; FakeSocket.all.push(this); }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { this.readyState = 3; }
  accept() {
    this.readyState = 1; this.onopen && this.onopen({});
    this.recv({ type: 'connected', session_id: 's', protocol: 'stepcast.v1', heartbeat_ms: 60000 });
  }
  recv(obj) { this.onmessage && this.onmessage({ data: JSON.stringify(obj) }); }
  drop() { this.readyState = 3; this.onclose && this.onclose({ code: 1006, reason: '' }); }
  ofType(type) { return this.sent.filter((m) => m.type === type); }
  static last() { return FakeSocket.all[FakeSocket.all.length - 1]; }
}

const ev = (seq, event = 'step_status') =>
  ({ type: 'event', plan_id: 'p', seq, epoch: 'e1', event, ts: new Date().toISOString(), data: {} });
const skip = (through, epoch = 'e1') => ({ type: 'skip', plan_id: 'p', epoch, through });
const state = (seq) => ({ plan_id: 'p', epoch: 'e1', seq, overall_status: 'running', steps: [] });

async function until(cond, what, ms = 3000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function watch(client, opts = {}) {
  const got = [];
  client.subscribe('p', {
    ...opts,
    snapshot: (st, info) => got.push('S' + (st ? st.seq : 0) + (info.reset ? 'r' : '')),
    event: (f) => got.push(f.seq),
    skip: (s) => got.push('k' + s.through),
  });
  return got;
}

test('subscribe sends the events filter, and resumes with it from a cursor that skips advanced', async () => {
  FakeSocket.all = [];
  const client = new Stepcast.Client({ url: 'http://gw.test', WebSocket: FakeSocket, backoffInitialMs: 5, backoffMaxMs: 10 });
  const got = watch(client, { events: ['step_status', 'plan_*'] });
  client.connect();
  let ws = FakeSocket.last();
  ws.accept();
  assert.deepEqual(ws.ofType('subscribe'), [{ type: 'subscribe', plan_id: 'p', events: ['step_status', 'plan_*'] }]);
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 3, recovered: false });
  ws.recv({ type: 'snapshot', plan_id: 'p', state: state(3) });
  ws.recv(skip(5)); ws.recv(ev(6)); ws.recv(skip(9));
  assert.deepEqual(got, ['S3', 'k5', 6, 'k9']);
  assert.deepEqual(client.cursor('p'), { epoch: 'e1', seq: 9 });
  ws.drop();
  await until(() => FakeSocket.all.length === 2, 'reconnect');
  ws = FakeSocket.last();
  ws.accept();
  assert.deepEqual(ws.ofType('subscribe'),
    [{ type: 'subscribe', plan_id: 'p', since: 9, epoch: 'e1', events: ['step_status', 'plan_*'] }]);
  client.close();
});

test('the gap detector counts skips: seq + skips advance by exactly one, a lost event is still a gap', async () => {
  FakeSocket.all = [];
  const client = new Stepcast.Client({ url: 'http://gw.test', WebSocket: FakeSocket });
  const got = watch(client, { events: ['step_status'] });
  client.connect();
  const ws = FakeSocket.last();
  ws.accept();
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 3, recovered: false });
  ws.recv({ type: 'snapshot', plan_id: 'p', state: state(3) });
  ws.recv(skip(4)); ws.recv(ev(5));        // filtered 4: continuous
  ws.recv(skip(5));                         // an old skip: ignored
  ws.recv(ev(7));                           // 6 neither delivered nor skipped: lost → resume from 5
  assert.deepEqual(got, ['S3', 'k4', 5]);
  const resumes = ws.ofType('subscribe');
  assert.deepEqual(resumes[resumes.length - 1], { type: 'subscribe', plan_id: 'p', since: 5, epoch: 'e1', events: ['step_status'] });
  ws.recv(skip(9));                         // from the stream that had the hole: not trusted
  assert.deepEqual(client.cursor('p'), { epoch: 'e1', seq: 5 });
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 5, recovered: true });
  ws.recv(skip(6)); ws.recv(ev(7));
  assert.deepEqual(got, ['S3', 'k4', 5, 'k6', 7]);
  client.close();
});

test('long-poll and SSE carry the filter; a filtered page\'s cursor covers the events it left out', async () => {
  const requests = [];
  let head = 4;
  const fetch = async (url) => {
    requests.push(url);
    const u = new URL(url);
    const json = (body) => ({ status: 200, ok: true, headers: new Map([['Content-Type', 'application/json']]), json: async () => body });
    const since = u.searchParams.get('since');
    if (since === null) return json({ plan_id: 'p', events: [], epoch: 'e1', seq: 2, recovered: false, snapshot: state(2) });
    await new Promise((r) => setTimeout(r, 5));
    const n = Number(since);
    return json({ plan_id: 'p', epoch: 'e1', seq: Math.max(n, head), recovered: true, more: false,
      events: n < 3 ? [ev(3)] : [] });
  };
  const client = new Stepcast.Client({ url: 'http://gw.test', fetch, transports: ['longpoll'], longPollWaitS: 0, pollIntervalMs: 5 });
  const got = watch(client, { events: ['step_status'] });
  client.connect();
  await until(() => got.includes('k4'), 'the page cursor');
  assert.deepEqual(got.slice(0, 3), ['S2', 3, 'k4']);
  await until(() => requests.some((r) => r.includes('since=4')), 'the next page from the covered cursor');
  assert.ok(requests.every((r) => r.includes('events=step_status')), requests.join(' '));
  client.close();
});

test('poll with tails:false asks for snapshots without output tails', async () => {
  const requests = [];
  const fetch = async (url) => {
    requests.push(url);
    return { status: 200, ok: true, headers: new Map([['Content-Type', 'application/json'], ['ETag', '"e1:2:no-tails"'], ['X-Poll-Interval', '0.01']]),
      json: async () => state(2) };
  };
  const client = new Stepcast.Client({ url: 'http://gw.test', fetch, transports: ['poll'] });
  const got = watch(client, { tails: false });
  client.connect();
  await until(() => got.length === 1, 'a snapshot');
  assert.equal(requests[0], 'http://gw.test/api/plans/p?tails=false');
  client.close();
});
