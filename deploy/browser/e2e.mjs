// End-to-end tests of the Stepcast dashboard in real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser is downloaded) against a real gateway and Redis.
//
// Run by BrowserDashboardIT (deploy module, `./mvnw verify`), which starts Redis and the gateway and
// plays the orchestrator: this script asks it for things over a line protocol —
//   stdout: "@@control {"id":1,"cmd":"publish","plan":"p","events":[{"event":...,"data":{...}}]}"
//   stdin:  {"id":1,"ok":true,"result":...}
// commands: info → {base}, publish → [seq...], stop-gateway, start-gateway, mint-token {ttlMs, valid} → jwt.
//
// Usage: node e2e.mjs [scenario...]   (live fallback poll restart home home-watchers demo renew-ws
//                                      renew-longpoll sse sse-fallback renew-sse;
//                                      default: live fallback poll restart home home-watchers)
// Environment: STEPCAST_E2E_OUT (screenshots, default ./out), CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const OUT = process.env.STEPCAST_E2E_OUT || path.join(path.dirname(new URL(import.meta.url).pathname), 'out');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = Number(process.env.STEPCAST_E2E_TIMEOUT_MS || 30000);
fs.mkdirSync(OUT, { recursive: true });

// ------------------------------------------------------------------ control channel to the IT

const pending = new Map();
let nextId = 1;
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let msg;
  try { msg = JSON.parse(line); } catch { return; }
  const p = pending.get(msg.id);
  if (!p) return;
  pending.delete(msg.id);
  if (msg.ok) p.resolve(msg.result); else p.reject(new Error(msg.error || 'control command failed'));
});
function control(cmd, args = {}) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    process.stdout.write('@@control ' + JSON.stringify({ id, cmd, ...args }) + '\n');
  });
}
const publish = (plan, ...events) => control('publish', { plan, events });
const ev = (event, data) => ({ event, data });
const log = (...a) => console.log('[e2e]', ...a);

// ------------------------------------------------------------------ browser

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // launch() already gives every run a fresh temporary profile (--user-data-dir).
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

/**
 * STEPCAST_E2E_SABOTAGE switches a part of the client off, to see the checks fail: the page gets a
 * stepcast.js patched in flight (the gateway's jar stays as it is).
 */
const SABOTAGE = process.env.STEPCAST_E2E_SABOTAGE || '';
const CLIENT_PATCHES = {
  'sse-off': ['Client.prototype._canStream = function () {', 'Client.prototype._canStream = function () { return false;'],
  'sse-resume': ['var url = base + (c.hasState ?', 'var url = base + (false ?'],
  'watchers-off': ['if (w.h.onWatchers) w.h.onWatchers(', 'if (false) w.h.onWatchers('],
};

async function newPage(viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const patch = CLIENT_PATCHES[SABOTAGE];
  if (patch) {
    await context.route(/\/stepcast\.js(\?|$)/, async (route) => {
      const res = await route.fetch();
      const text = await res.text();
      if (!text.includes(patch[0])) throw new Error('sabotage ' + SABOTAGE + ' no longer applies to stepcast.js');
      await route.fulfill({ response: res, body: text.replace(patch[0], patch[1]) });
    });
  }
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => { if (m.type() === 'error' || process.env.STEPCAST_E2E_VERBOSE) log('console:', m.text()); });
  page.on('pageerror', (e) => { log('PAGE ERROR:', e.message); page.__errors = (page.__errors || 0) + 1; });
  return { context, page };
}

/** Waits until the connection indicator says `status` (and transport, when given). */
async function waitForStatus(page, status, transport) {
  await page.waitForFunction(([s, t]) => {
    const c = document.getElementById('conn');
    return c && c.dataset.status === s && (!t || c.dataset.transport === t);
  }, [status, transport]);
}

/** Waits until a plan card shows a step with the given status. */
async function waitForStep(page, plan, index, status) {
  await page.locator(`.plan[data-plan="${plan}"] .step[data-index="${index}"][data-status="${status}"]`).waitFor();
}

/**
 * Checks the client delivered the plan gap-free and without duplicates: after each snapshot, each
 * event is exactly the next seq of the snapshot's epoch. Returns the log for further checks.
 */
async function assertExactlyOnce(page, plan) {
  const entries = await page.evaluate((p) => window.stepcastDashboard.log[p], plan);
  let epoch = null; let seq = null;
  for (const e of entries) {
    if (e.kind === 'snapshot') { epoch = e.epoch; seq = e.seq; continue; }
    if (seq === null) throw new Error(`${plan}: event ${e.seq} before any snapshot`);
    const first = epoch === null && seq === 0; // a plan without events: its first event starts the epoch
    if ((first ? e.seq !== 1 : e.epoch !== epoch || e.seq !== seq + 1)) {
      throw new Error(`${plan}: delivered ${e.epoch}#${e.seq} after ${epoch}#${seq}: ${JSON.stringify(entries)}`);
    }
    epoch = e.epoch; seq = e.seq;
  }
  return entries;
}

