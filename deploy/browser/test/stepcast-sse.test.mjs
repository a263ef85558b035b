// Unit tests of stepcast.js's SSE transport (GET /api/plans/{plan}/stream read with fetch), run with
// `node --test deploy/browser/test/`. The gateway is an in-memory fetch answering event streams the
// client reads chunk by chunk; the real gateway is exercised by e2e.mjs (scenarios sse, sse-fallback,
// renew-sse: BrowserSseIT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const Stepcast = require(path.join(here, '../../../gateway/src/main/resources/public/stepcast.js'));

/** One open stream: the test pushes SSE text into it, cuts it, and sees whether the client aborted it. */
class FakeStream {
  constructor(url, init) {
    this.url = new URL(url);
    this.headers = init.headers || {};
    this.aborted = false;
    const self = this;
    this.body = new ReadableStream({ start(c) { self.ctrl = c; } });
    init.signal?.addEventListener('abort', () => {
      this.aborted = true;
      try { this.ctrl.error(Object.assign(new Error('aborted'), { name: 'AbortError' })); } catch { /* closed */ }
    });
  }
  send(text) { this.ctrl.enqueue(new TextEncoder().encode(text)); }
  frame(name, obj, id) { this.send((id ? `id: ${id}\n` : '') + `event: ${name}\ndata: ${JSON.stringify(obj)}\n\n`); }
  subscribed(plan, epoch, seq, recovered) { this.frame('subscribed', { type: 'subscribed', plan_id: plan, epoch, seq, recovered }); }
  snapshot(plan, epoch, seq) { this.frame('snapshot', { type: 'snapshot', plan_id: plan, state: { plan_id: plan, epoch, seq } }, `${epoch}:${seq}`); }
  event(plan, epoch, seq) { this.frame('step_output', { type: 'event', plan_id: plan, epoch, seq, event: 'step_output', data: { chunk: 'c' + seq } }, `${epoch}:${seq}`); }
  cut() { try { this.ctrl.close(); } catch { /* closed */ } }
}

function sseClient(extra = {}) {
  const streams = [];
  const fetch = (url, init) => {
    const s = new FakeStream(url, init);
    streams.push(s);
    return Promise.resolve({ ok: true, status: 200, headers: new Headers({ 'Content-Type': 'text/event-stream' }), body: s.body });
  };
  const client = new Stepcast.Client({ url: 'http://gw.test', transports: ['sse'], fetch, backoffInitialMs: 5, backoffMaxMs: 20, ...extra });
  const got = [];
  const statuses = [];
  client.on('status', (s) => statuses.push(s.status + '/' + s.transport));
  return { client, streams, got, statuses };
}

async function until(cond, what, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('one stream per plan, resumed from the cursor after a cut: every event once, in order; a reset gives a snapshot with info.reset', async () => {
  const { client, streams, got, statuses } = sseClient();
  client.subscribe('p', { snapshot: (s, info) => got.push('S' + info.epoch + ':' + s.seq + (info.reset ? '!' : '')), event: (f) => got.push(f.seq) });
  client.connect();
  await until(() => streams.length === 1, 'a stream');
  let s = streams[0];
  assert.equal(s.url.pathname, '/api/plans/p/stream');
  assert.equal(s.url.search, '');
  s.subscribed('p', 'e1', 3, false);
  s.snapshot('p', 'e1', 3);
  s.send(': ping\n\n');
  s.event('p', 'e1', 4);
  // an event split across chunks
  s.send('id: e1:5\nevent: step_out'); s.send('put\ndata: {"type":"event","plan_id":"p","epoch":"e1","seq":5}\n'); s.send('\n');
  await until(() => got.length === 3, 'snapshot and 2 events');
  assert.equal(client.state.transport, 'sse');
  assert.ok(statuses.includes('degraded/sse'));
  s.cut();
  await until(() => streams.length === 2, 'a new stream after the cut');
  s = streams[1];
  assert.equal(s.url.search, '?since=5&epoch=e1');
  s.subscribed('p', 'e1', 5, true);
  s.event('p', 'e1', 5); // a duplicate the gateway would never send: still dropped
  s.event('p', 'e1', 6);
  // the plan is re-created mid-stream: the gateway announces a reset and its snapshot
  s.subscribed('p', 'e2', 2, false);
  s.event('p', 'e2', 3); // held until the snapshot
  s.snapshot('p', 'e2', 2);
  await until(() => got.length === 6, 'the reset');
  assert.deepEqual(got, ['Se1:3', 4, 5, 6, 'Se2:2!', 3]);
  client.close();
});

test('a gap reopens the stream from the cursor', async () => {
  const { client, streams, got } = sseClient();
  client.subscribe('p', { event: (f) => got.push(f.seq) });
  client.connect();
  await until(() => streams.length === 1, 'a stream');
  streams[0].subscribed('p', 'e', 1, false); streams[0].snapshot('p', 'e', 1);
  streams[0].event('p', 'e', 2); streams[0].event('p', 'e', 4);
  await until(() => streams.length === 2, 'a reopen after the gap');
  assert.ok(streams[0].aborted);
  assert.equal(streams[1].url.search, '?since=2&epoch=e');
  streams[1].subscribed('p', 'e', 2, true); streams[1].event('p', 'e', 3); streams[1].event('p', 'e', 4);
  await until(() => got.length === 3, 'the missed events');
  assert.deepEqual(got, [2, 3, 4]);
  client.close();
});

test('a stream silent for 2 x sseHeartbeatMs is reopened; pings keep it open', async () => {
  const { client, streams } = sseClient({ sseHeartbeatMs: 100 });
  client.subscribe('p', {});
  client.connect();
  await until(() => streams.length === 1, 'a stream');
  streams[0].subscribed('p', 'e', 1, false); streams[0].snapshot('p', 'e', 1);
  const end = Date.now() + 500;
  while (Date.now() < end) { streams[0].send(': ping\n\n'); await new Promise((r) => setTimeout(r, 50)); }
  assert.equal(streams.length, 1, 'a pinging stream was reopened');
  await until(() => streams.length === 2, 'a reopen after silence', 2000);
  assert.ok(streams[0].aborted);
  client.close();
});

test('unsubscribe closes the plan\'s stream; the other plan\'s stays open', async () => {
  const { client, streams } = sseClient();
  client.subscribe('a', {}); client.connect(); client.subscribe('b', {});
  await until(() => streams.length === 2, 'two streams');
  const byPlan = (p) => streams.find((s) => s.url.pathname === `/api/plans/${p}/stream`);
  byPlan('a').subscribed('a', null, 0, false); byPlan('b').subscribed('b', null, 0, false);
  client.unsubscribe('a');
  assert.ok(byPlan('a').aborted);
  assert.ok(!byPlan('b').aborted);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(streams.length, 2, 'the unsubscribed plan was reopened');
  client.close();
  assert.ok(byPlan('b').aborted);
});

test('streams that end before subscribed (a buffering proxy) move the client to long-poll after fallbackAfter', async () => {
  const { client, streams, statuses } = sseClient({ transports: ['sse', 'longpoll'], fallbackAfter: 2 });
  const origFetch = client.options.fetch;
  const polls = [];
  client.options.fetch = (url, init) => {
    if (url.includes('/events')) { polls.push(url); return new Promise(() => {}); }
    return origFetch(url, init).then((r) => { queueMicrotask(() => streams[streams.length - 1].cut()); return r; });
  };
  client.subscribe('p', {});
  client.connect();
  await until(() => polls.length === 1, 'a long-poll');
  assert.equal(streams.length, 2);
  assert.ok(statuses.includes('reconnecting/longpoll'));
  client.close();
});
