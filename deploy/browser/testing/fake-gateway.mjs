// What the unit tests of stepcast.js share: the client under test, the gateway played by an in-memory
// WebSocket (FakeSocket), and a wait for a condition. Each test file runs in its own node process, so
// FakeSocket.all is per file.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const Stepcast = require(path.join(here, '../../../gateway/src/main/resources/public/stepcast.js'));

export class FakeSocket {
  static all = [];
  constructor(url, protocols) { this.url = url; this.protocols = protocols; this.readyState = 0; this.sent = []; FakeSocket.all.push(this); }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { this.readyState = 3; }
  accept() {
    this.readyState = 1; this.onopen && this.onopen({});
    this.recv({ type: 'connected', session_id: 's' + FakeSocket.all.length, protocol: 'stepcast.v1', heartbeat_ms: 60000 });
  }
  recv(obj) { this.onmessage && this.onmessage({ data: JSON.stringify(obj) }); }
  drop(code = 1006, reason = '') { this.readyState = 3; this.onclose && this.onclose({ code, reason }); }
  ofType(type) { return this.sent.filter((m) => m.type === type); }
  static last() { return FakeSocket.all[FakeSocket.all.length - 1]; }
}

/** Resolves once `cond()` holds; rejects naming `what` after `ms`. */
export async function until(cond, what, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 2));
  }
}