/** How many deliveries of the plan came through the given transport. */
async function deliveredVia(page, plan, via) {
  return page.evaluate(([p, v]) => window.stepcastDashboard.log[p].filter((e) => e.via === v).length, [plan, via]);
}

/** The output lines shown for a step; each published line must appear exactly once. */
async function assertOutputLines(page, plan, index, expected) {
  await page.waitForFunction(([p, i, last]) => {
    const pre = document.querySelector(`.plan[data-plan="${p}"] .step[data-index="${i}"] .output`);
    return pre && pre.textContent.includes(last);
  }, [plan, index, expected[expected.length - 1]]);
  const text = await page.locator(`.plan[data-plan="${plan}"] .step[data-index="${index}"] .output`).textContent();
  const lines = text.split('\n').filter(Boolean);
  const want = expected.join('|'); const got = lines.join('|');
  if (want !== got) throw new Error(`${plan} step ${index}: output lines\n  want ${want}\n  got  ${got}`);
}

async function shot(page, name) {
  const file = path.join(OUT, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  log('screenshot', file);
}

/** `&token=…` for the page's address when the gateway checks tokens (set from the driver's info). */
let AUTH = '';
let TOKEN = null;

const uniq = (prefix) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const STEPS = ['checkout', 'build', 'unit tests', 'deploy to staging'];

/** Publishes a whole plan run, checking after each step that the page moved with it. */
async function runPlanLive(page, plan, { failAt = -1, outputLines = 2, check = true } = {}) {
  await publish(plan, ev('plan_started', { name: 'Release ' + plan, steps: STEPS }));
  if (check) await page.locator(`.plan[data-plan="${plan}"] .step`).nth(STEPS.length - 1).waitFor();
  for (let i = 0; i < STEPS.length; i++) {
    await publish(plan, ev('step_status', { step_index: i, step_name: STEPS[i], status: 'running' }));
    if (check) {
      await waitForStep(page, plan, i, 'running');
      await page.locator(`.plan[data-plan="${plan}"] .activity`, { hasText: `Step ${i + 1} running` }).waitFor();
    }
    const lines = [];
    for (let k = 1; k <= outputLines; k++) lines.push(ev('step_output', { step_index: i, chunk: `${STEPS[i]}: line ${k}\n` }));
    if (lines.length) await publish(plan, ...lines);
    if (i === failAt) {
      const skipped = STEPS.slice(i + 1).map((name, k) => ev('step_status', { step_index: i + 1 + k, step_name: name, status: 'skipped' }));
      await publish(plan, ev('step_status', { step_index: i, step_name: STEPS[i], status: 'failed', error: 'exit code 2: 3 tests failed' }),
        ...skipped, ev('plan_failed', { error: `step ${i + 1} (${STEPS[i]}) failed` }));
      if (check) await waitForStep(page, plan, i, 'failed');
      return;
    }
    await publish(plan, ev('step_status', { step_index: i, step_name: STEPS[i], status: 'succeeded' }));
    if (check) await waitForStep(page, plan, i, 'succeeded');
  }
  await publish(plan, ev('plan_completed', { summary: { steps: STEPS.length } }));
  if (check) await page.locator(`.plan[data-plan="${plan}"][data-status="succeeded"]`).waitFor();
}

/** The plan's progress bar counts the steps that ran to an end (succeeded or failed), red once one failed. */
async function assertProgress(page, plan, finished, failed) {
  const sel = `.plan[data-plan="${plan}"] .progress`;
  await page.waitForFunction(([s, n]) => document.querySelector(s)?.getAttribute('aria-valuenow') === String(n), [sel, finished]);
  const p = await page.$eval(sel, (el) => ({ max: el.getAttribute('aria-valuemax'), label: el.getAttribute('aria-label'),
    width: el.querySelector('.bar').style.width, failed: el.querySelector('.bar').classList.contains('failed') }));
  const want = `${finished} of ${STEPS.length} steps finished`;
  const width = (100 * finished / STEPS.length) + '%';
  if (p.max !== String(STEPS.length) || p.label !== want || p.width !== width || p.failed !== failed) {
    throw new Error(`progress of ${plan}: ${JSON.stringify(p)}, want ${want}, width ${width}, failed ${failed}`);
  }
}

// ------------------------------------------------------------------ scenarios

const scenarios = {};

scenarios.live = async (base) => {
  const plan = uniq('e2e-live');
  const { context, page } = await newPage();
  await page.goto(`${base}/?plans=${plan}${AUTH}`);
  await waitForStatus(page, 'connected', 'websocket');
  await page.locator('#conn-detail', { hasText: /WebSocket · round trip \d+ ms/ }).waitFor();
  await page.locator(`.plan[data-plan="${plan}"] .plan-meta`).waitFor();
  await runPlanLive(page, plan, { outputLines: 3 });
  await assertExactlyOnce(page, plan);
  for (let i = 0; i < STEPS.length; i++) await assertOutputLines(page, plan, i, [1, 2, 3].map((k) => `${STEPS[i]}: line ${k}`));
  await assertProgress(page, plan, STEPS.length, false);
  await shot(page, 'live');

  // the ES module entry and the ?token= alternative, from the page's own origin
  const viaModule = await page.evaluate(async ([token, p]) => {
    const { default: Stepcast, Client } = await import('/stepcast.mjs');
    if (Client !== Stepcast.Client) throw new Error('stepcast.mjs exports differ from the global');
    return new Promise((resolve, reject) => {
      const c = new Client({ token, tokenIn: 'query' });
      const timer = setTimeout(() => { c.close(); reject(new Error('no snapshot via ?token=')); }, 10000);
      c.on('status', (s) => { if (s.status === 'disconnected' && s.error) reject(new Error(s.error.message)); });
      c.subscribe(p, { snapshot: (st) => {
        const transport = c.state.transport;
        clearTimeout(timer); c.close(); resolve(st && st.overall_status + ' via ' + transport);
      } });
      c.connect();
    });
  }, [TOKEN, plan]);
  if (viaModule !== 'succeeded via websocket') throw new Error('stepcast.mjs client got: ' + viaModule);

  // a second plan opened from the form, failing at step 2, shown with its error
  const failing = uniq('e2e-fail');
  await page.fill('#plan-id', failing);
  await page.click('#open-plan button');
  await page.locator(`.plan[data-plan="${failing}"] .plan-meta`).waitFor();
  await runPlanLive(page, failing, { failAt: 1 });
  await page.locator(`.plan[data-plan="${failing}"] .step[data-index="1"] .step-error`, { hasText: '3 tests failed' }).waitFor();
  await page.locator(`.plan[data-plan="${failing}"][data-status="failed"]`).waitFor();
  await assertExactlyOnce(page, failing);
  await assertProgress(page, failing, 2, true); // step 1 succeeded, step 2 failed; the skipped ones never ran

  // output auto-scroll: follows new lines, unless the reader scrolled up
  const chatty = uniq('e2e-scroll');
  await page.fill('#plan-id', chatty);
  await page.click('#open-plan button');
  await page.locator(`.plan[data-plan="${chatty}"] .plan-meta`).waitFor();
  await publish(chatty, ev('plan_started', { name: 'Chatty', steps: ['logs'] }),
    ev('step_status', { step_index: 0, step_name: 'logs', status: 'running' }));
  const lines = (from, to) => Array.from({ length: to - from + 1 }, (_, k) =>
    ev('step_output', { step_index: 0, chunk: `log line ${from + k}\n` }));
  await publish(chatty, ...lines(1, 40));
  const out = `.plan[data-plan="${chatty}"] .step[data-index="0"] .output`;
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('log line 40'), out);
  const gapAtBottom = () => page.$eval(out, (pre) => pre.scrollHeight - pre.clientHeight - pre.scrollTop);
  if (await gapAtBottom() > 2) throw new Error('output did not follow new lines');
  await page.$eval(out, (pre) => { pre.scrollTop = 0; });
  await publish(chatty, ...lines(41, 45));
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('log line 45'), out);
  if (await page.$eval(out, (pre) => pre.scrollTop) !== 0) throw new Error('output yanked a reader who scrolled up');
  await page.$eval(out, (pre) => { pre.scrollTop = pre.scrollHeight; });
  await publish(chatty, ...lines(46, 50));
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('log line 50'), out);
  if (await gapAtBottom() > 2) throw new Error('output stopped following after scrolling back down');
  await assertOutputLines(page, chatty, 0, Array.from({ length: 50 }, (_, k) => `log line ${k + 1}`));

  if (AUTH) {
    // a plan outside the token's plans: the card says "forbidden" and never shows data
    const other = uniq('other');
    await publish(other, ev('plan_started', { name: 'not yours', steps: ['secret step'] }));
    await page.fill('#plan-id', other);
    await page.click('#open-plan button');
    await page.locator(`.plan[data-plan="${other}"] .plan-error`, { hasText: 'forbidden' }).waitFor();
    const leaked = await page.locator(`.plan[data-plan="${other}"] .step`).count();
    if (leaked) throw new Error('a forbidden plan showed its steps');

    // no token at all: nothing is shown but the reason
    const anonymous = await newPage();
    await anonymous.page.goto(`${base}/?plans=${plan}`);
    await anonymous.page.locator(`.plan[data-plan="${plan}"] .plan-error`, { hasText: 'needs a token' }).waitFor();
    if (await anonymous.page.locator(`.plan[data-plan="${plan}"] .step`).count()) throw new Error('data shown without a token');
    await anonymous.context.close();
  }
  await context.close();

  // phone-sized screen: the same plan, read from its snapshot, fits the width
  const phone = await newPage({ width: 390, height: 844 });
  await phone.page.goto(`${base}/?plans=${plan},${failing}${AUTH}`);
  await phone.page.locator(`.plan[data-plan="${failing}"][data-status="failed"]`).waitFor();
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) throw new Error(`phone layout overflows horizontally by ${overflow}px`);
  await shot(phone.page, 'phone');
  await phone.context.close();
};

