// Unit tests of stepcast.js's token renewal (getToken), run with `node --test deploy/browser/test/`.
// The gateway is an in-memory WebSocket and fetch; the real gateway is exercised by e2e.mjs
// (scenarios renew-ws and renew-longpoll, BrowserTokenRenewalIT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSocket, Stepcast, until } from '../testing/fake-gateway.mjs';

/** An unsigned JWT-shaped token expiring in `ttlMs` (the client never verifies, it only reads exp). */
let serial = 0;
function jwt(ttlMs) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return b64({ alg: 'HS256' }) + '.' + b64({ sub: 'u', n: ++serial, exp: Math.floor((Date.now() + ttlMs) / 1000) }) + '.sig';
}

function tokenClient(getToken, extra = {}) {
  FakeSocket.all = [];
  const client = new Stepcast.Client({ url: 'http://gw.test', WebSocket: FakeSocket, backoffInitialMs: 5, backoffMaxMs: 20,
    tokenMinLeadMs: 100, getToken, ...extra });
  const tokens = [];
  client.on('token', (t) => tokens.push(t.status));
  return { client, tokens };
}

test('reads exp without verifying; renews at 80 % of the lifetime, at least the lead before exp, never before half', () => {
  const exp = Math.floor(Date.now() / 1000) + 600;
  const payload = Buffer.from(JSON.stringify({ sub: 'ü', exp })).toString('base64url');
  assert.equal(Stepcast.jwtExpiryMs('h.' + payload + '.s'), exp * 1000);
  assert.equal(Stepcast.jwtExpiryMs('not a jwt'), null);
  assert.equal(Stepcast.jwtExpiryMs('h.' + Buffer.from('{"sub":"x"}').toString('base64url') + '.s'), null);
  assert.equal(Stepcast.renewDelay(900000, 3000), 720000);
  assert.equal(Stepcast.renewDelay(10000, 3000), 7000);
  assert.equal(Stepcast.renewDelay(4000, 3000), 2000);
});

test('getToken gives the first token; renewals go out as refresh before exp, re-armed on refreshed', async () => {
  let calls = 0;
  const { client, tokens } = tokenClient(async () => { calls++; return jwt(1500); });
  client.connect();
  await until(() => FakeSocket.all.length === 1, 'a socket once the token arrived');
  const ws = FakeSocket.last();
  assert.equal(ws.protocols.length, 2);
  assert.match(ws.protocols[1], /^bearer\./);
  ws.accept();
  for (let n = 1; n <= 2; n++) {
    await until(() => ws.ofType('refresh').length === n, 'refresh #' + n);
    const r = ws.ofType('refresh')[n - 1];
    assert.ok(r.id && r.token && r.token !== ws.protocols[1].slice(7));
    ws.recv({ type: 'refreshed', id: r.id, expires_at_ms: Stepcast.jwtExpiryMs(r.token) });
  }
  assert.equal(calls, 3);
  assert.deepEqual(tokens, ['fetched', 'fetched', 'refreshed', 'fetched', 'refreshed']);
  assert.equal(FakeSocket.all.length, 1);
  client.close();
});

test('a refused refresh is retried with a new token after a backoff of at least 1 s', async () => {
  const { client, tokens } = tokenClient(async () => jwt(1500));
  client.connect();
  await until(() => FakeSocket.all.length === 1, 'a socket');
  const ws = FakeSocket.last();
  ws.accept();
  await until(() => ws.ofType('refresh').length === 1, 'a refresh');
  const errors = [];
  client.on('error', (e) => errors.push(e.code));
  const refusedAt = Date.now();
  ws.recv({ type: 'error', code: 'unauthorized', message: 'refresh rejected: token subject differs from the session\'s', ref: ws.ofType('refresh')[0].id });
  assert.equal(tokens[tokens.length - 1], 'retrying');
  await until(() => ws.ofType('refresh').length === 2, 'a second refresh');
  assert.ok(Date.now() - refusedAt >= 990, 'retried too soon');
  assert.deepEqual(errors, [], 'a refused refresh is a token event, not a connection error');
  client.close();
});

