// Unit tests of stepcast.js's plan index watch (watchPlans), run with `node --test deploy/browser/test/`.
// The gateway is played by an in-memory WebSocket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSocket, Stepcast, until } from '../testing/fake-gateway.mjs';

const summary = (id, status = 'running') => ({ plan_id: id, name: id, overall_status: status, steps: { total: 1 } });
const update = (seq, id, status) => ({ type: 'plan_update', seq, epoch: 'ix0000000001', summary: summary(id, status) });

function watching() {
  FakeSocket.all = [];
  const client = new Stepcast.Client({ url: 'http://gw.test', WebSocket: FakeSocket, backoffInitialMs: 5, backoffMaxMs: 20 });
  const got = [];
  const handlers = {
    onPage: (plans, info) => got.push('page:' + plans.map((s) => s.plan_id).join(',') + '@' + info.seq),
    onResume: (info) => got.push('resume@' + info.seq),
    onUpdate: (s, f) => got.push('update:' + s.plan_id + '@' + f.seq),
    onRemove: (id, f) => got.push('remove:' + id + '@' + f.seq),
    onWatchers: (counts) => got.push('watchers:' + Object.entries(counts).map(([p, n]) => p + '=' + n).join(',')),
  };
  client.connect();
  return { client, got, handlers };
}

test('watchPlans: a first page, live updates and removals; after a reconnect it resumes from the last index seq', async () => {
  const { client, got, handlers } = watching();
  try {
  client.watchPlans({ prefix: 'team-a.', limit: 20, ...handlers });
  const ws = FakeSocket.last();
  ws.accept();
  assert.deepEqual(ws.ofType('watch_plans'), [{ type: 'watch_plans', prefix: 'team-a.', limit: 20 }]);
  ws.recv({ type: 'plans', epoch: 'ix0000000001', seq: 10, recovered: false, plans: [summary('team-a.1')], next_cursor: null });
  ws.recv(update(12, 'team-a.2'));
  ws.recv({ type: 'plan_removed', seq: 13, epoch: 'ix0000000001', plan_id: 'team-a.1' });
  assert.deepEqual(got, ['page:team-a.1@10', 'update:team-a.2@12', 'remove:team-a.1@13']);
  ws.drop();
  await until(() => FakeSocket.all.length === 2, 'a reconnect');
  const again = FakeSocket.last();
  again.accept();
  assert.deepEqual(again.ofType('watch_plans'),
    [{ type: 'watch_plans', prefix: 'team-a.', limit: 20, since: 13, epoch: 'ix0000000001' }]);
  again.recv({ type: 'plans', epoch: 'ix0000000001', seq: 13, recovered: true, plans: [], next_cursor: null });
  again.recv(update(15, 'team-a.3', 'failed'));
  assert.deepEqual(got.slice(3), ['resume@13', 'update:team-a.3@15']);
  } finally { client.close(); } // a failed check must not leave timers running
});

test('a second watchPlans waits for plans_unwatched: frames of the replaced watch never reach the new one', async () => {
  const { client, got, handlers } = watching();
  try {
  const ws = FakeSocket.last();
  ws.accept();
  client.watchPlans({ prefix: '', ...handlers });
  client.watchPlans({ prefix: 'team-b.', ...handlers });
  assert.deepEqual(ws.sent.filter((m) => m.type !== 'ping').map((m) => m.type), ['watch_plans', 'unwatch_plans']);
  ws.recv({ type: 'plans', epoch: 'ix0000000001', seq: 3, recovered: false, plans: [summary('team-a.1')], next_cursor: null });
  ws.recv(update(4, 'team-a.1'));
  assert.deepEqual(got, [], 'the old watch\'s frames are dropped');
  ws.recv({ type: 'plans_unwatched' });
  assert.deepEqual(ws.ofType('watch_plans').pop(), { type: 'watch_plans', prefix: 'team-b.', limit: 50 });
  ws.recv({ type: 'plans', epoch: 'ix0000000001', seq: 4, recovered: false, plans: [summary('team-b.1')], next_cursor: null });
  assert.deepEqual(got, ['page:team-b.1@4']);
  } finally { client.close(); }
});

test('plan_watchers reaches onWatchers without moving the index position; one of a replaced watch is dropped', async () => {
  const { client, got, handlers } = watching();
  try {
  client.watchPlans({ prefix: 'team-a.', ...handlers });
  const ws = FakeSocket.last();
  ws.accept();
  ws.recv({ type: 'plans', epoch: 'ix0000000001', seq: 10, recovered: false,
    plans: [{ ...summary('team-a.1'), watchers: 0 }], next_cursor: null });
  ws.recv({ type: 'plan_watchers', watchers: { 'team-a.1': 2, 'team-a.2': 1 } });
  ws.recv({ ...update(11, 'team-a.1'), summary: { ...summary('team-a.1'), watchers: 2 } });
  assert.deepEqual(got, ['page:team-a.1@10', 'watchers:team-a.1=2,team-a.2=1', 'update:team-a.1@11']);
  client.watchPlans({ prefix: 'team-b.', ...handlers }); // replaces the watch: unwatch_plans first
  ws.recv({ type: 'plan_watchers', watchers: { 'team-a.1': 3 } });
  assert.equal(got.length, 3, 'a count of the replaced watch is dropped');
  ws.recv({ type: 'plans_unwatched' });
  ws.recv({ type: 'plans', epoch: 'ix0000000001', seq: 12, recovered: false, plans: [], next_cursor: null });
  ws.drop();
  await until(() => FakeSocket.all.length === 2, 'a reconnect');
  const again = FakeSocket.last();
  again.accept();
  assert.deepEqual(again.ofType('watch_plans'),
    [{ type: 'watch_plans', prefix: 'team-b.', limit: 50, since: 12, epoch: 'ix0000000001' }],
    'the resume cursor is the last index seq, not moved by counts');
  } finally { client.close(); }
});