scenarios.fallback = async (base) => {
  const plan = uniq('e2e-fallback');
  const { context, page } = await newPage();
  let blocked = true;
  // The WebSocket upgrade never reaches the gateway: Chromium sees the socket close at once.
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    if (blocked) ws.close({ code: 1011, reason: 'blocked by test' }); else ws.connectToServer();
  });
  await page.goto(`${base}/?plans=${plan}&probe=60000&transports=websocket,longpoll,poll${AUTH}`);
  await waitForStatus(page, 'degraded', 'longpoll');
  await page.locator(`.plan[data-plan="${plan}"] .plan-meta`).waitFor();
  await runPlanLive(page, plan);
  await assertExactlyOnce(page, plan);
  for (let i = 0; i < STEPS.length; i++) await assertOutputLines(page, plan, i, [1, 2].map((k) => `${STEPS[i]}: line ${k}`));
  if (await deliveredVia(page, plan, 'longpoll') < 10) throw new Error('events did not arrive by long-poll');
  await waitForStatus(page, 'degraded', 'longpoll');
  await shot(page, 'fallback-longpoll');

  // WebSocket possible again: the Retry button probes at once and the page moves back to it
  blocked = false;
  await page.click('#retry');
  await waitForStatus(page, 'connected', 'websocket');
  await publish(plan, ev('step_output', { step_index: 3, chunk: `${STEPS[3]}: line 3\n` }));
  await assertOutputLines(page, plan, 3, [1, 2, 3].map((k) => `${STEPS[3]}: line ${k}`));
  await assertExactlyOnce(page, plan);
  await context.close();
};