test('close 4001 (token expired) asks getToken again and resumes from the cursor', async () => {
  let calls = 0;
  const { client } = tokenClient(async () => { calls++; return jwt(60000); });
  const got = [];
  client.subscribe('p', { snapshot: (s) => got.push('S' + s.seq), event: (f) => got.push(f.seq) });
  client.connect();
  await until(() => FakeSocket.all.length === 1, 'a socket');
  let ws = FakeSocket.last();
  ws.accept();
  ws.recv({ type: 'subscribed', plan_id: 'p', epoch: 'e1', seq: 1, recovered: false });
  ws.recv({ type: 'snapshot', plan_id: 'p', state: { plan_id: 'p', epoch: 'e1', seq: 1 } });
  ws.recv({ type: 'event', plan_id: 'p', epoch: 'e1', seq: 2 });
  ws.__connectedAt = Date.now() - 60000; // a long-lived session
  ws.drop(4001, 'unauthorized: token expired');
  await until(() => FakeSocket.all.length === 2, 'a reconnect');
  assert.equal(calls, 2);
  ws = FakeSocket.last();
  assert.notEqual(ws.protocols[1], FakeSocket.all[0].protocols[1]);
  ws.accept();
  assert.deepEqual(ws.ofType('subscribe'), [{ type: 'subscribe', plan_id: 'p', since: 2, epoch: 'e1' }]);
  client.close();
});

test('renewal fails for good when getToken gives no token; transient rejections back off', async () => {
  let answers = [Promise.reject(new Error('network down')), Promise.resolve(null)];
  const { client, tokens } = tokenClient(() => answers.shift());
  const statuses = [];
  client.on('status', (s) => statuses.push(s.status));
  client.connect();
  await until(() => client.state.status === 'disconnected', 'giving up', 8000);
  assert.deepEqual(tokens, ['retrying', 'failed']);
  assert.equal(client.state.error.code, 'unauthorized');
  assert.equal(FakeSocket.all.length, 0);
  assert.ok(statuses.includes('reconnecting'));
  answers = [];
});

test('a getToken call that never settles times out like a rejection: backoff, then a new call', async () => {
  let calls = 0;
  const { client, tokens } = tokenClient(() => { calls++; return calls === 1 ? new Promise(() => {}) : Promise.resolve(jwt(60000)); },
    { getTokenTimeoutMs: 50 });
  client.connect();
  await until(() => tokens.includes('retrying'), 'the first call to time out');
  assert.equal(FakeSocket.all.length, 0);
  await until(() => FakeSocket.all.length === 1, 'a socket with the second call\'s token', 5000);
  assert.equal(calls, 2);
  assert.deepEqual(tokens, ['retrying', 'fetched']);
  FakeSocket.last().accept();
  assert.equal(client.state.status, 'connected');
  client.close();
});

test('the gateway refusing every fresh token ends in status disconnected, not a hot loop', async () => {
  let calls = 0;
  const { client, tokens } = tokenClient(async () => { calls++; return jwt(60000); }, { fallbackAfter: 99 });
  client.connect();
  for (let n = 1; n <= 3; n++) {
    await until(() => FakeSocket.all.length === n, 'socket ' + n);
    FakeSocket.last().drop(4001, 'unauthorized: invalid token');
  }
  assert.equal(client.state.status, 'disconnected');
  assert.equal(tokens[tokens.length - 1], 'failed');
  assert.equal(calls, 3);
});

test('long-poll: the newest token goes in Authorization; a 401 gets a fresh token and is retried once', async () => {
  const seen = [];
  let good = null;
  const fetch = async (url, init) => {
    const auth = init.headers.Authorization;
    seen.push(auth);
    const json = (body, status = 200) => ({ status, ok: status < 300, headers: new Map([['Content-Type', 'application/json']]), json: async () => body });
    if (auth !== 'Bearer ' + good) return json({ type: 'error', code: 'unauthorized' }, 401);
    await new Promise((r) => setTimeout(r, 5));
    return json({ plan_id: 'p', events: [], epoch: 'e1', seq: 1, recovered: false, snapshot: { plan_id: 'p', epoch: 'e1', seq: 1 } });
  };
  const { client, tokens } = tokenClient(async () => { good = jwt(60000); return good; },
    { transports: ['longpoll'], fetch, token: 'expired-or-foreign' });
  const errors = [];
  client.subscribe('p', { snapshot: () => {}, error: (e) => errors.push(e.code) });
  client.connect();
  await until(() => seen.length >= 3, 'requests');
  assert.equal(seen[0], 'Bearer expired-or-foreign');
  assert.equal(seen[1], 'Bearer ' + seen[1].slice(7));
  assert.notEqual(seen[1], seen[0]);
  assert.equal(client.state.status, 'degraded');
  assert.deepEqual(errors, []);
  assert.deepEqual(tokens, ['fetched', 'fetched']); // the `token` option, then the one after the 401
  client.close();
});