scenarios.poll = async (base) => {
  const plan = uniq('e2e-poll');
  const { context, page } = await newPage();
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => ws.close({ code: 1011, reason: 'blocked by test' }));
  // SSE and long-poll broken too (a proxy that cuts held requests): the page polls snapshots
  await page.route(/\/api\/plans\/[^/]+\/(events|stream)/, (route) => route.fulfill({ status: 502, body: 'bad gateway' }));
  await page.goto(`${base}/?plans=${plan}&probe=60000${AUTH}`);
  await waitForStatus(page, 'degraded', 'poll');
  // snapshots every X-Poll-Interval: publish the whole run, then check the page caught up with all of it
  await runPlanLive(page, plan, { check: false });
  await page.locator(`.plan[data-plan="${plan}"][data-status="succeeded"]`).waitFor();
  for (let i = 0; i < STEPS.length; i++) await waitForStep(page, plan, i, 'succeeded');
  for (let i = 0; i < STEPS.length; i++) await assertOutputLines(page, plan, i, [1, 2].map((k) => `${STEPS[i]}: line ${k}`));
  if (await deliveredVia(page, plan, 'poll') < 2) throw new Error('snapshots did not arrive by plain poll');
  await assertExactlyOnce(page, plan);
  await shot(page, 'fallback-poll');
  await context.close();
};

scenarios.restart = async (base) => {
  const plan = uniq('e2e-restart');
  const { context, page } = await newPage();
  await page.goto(`${base}/?plans=${plan}${AUTH}`);
  await waitForStatus(page, 'connected', 'websocket');
  await page.locator(`.plan[data-plan="${plan}"] .plan-meta`).waitFor();
  await publish(plan, ev('plan_started', { name: 'Restart ' + plan, steps: STEPS }),
    ev('step_status', { step_index: 0, step_name: STEPS[0], status: 'running' }),
    ev('step_output', { step_index: 0, chunk: 'line 1\n' }));
  await assertOutputLines(page, plan, 0, ['line 1']);

  await control('stop-gateway');
  await page.waitForFunction(() => document.getElementById('conn').dataset.status !== 'connected');
  // the orchestrator goes on while no gateway runs
  const expected = ['line 1'];
  for (let k = 2; k <= 6; k++) { await publish(plan, ev('step_output', { step_index: 0, chunk: `line ${k}\n` })); expected.push(`line ${k}`); }
  await publish(plan, ev('step_status', { step_index: 0, step_name: STEPS[0], status: 'succeeded' }),
    ev('step_status', { step_index: 1, step_name: STEPS[1], status: 'running' }));
  await shot(page, 'restart-down');
  await control('start-gateway');

  await waitForStep(page, plan, 1, 'running');
  await assertOutputLines(page, plan, 0, expected);
  for (let k = 7; k <= 9; k++) { await publish(plan, ev('step_output', { step_index: 0, chunk: `line ${k}\n` })); expected.push(`line ${k}`); }
  await assertOutputLines(page, plan, 0, expected);
  await waitForStatus(page, 'connected', 'websocket');
  const entries = await assertExactlyOnce(page, plan);
  const events = entries.filter((e) => e.kind === 'event').length;
  log(`restart: ${entries.length} deliveries (${events} events, ${entries.length - events} snapshots), none twice, no gap`);
  await shot(page, 'restart-after');
  await context.close();
};

/**
 * Token renewal with getToken: the page's getToken asks the driver for a fresh 5 s token per call
 * (the first one signed with another key when firstForeign), while events are published every
 * 200 ms for `seconds`. Returns what the page recorded. STEPCAST_E2E_SABOTAGE=renew|rejected
 * switches off proactive renewal / the fresh token after a refusal, to see the checks fail.
 */
async function renewWithGetToken(base, { transports, firstForeign = false, seconds = 16, restart = false }) {
  const plan = uniq('e2e-renew');
  const { context, page } = await newPage();
  let calls = 0;
  await page.exposeFunction('mintToken', () => {
    calls++;
    return control('mint-token', { ttlMs: 5000, valid: !(firstForeign && calls === 1) });
  });
  await page.goto(`${base}/api/info`); // a document of the gateway's origin (no dashboard client)
  await page.addScriptTag({ url: '/stepcast.js' });
  await page.evaluate(([p, t, sabotage]) => {
    if (sabotage === 'renew') Stepcast.Client.prototype._renew = function () {};
    if (sabotage === 'rejected') Stepcast.Client.prototype._tokenRejected = function () {};
    const rec = window.rec = { events: [], snapshots: [], tokens: [], closeCodes: [], statuses: [], errors: [] };
    const c = window.client = new Stepcast.Client({ getToken: () => window.mintToken(), transports: t });
    c.on('token', (e) => rec.tokens.push(e.status + (e.reason ? ':' + e.reason : '')));
    c.on('status', (s) => {
      const last = rec.statuses[rec.statuses.length - 1]; const now = s.status + '/' + s.transport;
      if (now !== last) rec.statuses.push(now);
      if (s.closeCode && !rec.closeCodes.includes(s.closeCode)) rec.closeCodes.push(s.closeCode);
    });
    c.on('error', (e) => rec.errors.push(e.code));
    c.subscribe(p, {
      snapshot: (st, info) => rec.snapshots.push({ epoch: info.epoch, seq: info.seq, via: info.via }),
      event: (f, info) => rec.events.push({ seq: f.seq, epoch: f.epoch, via: info.via, chunk: f.data && f.data.chunk }),
    });
    c.connect();
  }, [plan, transports, process.env.STEPCAST_E2E_SABOTAGE || '']);
  const live = transports[0] === 'websocket' ? 'connected' : 'degraded';
  await page.waitForFunction(([l, t]) => window.client.state.status === l && window.client.state.transport === t, [live, transports[0]]);
  await publish(plan, ev('plan_started', { name: 'Renew ' + plan, steps: ['work'] }),
    ev('step_status', { step_index: 0, step_name: 'work', status: 'running' }));
  await page.waitForFunction(() => window.rec.snapshots.length > 0 || window.rec.events.length > 0);
  const started = Date.now();
  const until = started + seconds * 1000;
  let n = 0;
  let restarted = !restart;
  while (Date.now() < until) {
    if (!restarted && Date.now() > started + seconds * 400) {
      // mid-way the gateway goes away and comes back: the client reopens with its newest token
      restarted = true;
      await control('stop-gateway');
      for (let k = 0; k < 5; k++) { n++; await publish(plan, ev('step_output', { step_index: 0, chunk: `line ${n}\n` })); }
      await control('start-gateway');
    }
    n++;
    await publish(plan, ev('step_output', { step_index: 0, chunk: `line ${n}\n` }));
    await new Promise((r) => setTimeout(r, 200)); // the publishing pace, not an assertion
  }
  await page.waitForFunction((last) => window.rec.events.some((e) => e.chunk === last), `line ${n}\n`, { timeout: 20000 })
    .catch(() => { /* checked below with the details */ });
  const rec = await page.evaluate(() => window.rec);
  await context.close();

  // every event exactly once, in order: seqs continue the snapshot's without gap or repeat
  const lines = rec.events.map((e) => e.chunk).filter(Boolean);
  const want = Array.from({ length: n }, (_, k) => `line ${k + 1}\n`);
  if (lines.join('') !== want.join('')) {
    throw new Error(`${plan}: output lines differ (got ${lines.length} of ${n}):\n  ${JSON.stringify(lines)}\n  tokens ${rec.tokens}\n  statuses ${rec.statuses}\n  closes ${rec.closeCodes}\n  errors ${rec.errors}`);
  }
  let seq = rec.snapshots.length ? rec.snapshots[0].seq : 0;
  for (const e of rec.events) {
    if (e.seq !== seq + 1) throw new Error(`${plan}: event ${e.seq} after ${seq}`);
    seq = e.seq;
  }
  if (rec.snapshots.length !== 1) throw new Error(`${plan}: ${rec.snapshots.length} snapshots (a reset): ${JSON.stringify(rec.snapshots)}`);
  const wrongWay = rec.events.filter((e) => e.via !== transports[0]).length;
  if (wrongWay) throw new Error(`${plan}: ${wrongWay} events did not come by ${transports[0]}: statuses ${rec.statuses}`);
  log(`${transports[0]}: ${n} events once in order over ${seconds} s of 5 s tokens; getToken calls ${calls};`,
    `token events ${rec.tokens.join(' ')}; statuses ${rec.statuses.join(' ')}; close codes [${rec.closeCodes}]`);
  return { rec, calls };
}

scenarios['renew-ws'] = async (base) => {
  const { rec } = await renewWithGetToken(base, { transports: ['websocket'] });
  if (rec.closeCodes.includes(4001)) throw new Error('the session was closed with 4001: ' + rec.statuses.join(' '));
  const refreshed = rec.tokens.filter((t) => t === 'refreshed').length;
  if (refreshed < 2) throw new Error(`only ${refreshed} refreshed: ${rec.tokens.join(' ')}`);
  if (rec.statuses.filter((s) => s === 'connected/websocket').length !== 1) throw new Error('reconnected: ' + rec.statuses.join(' '));
  if (rec.errors.length) throw new Error('errors: ' + rec.errors.join(' '));
};

scenarios['renew-longpoll'] = async (base) => {
  const { rec } = await renewWithGetToken(base, { transports: ['longpoll'], firstForeign: true });
  if (!rec.tokens.includes('fetched:rejected')) throw new Error('no fresh token after the 401: ' + rec.tokens.join(' '));
  const renewed = rec.tokens.filter((t) => t === 'fetched:renew').length;
  if (renewed < 2) throw new Error(`only ${renewed} renewals before expiry: ${rec.tokens.join(' ')}`);
  if (rec.errors.length) throw new Error('errors: ' + rec.errors.join(' '));
  if (rec.statuses.some((s) => s.startsWith('disconnected'))) throw new Error('gave up: ' + rec.statuses.join(' '));
};

/**
 * Publishes output lines of step 0 one at a time (every 100 ms) until stop(), which resolves with
 * every line published. The driver serves control commands one by one, so while it stops or starts
 * the gateway publishing waits, and resumes while the gateway is down.
 */
function startPublishing(plan) {
  const lines = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const line = `line ${lines.length + 1}`;
      await publish(plan, ev('step_output', { step_index: 0, chunk: line + '\n' }));
      lines.push(line);
      await new Promise((r) => setTimeout(r, 100)); // the publishing pace, not an assertion
    }
  })();
  return { lines, stop: async () => { stopped = true; await done; return lines; } };
}

async function eventually(cond, what, ms = TIMEOUT) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A dashboard page on SSE (status `sse` expected) while events are published continuously and the
 * gateway is stopped and started mid-way: every line shows once, in order, every event came by SSE,
 * and the plan was never reset (one snapshot: each stream resumed from the cursor).
 */
async function sseAcrossRestart(page, plan, name) {
  await waitForStatus(page, 'degraded', 'sse');
  await page.locator('#conn-detail', { hasText: 'SSE' }).waitFor();
  await page.locator(`.plan[data-plan="${plan}"] .plan-meta`).waitFor();
  await publish(plan, ev('plan_started', { name: 'SSE ' + plan, steps: STEPS }),
    ev('step_status', { step_index: 0, step_name: STEPS[0], status: 'running' }));
  await waitForStep(page, plan, 0, 'running');
  const pub = startPublishing(plan);
  await eventually(() => pub.lines.length >= 10, '10 lines before the restart');
  await control('stop-gateway');
  await page.waitForFunction(() => document.getElementById('conn').dataset.status === 'reconnecting');
  const whileDown = pub.lines.length;
  await eventually(() => pub.lines.length >= whileDown + 5, '5 lines published while the gateway is down');
  await control('start-gateway');
  await waitForStatus(page, 'degraded', 'sse');
  const afterStart = pub.lines.length;
  await eventually(() => pub.lines.length >= afterStart + 10, '10 lines after the restart');
  const lines = await pub.stop();
  await assertOutputLines(page, plan, 0, lines);
  const entries = await assertExactlyOnce(page, plan);
  const snapshots = entries.filter((e) => e.kind === 'snapshot').length;
  if (snapshots !== 1) throw new Error(`${plan}: ${snapshots} snapshots: a stream did not resume from the cursor`);
  const bySse = await deliveredVia(page, plan, 'sse');
  if (bySse !== entries.length) throw new Error(`${plan}: only ${bySse} of ${entries.length} deliveries by SSE`);
  log(`${name}: ${lines.length} lines published across a gateway restart, each shown once, in order, by SSE`);
}

scenarios.sse = async (base) => {
  const plan = uniq('e2e-sse');
  const { context, page } = await newPage();
  await page.goto(`${base}/?plans=${plan}&transports=sse${AUTH}`);
  await sseAcrossRestart(page, plan, 'sse');
  await shot(page, 'sse');
  // unsubscribe ends the plan's stream: the gateway counts no stream of it any more
  if (await openStreams(base) < 1) throw new Error('the gateway counts no open SSE stream');
  await page.evaluate((p) => window.stepcastDashboard.client.unsubscribe(p), plan);
  await eventually(async () => (await openStreams(base)) === 0, 'the gateway to see the stream closed', 10000);
  await context.close();
};

/** SSE streams open on the gateway right now (its Prometheus gauge), or -1 when not exported. */
async function openStreams(base) {
  const text = await (await fetch(`${base}/prometheus`).catch(() => null))?.text?.() ?? '';
  const m = /^stepcast_sse_streams(?:_open)?(?:\{[^}]*\})? ([0-9.]+)/m.exec(text);
  return m ? Number(m[1]) : -1;
}

scenarios['sse-fallback'] = async (base) => {
  // WebSocket impossible in the page: the client falls back to SSE, not long-poll
  const plan = uniq('e2e-ssefb');
  const { context, page } = await newPage();
  await context.addInitScript(() => { window.WebSocket = function () { throw new Error('WebSocket blocked by the test'); }; });
  await page.goto(`${base}/?plans=${plan}&transports=websocket,sse,longpoll&probe=60000${AUTH}`);
  await sseAcrossRestart(page, plan, 'sse-fallback');
  await context.close();

  // a proxy that answers the stream but never lets an event through: the client moves to long-poll
  const plan2 = uniq('e2e-ssebuf');
  const second = await newPage();
  await second.context.addInitScript(() => { window.WebSocket = function () { throw new Error('WebSocket blocked by the test'); }; });
  await second.page.route(/\/api\/plans\/[^/]+\/stream/, (route) =>
    route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream' }, body: '' }));
  await second.page.goto(`${base}/?plans=${plan2}&transports=websocket,sse,longpoll&probe=60000${AUTH}`);
  await waitForStatus(second.page, 'degraded', 'longpoll');
  await publish(plan2, ev('plan_started', { name: 'Buffered ' + plan2, steps: ['work'] }),
    ev('step_output', { step_index: 0, chunk: 'after the fallback\n' }));
  await assertOutputLines(second.page, plan2, 0, ['after the fallback']);
  await assertExactlyOnce(second.page, plan2);
  if (await deliveredVia(second.page, plan2, 'longpoll') < 1) throw new Error('nothing arrived by long-poll');
  await second.context.close();
};

scenarios['renew-sse'] = async (base) => {
  // SSE cannot refresh a stream's token in place: every (re)open presents the newest token, and a
  // 401 (the first token is signed with another key) gets a fresh one. The gateway restarts mid-way.
  const { rec } = await renewWithGetToken(base, { transports: ['sse'], firstForeign: true, restart: true });
  const rejected = rec.tokens.filter((t) => t === 'fetched:rejected').length;
  if (rejected !== 1) throw new Error(`${rejected} fresh tokens after a 401 (want 1: only the foreign first one): ${rec.tokens.join(' ')}`);
  const renewed = rec.tokens.filter((t) => t === 'fetched:renew').length;
  if (renewed < 2) throw new Error(`only ${renewed} renewals before expiry: ${rec.tokens.join(' ')}`);
  if (!rec.statuses.includes('reconnecting/sse')) throw new Error('the stream never had to reopen: ' + rec.statuses.join(' '));
  if (rec.errors.length) throw new Error('errors: ' + rec.errors.join(' '));
  if (rec.statuses.some((s) => s.startsWith('disconnected'))) throw new Error('gave up: ' + rec.statuses.join(' '));
};

scenarios.home = async (base) => {
  // The home view: the live list of the plans the token may see, running first, filtered by prefix,
  // a click opens the plan; the same on a phone-sized screen.
  const tag = uniq('e2e-home');
  const running = `${tag}.run`; const done = `${tag}.done`; const other = `${tag}-x.other`;
  await publish(done, ev('plan_started', { name: 'finished run', steps: ['a'] }),
    ev('step_status', { step_index: 0, step_name: 'a', status: 'succeeded' }), ev('plan_completed', { summary: { steps: 1 } }));
  await publish(other, ev('plan_started', { name: 'other team', steps: ['a'] }));
  await publish(running, ev('plan_started', { name: 'running run', steps: ['a', 'b'] }),
    ev('step_status', { step_index: 0, step_name: 'a', status: 'running' }));
  const { context, page } = await newPage();
  await page.goto(`${base}/?home=1${AUTH}`);
  await waitForStatus(page, 'connected', 'websocket');
  await page.fill('#prefix', tag + '.');
  const item = (plan) => page.locator(`#plan-list .plan-item[data-plan="${plan}"]`);
  await item(running).waitFor();
  await item(done).waitFor();
  await eventually(() => page.evaluate(() => document.querySelectorAll('#plan-list .plan-item').length === 2),
    'the prefix filter leaves exactly the two plans under it');
  const order = await page.evaluate(() => Array.from(document.querySelectorAll('#plan-list .plan-item'), (li) => li.dataset.plan));
  if (order[0] !== running) throw new Error('running plan not first: ' + order.join(' '));
  if (await item(done).getAttribute('data-status') !== 'succeeded') throw new Error('finished plan not succeeded');
  // live: a step finishing moves the progress without a reload
  await publish(running, ev('step_status', { step_index: 0, step_name: 'a', status: 'succeeded' }));
  await item(running).locator('.pi-progress', { hasText: '1/2 steps' }).waitFor();
  // a new plan under the prefix appears; the other prefix's plan never does
  await publish(`${tag}.new`, ev('plan_started', { name: 'new run', steps: ['a'] }));
  await item(`${tag}.new`).waitFor();
  if (await item(other).count()) throw new Error('a plan outside the prefix is listed');
  // a click opens the plan
  await item(running).locator('button').click();
  await page.locator(`.plan[data-plan="${running}"] .step[data-index="0"][data-status="succeeded"]`).waitFor();
  await shot(page, 'home');
  await context.close();

  const phone = await newPage({ width: 390, height: 844 });
  await phone.page.goto(`${base}/?home=1${AUTH}`);
  await waitForStatus(phone.page, 'connected', 'websocket');
  await phone.page.fill('#prefix', tag + '.');
  await phone.page.locator(`#plan-list .plan-item[data-plan="${running}"]`).waitFor();
  await eventually(() => phone.page.evaluate(() => document.querySelectorAll('#plan-list .plan-item').length === 3),
    'the three plans under the prefix on the phone');
  if (await phone.page.locator(`#plan-list .plan-item[data-plan="${other}"]`).count()) {
    throw new Error('a plan outside the prefix is listed on the phone (a page of the replaced watch?)');
  }
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) throw new Error(`the home view is ${overflow}px wider than the phone screen`);
  await phone.page.locator(`#plan-list .plan-item[data-plan="${done}"] button`).click();
  await phone.page.locator(`.plan[data-plan="${done}"] .step[data-index="0"][data-status="succeeded"]`).waitFor();
  await shot(phone.page, 'home-phone');
  await phone.context.close();
};

scenarios['home-watchers'] = async (base) => {
  // The home list's watcher count is live: a plan opened in another page counts one more, closing
  // that page one less (the gateway's presence heartbeat is 1 s in the tests; waits are 30 s).
  const plan = `${uniq('e2e-hw')}.run`;
  await publish(plan, ev('plan_started', { name: 'watched run', steps: ['a'] }));
  const { context, page } = await newPage();
  await page.goto(`${base}/?home=1${AUTH}`);
  await waitForStatus(page, 'connected', 'websocket');
  await page.fill('#prefix', plan);
  const count = (n) => page.locator(`#plan-list .plan-item[data-plan="${plan}"] .pi-watchers`, { hasText: new RegExp(`^${n} watching$`) });
  await count(0).waitFor();
  const other = await newPage();
  await other.page.goto(`${base}/?plans=${plan}${AUTH}`);
  await other.page.locator(`.plan[data-plan="${plan}"] .step`).first().waitFor();
  await count(1).waitFor();
  await shot(page, 'home-watchers');
  await other.context.close();
  await count(0).waitFor();
  await context.close();
};

scenarios.demo = async (base) => {
  // The README's run command: the demo gateway's own simulated orchestrator moves its plans.
  const { context, page } = await newPage({ width: 1280, height: 860 });
  await page.goto(`${base}/`);
  await waitForStatus(page, 'connected', 'websocket');
  await page.locator('#banner').waitFor();
  // it opens on the live list of the demo's plans; a click opens one
  await page.locator('#plan-list .plan-item').first().locator('button').click();
  await page.locator('.plan .step').first().waitFor();
  const before = await page.evaluate(() => document.querySelector('.plan').dataset.seq);
  await page.waitForFunction((s) => document.querySelector('.plan').dataset.seq !== s, before);
  await page.locator('.step[data-status="running"]').first().waitFor();
  await page.waitForTimeout(1500); // let output accumulate for the picture
  await shot(page, 'demo');
  await context.close();
};

// ------------------------------------------------------------------ runner

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['live', 'fallback', 'poll', 'restart', 'home', 'home-watchers'];
let passed = 0; let failed = 0;
try {
  const { base, token } = await control('info');
  if (token) { TOKEN = token; AUTH = '&token=' + encodeURIComponent(token); }
  log('gateway at', base, token ? '(auth on)' : '(no page token in the address)', '· chromium', browser.version());
  for (const name of wanted) {
    if (!scenarios[name]) { log('unknown scenario', name); failed++; continue; }
    const started = Date.now();
    try {
      await scenarios[name](base);
      passed++;
      console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}: ${e && e.stack || e}`);
    }
  }
} finally {
  await browser.close();
  rl.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
