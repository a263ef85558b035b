/*!
 * stepcast.js — the Stepcast client for browsers (and Node with an injected WebSocket).
 * One file, no dependencies, no build step. Apache-2.0.
 *
 *   <script src="/stepcast.js"></script>                  → window.Stepcast
 *   import Stepcast from '/stepcast.mjs';                 → ES module (thin wrapper over this file)
 *   const Stepcast = require('./stepcast.js');            → CommonJS
 *
 *   const client = Stepcast.connect({ url: 'https://gw.example', token: jwt });
 *   client.on('status', s => console.log(s.status, s.transport, s.latencyMs));
 *   // or, with tokens that expire: connect({ url, getToken: () => fetchTokenFromYourBackend() })
 *   // renews before each token's exp (WebSocket `refresh`; newest token on HTTP); see 'token' events
 *   client.subscribe('p-42', {
 *     snapshot(state, info) { render(state); },        // full state: initial, or a reset
 *     event(frame)          { apply(frame); }          // each event once, in seq order, no gap
 *   });
 *
 * Delivery guarantee: per plan, the application sees one snapshot, then every event with
 * seq = last + 1, exactly once, across reconnects, gateway restarts and transport changes
 * (WebSocket → SSE → long-poll → poll and back). When continuity cannot be proven (a hole, an epoch
 * change, a cursor the gateway no longer covers) the client does not deliver the out-of-order event:
 * it resumes from its cursor and, when the gateway answers with a reset, delivers a fresh snapshot
 * (info.reset = true). That bookkeeping lives in one place: {@link PlanCursor}.
 *
 * Transports, in order of preference (options.transports): WebSocket `/ws` (subprotocol
 * `stepcast.v1`), SSE `GET /api/plans/{plan}/stream` (read with fetch, one stream per plan),
 * long-poll `GET /api/plans/{plan}/events?wait=`, plain poll `GET /api/plans/{plan}` (snapshots
 * only). After `fallbackAfter` consecutive WebSocket failures the client uses the first HTTP
 * transport listed (status `degraded`), the next one after as many failures of that one, and probes
 * the WebSocket with jittered, growing delays; the first probe that gets `connected` takes over.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  if (root) root.Stepcast = api;
})(typeof globalThis !== 'undefined' ? globalThis : this, function () {
  'use strict';

  var PROTOCOL = 'stepcast.v1';
  var DEFAULTS = {
    url: null,              // gateway base URL; default: the page's origin
    wsUrl: null,            // override of the WebSocket URL; default: <url>/ws with ws(s)://
    token: null,            // string, or function returning a string (called before each connect)
    getToken: null,         // () => Promise<string>: the first token (when `token` is not a string) and
                            // every renewal before the current one's `exp` (see "Tokens" below)
    getTokenTimeoutMs: 10000, // a getToken call that has not settled by then counts as failed (backoff, retry)
    tokenMinLeadMs: 3000,   // renew at 80 % of the token's remaining lifetime, and at least this long
                            // before `exp` when the lifetime allows (never before half of it)
    tokenMaxRejections: 3,  // fresh tokens the gateway refuses in a row (4001 before `connected`, HTTP 401
                            // after the retry) before the client gives up with status 'disconnected'
    tokenIn: 'subprotocol', // 'subprotocol' (bearer.<token>) or 'query' (?token=)
    transports: ['websocket', 'sse', 'longpoll', 'poll'],
    backoffInitialMs: 500,  // reconnect delay = random(0, min(max, initial * 2^attempt)) (full jitter)
    backoffMaxMs: 30000,
    fallbackAfter: 3,       // consecutive WebSocket failures before polling
    probeInitialMs: 2000,   // first WebSocket probe while degraded; doubles (jittered) up to max
    probeMaxMs: 60000,
    connectTimeoutMs: 10000, // socket opened but no `connected` frame → failure
    stableAfterMs: 5000,    // a connection that dies sooner than this counts as a failure
    pingIntervalMs: 0,      // app-level ping; 0 = the server's heartbeat_ms (fallback 25 s)
    pongTimeoutMs: 10000,   // no pong → the connection is dead, reconnect
    queueLimit: 100,        // outgoing messages kept while disconnected; oldest dropped
    commandTimeoutMs: 30000,
    sseHeartbeatMs: 15000,  // the gateway's stepcast.http.sse.heartbeat: an SSE stream silent (no event,
                            // no `: ping`) for 2 x this is reopened from the cursor
    longPollWaitS: 25,
    maxLongPolls: 4,        // more plans than this → short polls (browsers allow ~6 connections/host)
    pollIntervalMs: 2000,   // plain poll; the server's X-Poll-Interval wins
    WebSocket: null,        // injectable (Node: require('ws'))
    fetch: null,            // injectable
    debug: false
  };
  var TERMINAL_CLOSE = { 4001: 'unauthorized', 4003: 'forbidden' };

  /** Minimal event emitter. Listener exceptions are reported, never break the client. */
  function Emitter() { this._l = {}; }
  Emitter.prototype.on = function (name, fn) {
    (this._l[name] = this._l[name] || []).push(fn);
    var self = this;
    return function off() { self.off(name, fn); };
  };
  Emitter.prototype.off = function (name, fn) {
    var l = this._l[name]; if (!l) return;
    var i = l.indexOf(fn); if (i >= 0) l.splice(i, 1);
  };
  Emitter.prototype.emit = function (name, a, b) {
    var l = (this._l[name] || []).slice();
    for (var i = 0; i < l.length; i++) {
      try { l[i](a, b); } catch (e) { reportError(e); }
    }
  };
  function reportError(e) {
    if (typeof console !== 'undefined') console.error('[stepcast] listener failed', e);
  }

  /** Full-jitter exponential backoff: random(0, min(max, base * 2^attempt)). */
  function fullJitter(baseMs, maxMs, attempt) {
    var cap = Math.min(maxMs, baseMs * Math.pow(2, Math.min(attempt, 30)));
    return Math.floor(Math.random() * cap);
  }

  function newId() {
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
  }

  /**
   * The single place where a plan's position (epoch, seq) is tracked and every snapshot and event,
   * whatever transport brought it, is checked before the application sees it.
   *
   * Invariant: {@code seq} is the last seq handed to the application for {@code epoch}; the
   * application has received a snapshot ({@code hasState}) before any event.
   */
  function PlanCursor(id) {
    this.id = id;
    this.epoch = null;
    this.seq = 0;
    this.hasState = false;
    this.awaitingSnapshot = false; // a reset was announced: hold events until its snapshot
    this.held = [];                // events received while awaitingSnapshot (bounded)
    this.resyncing = false;        // a gap was seen: a resume is in flight, drop until it answers
  }
  /** @returns {boolean} whether the snapshot should be delivered (and the cursor moved to it). */
  PlanCursor.prototype.takeSnapshot = function (epoch, seq) {
    var stale = this.hasState && epoch === this.epoch && seq <= this.seq;
    this.awaitingSnapshot = false;
    this.resyncing = false;
    if (stale) return false;
    this.epoch = epoch; this.seq = seq; this.hasState = true;
    return true;
  };
  /**
   * Classifies an event: 'deliver' (and advances), 'duplicate', 'hold' (a reset is pending) or
   * 'gap' (continuity not provable: the caller resumes from the cursor).
   */
  PlanCursor.prototype.check = function (epoch, seq) {
    if (this.awaitingSnapshot || !this.hasState) return 'hold';
    if (this.resyncing) {
      if (epoch === this.epoch && seq <= this.seq) return 'duplicate';
      if (!(epoch === this.epoch && seq === this.seq + 1)) return 'gap';
    }
    if (this.epoch === null && this.seq === 0) {
      if (seq !== 1) return 'gap';
      this.epoch = epoch;
    } else if (epoch !== this.epoch) {
      return 'gap';
    }
    if (seq <= this.seq) return 'duplicate';
    if (seq !== this.seq + 1) return 'gap';
    this.seq = seq;
    this.resyncing = false;
    return 'deliver';
  };
  /**
   * A `skip` of a filtered subscription: every seq up to `through` not delivered was filtered out.
   * 'advance' (the cursor moves to `through`, so the next event must be through + 1), 'ignore' (an
   * old or early skip: harmless, a later event proves or disproves continuity) or 'gap'. A skip is
   * never trusted while a resume is in flight: it could come from the stream that had the hole.
   */
  PlanCursor.prototype.skip = function (epoch, through) {
    if (this.awaitingSnapshot || !this.hasState || this.resyncing) return 'ignore';
    if (this.epoch === null && this.seq === 0) this.epoch = epoch;
    else if (epoch !== this.epoch) return 'gap';
    if (through <= this.seq) return 'ignore';
    this.seq = through;
    return 'advance';
  };

  /**
   * A Stepcast client: one logical connection to the gateway, any number of plan subscriptions.
   *
   * Events: 'status' (state object), 'snapshot' (planId, state, info), 'event' (frame),
   * 'latency' (ms), 'dropped' (message dropped from the full outgoing queue), 'error' (Error with
   * .code and optional .planId), 'message' (any other server frame, e.g. custom direct messages).
   *
   * Threading: everything runs on the page's event loop; callbacks are called synchronously in
   * delivery order. A listener that throws is logged and skipped.
   *
   * @param {Object} options see DEFAULTS above
   */
  function Client(options) {
    Emitter.call(this);
    var o = {};
    for (var k in DEFAULTS) o[k] = DEFAULTS[k];
    for (var k2 in (options || {})) if (options[k2] !== undefined) o[k2] = options[k2];
    this.options = o;
    this._plans = new Map();   // planId → { cursor: PlanCursor, handlers: [] }
    this._planWatch = null;    // the plan index watch: { prefix, limit, h (handlers), epoch, seq, hasPos }
    this._indexBarrier = false; // an unwatch_plans was sent: index frames are stale until plans_unwatched
    this._queue = [];          // outgoing messages waiting for a connection
    this._commands = new Map(); // command id → { resolve, reject, timer }
    this._pings = new Map();   // ping id → sent at (ms)
    this._announced = {};      // planId → {epoch, seq} of the last `subscribed` (a snapshot's position)
    this._mode = null;         // 'websocket' | 'sse' | 'longpoll' | 'poll'
    this._ws = null;           // the socket in use or being opened
    this._wsFailures = 0;
    this._attempt = 0;
    this._probeAttempt = 0;
    this._timers = {};
    this._httpGen = 0;         // bumps to stop every HTTP loop of an older generation
    this._httpAbort = null;
    this._httpFailures = 0;    // consecutive HTTP failures (any cause)
    this._modeFailures = 0;    // consecutive failures that blame the current HTTP mode itself
    this._closed = true;
    this._tok = null;          // getToken mode: { value, exp (ms since epoch or null), stale }
    this._tokPromise = null;   // the getToken call in flight; every caller shares it
    this._tokFailures = 0;     // consecutive failed renewals (getToken rejected or refresh refused)
    this._authRejections = 0;  // consecutive fresh tokens the gateway refused
    this._refreshId = null;    // id of the `refresh` awaiting its `refreshed`
    this._tokGen = 0;          // bumps with every new token (a socket opened with an older one refreshes)
    this._openGen = 0;         // bumps to cancel a connect waiting for its token
    this._tokenWait = false;   // a connect is waiting for getToken
    this.state = { status: 'disconnected', transport: null, latencyMs: null, attempt: 0,
      retryInMs: null, sessionId: null, error: null };
  }
  Client.prototype = Object.create(Emitter.prototype);
  Client.prototype.constructor = Client;

  // ---------------------------------------------------------------- public API

  /** Starts connecting (idempotent). */
  Client.prototype.connect = function () {
    if (!this._closed) return this;
    this._closed = false;
    this._installBrowserHooks();
    if (this._usesGetToken()) {
      if (!this._tok && typeof this.options.token === 'string' && this.options.token) {
        this._setToken(this.options.token, 'option');
      } else if (this._tok) {
        this._armRenewal(this._tok.exp);
      }
    }
    var t = this.options.transports;
    if (t.indexOf('websocket') >= 0 && this._WS()) {
      this._mode = 'websocket';
      this._setStatus('connecting', { transport: 'websocket' });
      this._openSocket();
    } else {
      this._degrade(this._httpModeAfter(null) || 'poll');
    }
    return this;
  };

  /**
   * Watches a plan. Handlers: snapshot(state, info), event(frame, info), error(err); info.via names
   * the transport. A second subscribe() to a plan already watched shares its stream from the next
   * delivery on (the client keeps cursors, not states, so there is nothing to replay to it).
   * Options in the same object (taken from the first subscribe() of a plan): `events` (1–32 event
   * names or prefixes ending in `*`: only those events are delivered, on every transport; the
   * gateway's `skip` frames keep the cursor exact) and `tails: false` (the poll transport asks for
   * snapshots without the steps' output_tail).
   * @returns {{unsubscribe: function}} removes these handlers; the last one stops watching the plan
   */
  Client.prototype.subscribe = function (planId, handlers) {
    var entry = this._plans.get(planId);
    var isNew = !entry;
    if (isNew) {
      var opts = handlers || {};
      entry = { cursor: new PlanCursor(planId), handlers: [],
        events: Array.isArray(opts.events) && opts.events.length ? opts.events.slice() : null,
        tails: opts.tails !== false };
      this._plans.set(planId, entry);
    }
    var h = handlers || {};
    entry.handlers.push(h);
    if (isNew) this._startPlan(entry);
    var self = this;
    return { unsubscribe: function () { self._removeHandlers(planId, h); } };
  };

  /** Stops watching a plan altogether (every handler). */
  Client.prototype.unsubscribe = function (planId) {
    var entry = this._plans.get(planId);
    if (!entry) return;
    this._plans.delete(planId);
    entry.stopped = true;
    if (entry.sseAbort) entry.sseAbort.abort(); // closes this plan's event stream now
    if (this._mode === 'websocket' && this._isOpen()) {
      this._sendNow({ type: 'unsubscribe', plan_id: planId });
    }
  };

  /** The plans watched. */
  Client.prototype.plans = function () { return Array.from(this._plans.keys()); };

  /** The position of a plan: { epoch, seq } or null. */
  Client.prototype.cursor = function (planId) {
    var e = this._plans.get(planId);
    return e ? { epoch: e.cursor.epoch, seq: e.cursor.seq } : null;
  };

  /**
   * Sends a message to the gateway over the WebSocket; while disconnected (or polling) it waits in a
   * bounded queue (options.queueLimit, oldest dropped with a 'dropped' event).
   */
  Client.prototype.send = function (message) {
    if (this._mode === 'websocket' && this._isOpen() && this.state.status === 'connected') {
      this._sendNow(message);
    } else {
      this._queue.push(message);
      while (this._queue.length > this.options.queueLimit) this._dropQueued(this._queue.shift());
    }
  };

  Client.prototype._dropQueued = function (message) {
    var pending = message && message.type === 'command' && this._commands.get(message.id);
    if (pending) {
      this._commands.delete(message.id);
      clearTimeout(pending.timer);
      pending.reject(err('dropped', 'the outgoing queue overflowed while disconnected'));
    }
    this.emit('dropped', message);
  };

  /**
   * Sends a command to a plan's orchestrator. Resolves with the result's data, rejects with an
   * Error (code from the server, 'dropped' when the queue overflowed, 'timeout').
   */
  Client.prototype.command = function (planId, command, args) {
    var self = this;
    var id = newId();
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        self._commands.delete(id); reject(err('timeout', 'no command_result for ' + id));
      }, self.options.commandTimeoutMs);
      self._commands.set(id, { resolve: resolve, reject: reject, timer: timer });
      self.send({ type: 'command', id: id, plan_id: planId, command: command, args: args || {} });
    });
  };

  /** Retry now (the "Retry" button): skips the current backoff delay or probe wait. */
  Client.prototype.retry = function () {
    if (this._closed) { this.connect(); return; }
    if (this._mode === 'websocket') {
      if (this._ws || this._tokenWait) return; // an attempt is already under way
      this._clearTimer('reconnect');
      this._attempt = 0;
      this._openSocket();
    } else {
      this._clearTimer('probe');
      this._probeAttempt = 0;
      if (!this._ws && !this._tokenWait && this._WS() && this.options.transports.indexOf('websocket') >= 0) this._openSocket();
      this._restartHttp(); // and poll at once
    }
  };

  /** Closes everything; status 'disconnected'. connect() starts again with the same cursors. */
  Client.prototype.close = function () {
    this._closed = true;
    for (var k in this._timers) this._clearTimer(k);
    this._openGen++;
    this._tokenWait = false;
    this._dropSocket(1000, 'client closed');
    this._stopHttp();
    this._mode = null;
    this._setStatus('disconnected', { transport: null, retryInMs: null });
  };

  // ---------------------------------------------------------------- delivery (the one place)

  /**
   * A snapshot from any transport. state may be null for a plan without events. pos ({epoch, seq})
   * is the position the transport announced for it; the state's own epoch/seq win when present.
   */
  Client.prototype._onSnapshot = function (planId, state, via, pos) {
    var entry = this._plans.get(planId);
    if (!entry) return;
    var c = entry.cursor;
    var epoch = state && state.epoch != null ? String(state.epoch)
      : pos && pos.epoch != null ? String(pos.epoch) : null;
    var seq = state && typeof state.seq === 'number' ? state.seq : pos && typeof pos.seq === 'number' ? pos.seq : 0;
    var reset = c.hasState;
    if (c.takeSnapshot(epoch, seq)) {
      var info = { reset: reset, via: via, epoch: epoch, seq: seq };
      this._callHandlers(entry, 'snapshot', [state, info]);
      this.emit('snapshot', planId, state, info);
    }
    var held = c.held; c.held = [];
    for (var i = 0; i < held.length; i++) this._onEvent(held[i], via);
  };

  /** A new transport session resumes every plan from its cursor: forget per-session holds. */
  Client.prototype._forgetTransient = function () {
    this._plans.forEach(function (entry) {
      var c = entry.cursor;
      c.awaitingSnapshot = false; c.held = []; c.resyncing = false;
    });
  };

  /** An event frame from any transport: delivered only when it is exactly the next one. */
  Client.prototype._onEvent = function (frame, via) {
    var entry = this._plans.get(frame.plan_id);
    if (!entry) return;
    var c = entry.cursor;
    switch (c.check(String(frame.epoch), frame.seq)) {
      case 'deliver':
        this._callHandlers(entry, 'event', [frame, { via: via }]);
        this.emit('event', frame, { via: via });
        return;
      case 'duplicate':
        return;
      case 'hold':
        if (c.held.length < 10000) { c.held.push(frame); return; }
        c.held = []; // fall through: too much held, resume instead
        /* falls through */
      case 'gap':
        this._log('gap on', frame.plan_id, 'at', frame.seq, '(have', c.epoch, c.seq + ') via', via);
        if (!c.resyncing) { c.resyncing = true; this._resync(entry); }
    }
  };

  /** A `skip` from any transport (a filtered subscription): the cursor moves past filtered seqs. */
  Client.prototype._onSkip = function (msg, via) {
    var entry = this._plans.get(msg.plan_id);
    if (!entry) return;
    var c = entry.cursor;
    var through = Number(msg.through);
    switch (c.skip(String(msg.epoch), through)) {
      case 'advance':
        this._callHandlers(entry, 'skip', [{ epoch: c.epoch, through: through, via: via }]);
        return;
      case 'gap':
        this._log('skip of another epoch on', msg.plan_id, 'via', via);
        if (!c.resyncing) { c.resyncing = true; this._resync(entry); }
    }
  };

  /** The query of a plan's event filter, '' when it has none. */
  function eventsQuery(entry, sep) {
    return entry.events ? sep + 'events=' + entry.events.map(encodeURIComponent).join(',') : '';
  }

  /** Resumes one plan from its cursor on the current transport. */
  Client.prototype._resync = function (entry) {
    if (this._mode === 'websocket') {
      // a subscribe to a plan already subscribed restarts that subscription (PROTOCOL.md 4.4)
      if (this._isOpen() && this.state.status === 'connected') this._sendSubscribe(entry);
    } else if (this._mode === 'sse' && entry.sseReopen) {
      entry.sseReopen(); // a new stream from the cursor; its `subscribed` ends the resync
    } else {
      entry.cursor.resyncing = false; // HTTP loops always ask from the cursor: the next page repairs
    }
  };

  Client.prototype._callHandlers = function (entry, name, args) {
    for (var i = 0; i < entry.handlers.length; i++) {
      var fn = entry.handlers[i][name];
      if (fn) { try { fn.apply(null, args); } catch (e) { reportError(e); } }
    }
  };

  Client.prototype._removeHandlers = function (planId, h) {
    var entry = this._plans.get(planId);
    if (!entry) return;
    var i = entry.handlers.indexOf(h);
    if (i >= 0) entry.handlers.splice(i, 1);
    if (entry.handlers.length === 0) this.unsubscribe(planId);
  };

  Client.prototype._startPlan = function (entry) {
    if (this._closed) return;
    if (this._mode === 'websocket') {
      if (this._isOpen() && this.state.status === 'connected') this._sendSubscribe(entry);
    } else if (this._mode === 'sse' && this._httpAbort) {
      this._sseLoop(entry, this._httpGen); // one more stream; the others stay open
    } else if (this._mode) {
      this._restartHttp();
    }
  };

  // ---------------------------------------------------------------- WebSocket

  Client.prototype._WS = function () {
    return this.options.WebSocket || (typeof WebSocket !== 'undefined' ? WebSocket : null);
  };

  /** The token to present now: getToken mode's current token, else the `token` option. */
  Client.prototype._token = function () {
    if (this._usesGetToken()) return this._tok ? this._tok.value : null;
    var t = this.options.token;
    return typeof t === 'function' ? t() : t;
  };

  Client.prototype._baseUrl = function () {
    var u = this.options.url;
    if (!u && typeof location !== 'undefined') u = location.origin;
    return String(u || '').replace(/\/+$/, '');
  };

  Client.prototype._socketUrl = function (token) {
    var url = this.options.wsUrl || this._baseUrl().replace(/^http/, 'ws') + '/ws';
    if (token && this.options.tokenIn === 'query') {
      url += (url.indexOf('?') >= 0 ? '&' : '?') + 'token=' + encodeURIComponent(token);
    }
    return url;
  };

  /** Opens a socket, first asking getToken when there is no usable token (none, stale, expiring). */
  Client.prototype._openSocket = function () {
    if (!this._needsToken()) { this._openSocketWith(this._token()); return; }
    var self = this;
    var gen = ++this._openGen;
    this._tokenWait = true;
    this._newToken('connect').then(function (token) {
      if (gen !== self._openGen) return;
      self._tokenWait = false;
      if (!self._closed) self._openSocketWith(token);
    }, function (e) {
      if (gen !== self._openGen) return;
      self._tokenWait = false;
      if (self._closed) return;
      if (e.definitive) { self._fail(e); return; }
      var delay = self._tokenRetryDelay(e);
      if (self._mode !== 'websocket') { self._scheduleProbe(); return; }
      self._setStatus('reconnecting', { transport: 'websocket', attempt: self._tokFailures, retryInMs: delay });
      self._setTimer('reconnect', delay, function () { self._openSocket(); });
    });
  };

  Client.prototype._openSocketWith = function (token) {
    var WS = this._WS();
    var protocols = [PROTOCOL];
    if (token && this.options.tokenIn !== 'query') protocols.push('bearer.' + token);
    var ws;
    try {
      ws = new WS(this._socketUrl(token), protocols);
    } catch (e) {
      this._log('WebSocket constructor failed', e);
      this._socketFailed(null, { code: 0, reason: String(e && e.message || e) });
      return;
    }
    var self = this;
    var openedAt = 0;
    this._ws = ws;
    ws.__connectedAt = 0;
    ws.__tokenGen = this._tokGen;
    this._setTimer('connect', this.options.connectTimeoutMs, function () {
      self._log('no connected frame in time');
      self._abandon(ws, { code: 4000, reason: 'connect timeout' });
    });
    ws.onopen = function () { openedAt = Date.now(); };
    ws.onmessage = function (m) { if (self._ws === ws) self._onSocketMessage(ws, m.data); };
    ws.onerror = function () { /* onclose follows and carries the details */ };
    ws.onclose = function (e) {
      if (self._ws !== ws) return;
      self._log('socket closed', e.code, e.reason, openedAt ? '' : '(never opened)');
      self._socketFailed(ws, { code: e.code, reason: e.reason });
    };
  };

  /** Gives up for good (unauthorized, forbidden): every plan and the app hear why; status 'disconnected'. */
  Client.prototype._fail = function (e) {
    var fatal = this.state.error = err(e.code === 'forbidden' ? 'forbidden' : 'unauthorized', e.message);
    var self = this;
    if (this._usesGetToken()) this.emit('token', { status: 'failed', error: fatal });
    this._plans.forEach(function (entry) { self._callHandlers(entry, 'error', [fatal]); });
    this.emit('error', fatal);
    this._closed = true;
    for (var k in this._timers) this._clearTimer(k);
    this._openGen++;
    this._tokenWait = false;
    this._dropSocket(1000, 'client gave up');
    this._stopHttp();
    this._setStatus('disconnected', { transport: null, retryInMs: null });
  };

  /** Forgets a socket that is dead or unwanted without waiting for its closing handshake. */
  Client.prototype._abandon = function (ws, why) {
    if (this._ws !== ws) return;
    this._socketFailed(ws, why);
    try { ws.close(1000, why.reason); } catch (e) { /* already closed */ }
  };

  Client.prototype._dropSocket = function (code, reason) {
    var ws = this._ws;
    this._ws = null;
    this._refreshId = null;
    this._clearTimer('connect'); this._clearTimer('ping'); this._clearTimer('pong');
    this._clearTimer('drain');
    this._pings.clear();
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try { ws.close(code, reason); } catch (e) { /* ignore */ }
    }
  };

  Client.prototype._socketFailed = function (ws, why) {
    var connectedAt = ws ? ws.__connectedAt : 0;
    var wasConnected = connectedAt > 0 && this._mode === 'websocket';
    var drainAt = ws ? ws.__drainAt : 0;
    if (ws) { ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null; }
    this._ws = null;
    this._refreshId = null;
    this._clearTimer('connect'); this._clearTimer('ping'); this._clearTimer('pong');
    this._clearTimer('drain');
    this._pings.clear();
    if (this._closed) return;
    var code = why.code;
    if (TERMINAL_CLOSE[code] && this._usesGetToken()) {
      // expired or refused: the next attempt asks getToken for a fresh token, then resumes
      this._tokenRejected(this._tok && this._tok.value);
      if (!connectedAt && ++this._authRejections >= this.options.tokenMaxRejections) {
        this._fail(err(TERMINAL_CLOSE[code], why.reason || TERMINAL_CLOSE[code]));
        return;
      }
    } else if (TERMINAL_CLOSE[code] && typeof this.options.token !== 'function') {
      this._fail(err(TERMINAL_CLOSE[code], why.reason || TERMINAL_CLOSE[code]));
      return;
    }
    var short = !connectedAt || (Date.now() - connectedAt < this.options.stableAfterMs &&
      code !== 1000 && code !== 1001 && code !== 1012);
    if (short && !drainAt) this._wsFailures++; else if (!short) this._wsFailures = 0;

    if (this._mode !== 'websocket') { this._scheduleProbe(); return; }
    var fallback = this._httpModeAfter(null);
    if (fallback && this._wsFailures >= this.options.fallbackAfter) {
      this._degrade(fallback);
      return;
    }
    if (wasConnected) this._attempt = 0;
    var delay = drainAt ? Math.max(0, drainAt - Date.now()) + fullJitter(this.options.backoffInitialMs, this.options.backoffInitialMs, 0)
      : fullJitter(this.options.backoffInitialMs, this.options.backoffMaxMs, this._attempt);
    if (code === 4029) delay = Math.max(delay, 5000); // rate limited: do not hammer
    this._attempt++;
    this._setStatus('reconnecting', { transport: 'websocket', attempt: this._attempt, retryInMs: delay,
      closeCode: code || null });
    var self = this;
    this._setTimer('reconnect', delay, function () { self._openSocket(); });
  };

  Client.prototype._onSocketMessage = function (ws, data) {
    var msg;
    try { msg = JSON.parse(data); } catch (e) {
      this.emit('error', err('bad_frame', 'unparseable frame from the gateway'));
      return;
    }
    if (this._onIndexFrame(msg)) return;
    switch (msg.type) {
      case 'event': this._onEvent(msg, 'websocket'); break;
      case 'snapshot': this._onSnapshot(msg.plan_id, msg.state, 'websocket', this._announced[msg.plan_id]); break;
      case 'subscribed': this._onSubscribed(msg, 'websocket'); break;
      case 'skip': this._onSkip(msg, 'websocket'); break;
      case 'connected': this._onConnected(ws, msg); break;
      case 'pong': this._onPong(msg); break;
      case 'command_result': this._onCommandResult(msg); break;
      case 'reconnect': this._onReconnectFrame(ws, msg); break;
      case 'refreshed': this._onRefreshed(msg); break;
      case 'error': if (!this._onRefreshError(msg)) this._onServerError(msg); break;
      case 'unsubscribed': break;
      default: this.emit('message', msg);
    }
  };

  Client.prototype._onConnected = function (ws, msg) {
    this._clearTimer('connect');
    ws.__connectedAt = Date.now();
    var wasDegraded = this._mode !== 'websocket';
    if (wasDegraded) { this._stopHttp(); this._mode = 'websocket'; this._clearTimer('probe'); }
    this._probeAttempt = 0;
    this._attempt = 0;
    this._authRejections = 0;
    this._heartbeatMs = this.options.pingIntervalMs || msg.heartbeat_ms || 25000;
    this._setStatus('connected', { transport: 'websocket', attempt: 0, retryInMs: null,
      sessionId: msg.session_id || null, error: null, closeCode: null });
    this._forgetTransient();
    var self = this;
    this._plans.forEach(function (entry) { self._sendSubscribe(entry); });
    this._indexBarrier = false; // a new connection has no watch yet
    if (this._planWatch) this._sendWatchPlans();
    var q = this._queue; this._queue = [];
    for (var i = 0; i < q.length; i++) this._sendNow(q[i]);
    this._ping();
    if (this._usesGetToken() && ws.__tokenGen !== this._tokGen && this._tok) this._sendRefresh(this._tok.value);
  };

  Client.prototype._sendSubscribe = function (entry) {
    var c = entry.cursor;
    var msg = { type: 'subscribe', plan_id: c.id };
    if (c.hasState) {
      msg.since = c.seq;
      if (c.epoch !== null) msg.epoch = c.epoch;
    }
    if (entry.events) msg.events = entry.events;
    this._sendNow(msg);
  };

  Client.prototype._onSubscribed = function (msg, via) {
    var entry = this._plans.get(msg.plan_id);
    if (!entry) return;
    var c = entry.cursor;
    var epoch = msg.epoch != null ? String(msg.epoch) : null;
    this._announced[msg.plan_id] = { epoch: epoch, seq: msg.seq };
    if (epoch === null && !msg.seq) {
      // A plan without events: there is no snapshot to wait for; every event from seq 1 follows.
      if (!c.hasState || c.epoch !== null || c.seq !== 0) this._onSnapshot(msg.plan_id, null, via);
      c.resyncing = false;
    } else if (msg.recovered) {
      entry.retries = 0;
      c.resyncing = false; // the missed events follow
      c.awaitingSnapshot = false;
    } else {
      c.awaitingSnapshot = true; // a snapshot follows; hold events until then
    }
    c.held = [];
  };

  Client.prototype._onReconnectFrame = function (ws, msg) {
    // The gateway is draining: stay until after_ms, then move (the server may close first).
    var after = Math.max(0, Number(msg.after_ms) || 0);
    ws.__drainAt = Date.now() + after;
    var self = this;
    this._setTimer('drain', after, function () {
      self._abandon(ws, { code: 1012, reason: 'server asked to reconnect: ' + (msg.reason || '') });
    });
  };

  Client.prototype._onServerError = function (msg) {
    var e = err(msg.code || 'error', msg.message || 'error from the gateway');
    if (msg.plan_id || msg.ref) e.planId = msg.plan_id || msg.ref;
    var entry = e.planId && this._plans.get(e.planId);
    if (msg.code === 'not_subscribed') return; // an unsubscribe that crossed a drop: harmless
    if (entry) {
      entry.cursor.resyncing = false;
      this._callHandlers(entry, 'error', [e]);
      if (msg.code === 'unavailable' || msg.code === 'internal') this._retryPlanLater(entry);
    }
    if (msg.ref && this._commands.has(msg.ref)) this._onCommandResult({ id: msg.ref, ok: false, error: msg });
    this.emit('error', e);
  };

  /** The gateway could not serve a subscription right now (e.g. Redis down): ask again later. */
  Client.prototype._retryPlanLater = function (entry) {
    var self = this;
    entry.retries = (entry.retries || 0) + 1;
    var delay = Math.max(250, fullJitter(this.options.backoffInitialMs * 2, this.options.backoffMaxMs, entry.retries));
    setTimeout(function () {
      if (self._plans.get(entry.cursor.id) === entry && self._mode === 'websocket' &&
          self._isOpen() && self.state.status === 'connected') self._sendSubscribe(entry);
    }, delay);
  };

  Client.prototype._onCommandResult = function (msg) {
    var pending = this._commands.get(msg.id);
    if (!pending) return;
    this._commands.delete(msg.id);
    clearTimeout(pending.timer);
    if (msg.ok) pending.resolve(msg.data);
    else {
      var e = msg.error || {};
      pending.reject(err(e.code || 'command_failed', e.message || String(e)));
    }
  };

  // --- heartbeat: ping {id} every heartbeat; no pong within pongTimeoutMs → dead connection

  Client.prototype._ping = function () {
    if (!this._isOpen()) return;
    var id = newId();
    var ws = this._ws;
    var self = this;
    this._pings.set(id, now());
    this._sendNow({ type: 'ping', id: id });
    this._setTimer('pong', this.options.pongTimeoutMs, function () {
      self._log('pong timeout');
      self._abandon(ws, { code: 4000, reason: 'heartbeat timeout' });
    });
  };

  Client.prototype._onPong = function (msg) {
    var sent = this._pings.get(msg.id);
    if (sent === undefined) return;
    this._pings.clear();
    this._clearTimer('pong');
    var ms = Math.round(now() - sent);
    this.state.latencyMs = ms;
    this.emit('latency', ms);
    this.emit('status', this.state);
    var self = this;
    this._setTimer('ping', this._heartbeatMs, function () { self._ping(); });
  };

  Client.prototype._isOpen = function () {
    return !!this._ws && this._ws.readyState === 1;
  };

  Client.prototype._sendNow = function (msg) {
    try { this._ws.send(JSON.stringify(msg)); } catch (e) { this._log('send failed', e); }
  };

  // ---------------------------------------------------------------- live plan index

  /**
   * Watches the plan index (the plans under a prefix that the token grants, PROTOCOL.md §4.8):
   * onPage(summaries, info) with a first page, then onUpdate(summary, frame) and onRemove(planId,
   * frame) live. Summaries carry `watchers` (connections watching the plan, all gateways); over
   * WebSocket onWatchers(counts, frame) brings changed counts ({planId: n}) of plans the watch shows,
   * at most once per presence heartbeat: apply them to the list. After a reconnect the watch resumes from the index position it reached (only the
   * missed changes, onResume(info)), or a fresh first page comes (onPage again: replace the list).
   * Over HTTP transports the index is polled (GET /api/plans, ETag) and each changed page is an onPage.
   * One watch per client: a second watchPlans replaces the first.
   * @param {{prefix?: string, limit?: number, onPage?: function, onUpdate?: function,
   *          onRemove?: function, onResume?: function, onWatchers?: function}} opts
   * @returns {{unwatch: function}}
   */
  Client.prototype.watchPlans = function (opts) {
    var o = opts || {};
    if (this._planWatch) this.unwatchPlans();
    var w = { prefix: o.prefix || '', limit: o.limit || 50, h: o, epoch: null, seq: 0, hasPos: false };
    this._planWatch = w;
    if (this._mode === 'websocket') {
      // after an unwatch, frames of the old watch may still come: the new one starts at plans_unwatched
      if (this._isOpen() && this.state.status === 'connected' && !this._indexBarrier) this._sendWatchPlans();
    } else if (this._mode) {
      this._indexPollLoop(w, this._httpGen);
    }
    var self = this;
    return { unwatch: function () { if (self._planWatch === w) self.unwatchPlans(); } };
  };

  /** Stops the plan index watch. */
  Client.prototype.unwatchPlans = function () {
    var w = this._planWatch;
    if (!w) return;
    this._planWatch = null;
    w.stopped = true;
    if (this._mode === 'websocket' && this._isOpen() && this.state.status === 'connected' && !this._indexBarrier) {
      this._sendNow({ type: 'unwatch_plans' });
      this._indexBarrier = true;
    }
  };

  Client.prototype._sendWatchPlans = function () {
    var w = this._planWatch;
    var msg = { type: 'watch_plans', prefix: w.prefix, limit: w.limit };
    if (w.hasPos) {
      msg.since = w.seq;
      if (w.epoch !== null) msg.epoch = w.epoch;
    }
    this._sendNow(msg);
  };

  /** `plans`, `plan_update`, `plan_removed`, `plan_watchers` of the watch (WebSocket); false for other frames. */
  Client.prototype._onIndexFrame = function (msg) {
    var w = this._planWatch;
    if (msg.type === 'plans_unwatched') {
      if (this._indexBarrier) {
        this._indexBarrier = false;
        if (w) this._sendWatchPlans();
      }
      return true;
    }
    if (msg.type !== 'plans' && msg.type !== 'plan_update' && msg.type !== 'plan_removed' &&
        msg.type !== 'plan_watchers') return false;
    if (!w || this._indexBarrier) return true; // no watch, or a frame of the one being replaced
    if (msg.type === 'plan_watchers') { // latest counts, not an index position
      try { if (w.h.onWatchers) w.h.onWatchers(msg.watchers || {}, msg); } catch (e) { this._log('plan index handler failed', e); }
      return true;
    }
    if (msg.epoch !== undefined) { w.epoch = msg.epoch; w.seq = msg.seq; w.hasPos = true; }
    try {
      if (msg.type === 'plans') {
        var info = { epoch: msg.epoch, seq: msg.seq, nextCursor: msg.next_cursor || null, via: 'websocket' };
        if (msg.recovered) { if (w.h.onResume) w.h.onResume(info); } else if (w.h.onPage) w.h.onPage(msg.plans, info);
      } else if (msg.type === 'plan_update') {
        if (w.h.onUpdate) w.h.onUpdate(msg.summary, msg);
      } else if (w.h.onRemove) {
        w.h.onRemove(msg.plan_id, msg);
      }
    } catch (e) { this._log('plan index handler failed', e); }
    return true;
  };

  /** HTTP transports: polls GET /api/plans (ETag) and hands each changed page to onPage. */
  Client.prototype._indexPollLoop = function (w, gen) {
    var self = this;
    var etag = null;
    var live = function () { return gen === self._httpGen && self._planWatch === w && !w.stopped; };
    var url = this._baseUrl() + '/api/plans?limit=' + w.limit + (w.prefix ? '&prefix=' + encodeURIComponent(w.prefix) : '');
    function step() {
      if (!live()) return;
      var headers = etag ? { 'If-None-Match': etag } : {};
      self._fetch(url, { headers: headers }).then(function (res) {
        if (!live() || res.status === 304) return null;
        if (!res.ok) throw err('http_' + res.status, 'GET /api/plans answered ' + res.status, res.status);
        etag = res.headers.get('ETag');
        return res.json();
      }).then(function (body) {
        if (!body || !live()) return;
        w.epoch = body.index.epoch; w.seq = body.index.seq; w.hasPos = false; // a page, not a cursor
        if (w.h.onPage) w.h.onPage(body.plans, { epoch: body.index.epoch, seq: body.index.seq,
          nextCursor: body.next_cursor, via: self._mode });
      }).catch(function (e) { self._log('plan index poll failed', e); })
        .then(function () { if (live()) setTimeout(step, self.options.pollIntervalMs); });
    }
    step();
  };

  // ---------------------------------------------------------------- long-poll and poll

  Client.prototype._degrade = function (mode) {
    this._mode = mode;
    this._httpFailures = 0;
    this._modeFailures = 0;
    // 'degraded' once the first response proves this transport works
    this._setStatus('reconnecting', { transport: mode, attempt: 0, retryInMs: 0, latencyMs: null });
    this._restartHttp();
    if (this.options.transports.indexOf('websocket') >= 0 && this._WS()) this._scheduleProbe();
  };

  Client.prototype._scheduleProbe = function () {
    if (this._closed || this._ws || this._tokenWait || this._timers.probe) return;
    var o = this.options;
    var cap = Math.min(o.probeMaxMs, o.probeInitialMs * Math.pow(2, this._probeAttempt++));
    var delay = Math.floor(cap / 2 + Math.random() * cap / 2); // jittered, never immediate
    var self = this;
    this._setTimer('probe', delay, function () { self._openSocket(); });
  };

  Client.prototype._stopHttp = function () {
    this._httpGen++;
    if (this._httpAbort) { try { this._httpAbort.abort(); } catch (e) { /* ignore */ } }
    this._httpAbort = null;
  };

  Client.prototype._restartHttp = function () {
    this._stopHttp();
    if (this._closed || this._mode === 'websocket' || !this._mode) return;
    var gen = this._httpGen;
    this._forgetTransient();
    this._httpAbort = typeof AbortController !== 'undefined' ? new AbortController() : null;
    var self = this;
    this._plans.forEach(function (entry) {
      if (self._mode === 'sse') self._sseLoop(entry, gen); else self._pollLoop(entry, gen);
    });
    if (this._planWatch) this._indexPollLoop(this._planWatch, gen);
  };

  /** fetch with the current token as `Authorization: Bearer`; in getToken mode a 401 is retried once with a fresh token. */
  Client.prototype._fetch = function (url, init, retried) {
    var f = this.options.fetch || (typeof fetch !== 'undefined' ? fetch.bind(globalThis) : null);
    if (!f) return Promise.reject(err('no_fetch', 'fetch is not available'));
    var self = this;
    var abort = this._httpAbort;
    var ready = this._needsToken() ? this._newToken('connect') : Promise.resolve(this._token());
    return ready.then(function (token) {
      var headers = {};
      for (var h in (init && init.headers || {})) headers[h] = init.headers[h];
      if (token) headers.Authorization = 'Bearer ' + token;
      var req = { headers: headers, cache: 'no-store' };
      if (init && init.signal) req.signal = init.signal; else if (abort) req.signal = abort.signal;
      return f(url, req).then(function (res) {
        if (res.status !== 401 || !self._usesGetToken()) return res;
        // expired or refused: one retry with a fresh token from getToken
        self._tokenRejected(token);
        if (retried || abort !== self._httpAbort) {
          if (++self._authRejections >= self.options.tokenMaxRejections) {
            throw Object.assign(err('unauthorized', 'the gateway refused ' + self._authRejections +
              ' fresh tokens in a row (HTTP 401)', 401), { definitive: true });
          }
          return res;
        }
        return self._fetch(url, init, true);
      });
    });
  };

  /** One plan's HTTP loop; ends when the generation changes or the plan is unsubscribed. */
  Client.prototype._pollLoop = function (entry, gen) {
    var self = this;
    var etag = null;
    var live = function () { return gen === self._httpGen && !entry.stopped; };
    var base = this._baseUrl() + '/api/plans/' + encodeURIComponent(entry.cursor.id);
    function next(delay) { if (live()) setTimeout(step, delay); }
    function step() {
      if (!live()) return;
      var mode = self._mode;
      var c = entry.cursor;
      var started = now();
      var wait = mode === 'longpoll' && c.hasState && self._plans.size <= self.options.maxLongPolls
        ? self.options.longPollWaitS : 0;
      var url = mode === 'longpoll'
        ? base + '/events?wait=' + wait + (c.hasState ? '&since=' + c.seq + (c.epoch !== null ? '&epoch=' + encodeURIComponent(c.epoch) : '') : '') + eventsQuery(entry, '&')
        : base + (entry.tails ? '' : '?tails=false');
      var headers = {};
      if (mode === 'poll' && etag) headers['If-None-Match'] = etag;
      self._fetch(url, { headers: headers }).then(function (res) {
        if (!live()) return null;
        if (mode === 'longpoll' && (res.status === 404 || res.status === 405 || res.status === 501) &&
            !/json/.test(res.headers.get('Content-Type') || '')) {
          throw err('no_longpoll', 'long-poll endpoint unavailable (HTTP ' + res.status + ')', res.status);
        }
        if (res.status === 304) return { notModified: true, res: res };
        if (res.status === 404 && mode === 'poll') return { body: null, res: res };
        if (!res.ok) throw err(res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'http_' + res.status,
          'HTTP ' + res.status + ' from ' + url, res.status);
        return res.json().then(function (body) { return { body: body, res: res }; });
      }).then(function (r) {
        if (!r || !live()) return;
        self._httpOk(wait === 0 ? now() - started : null);
        if (mode === 'longpoll') {
          var page = r.body || {};
          var hadState = entry.cursor.hasState;
          if (page.snapshot !== undefined && page.snapshot !== null || page.recovered === false) {
            self._onSnapshot(entry.cursor.id, page.snapshot || null, mode, page);
          } else if (!hadState && page.epoch == null && !page.seq) {
            self._onSnapshot(entry.cursor.id, null, mode); // a plan without events
          }
          var events = page.events || [];
          for (var i = 0; i < events.length; i++) {
            var f = typeof events[i] === 'string' ? JSON.parse(events[i]) : events[i];
            self._onEvent(f, mode);
          }
          if (entry.events && page.recovered !== false && page.epoch != null && typeof page.seq === 'number') {
            // a filtered page's cursor covers the events it left out
            self._onSkip({ plan_id: entry.cursor.id, epoch: page.epoch, through: page.seq }, mode);
          }
          next(wait > 0 || events.length || !hadState ? 0 : self.options.pollIntervalMs);
        } else {
          if (!r.notModified) {
            etag = r.res.headers.get('ETag');
            self._onSnapshot(entry.cursor.id, r.body, mode);
          }
          var hinted = parseFloat(r.res.headers.get('X-Poll-Interval'));
          next(hinted > 0 ? hinted * 1000 : self.options.pollIntervalMs);
        }
      }).catch(function (e) {
        if (!live()) return;
        if (e && e.name === 'AbortError') return;
        if (e.definitive) { self._fail(e); return; }
        if (e.code === 'forbidden' || e.code === 'unauthorized') {
          // about this plan and these credentials, not the transport: tell the plan, retry slowly
          e.planId = entry.cursor.id;
          self._callHandlers(entry, 'error', [e]);
          self.emit('error', e);
          next(self.options.backoffMaxMs);
          return;
        }
        // A refused connection says "server down", not "long-poll broken": only HTTP errors and
        // requests cut after being held count towards falling back to plain poll.
        e.countsAgainstMode = !!e.status || now() - started > 5000;
        var delay = self._httpFailed(mode, e);
        next(delay);
      });
    }
    step();
  };

  var HTTP_MODES = ['sse', 'longpoll', 'poll'];

  /** The first HTTP transport listed in options.transports after `after` (null: from the start) that this environment can run. */
  Client.prototype._httpModeAfter = function (after) {
    var t = this.options.transports;
    var from = after ? t.indexOf(after) + 1 : 0;
    if (after && from === 0) return null;
    for (var i = from; i < t.length; i++) {
      if (HTTP_MODES.indexOf(t[i]) >= 0 && (t[i] !== 'sse' || this._canStream())) return t[i];
    }
    return null;
  };

  /** Whether fetch can read a response as a stream here (the SSE transport needs it). */
  Client.prototype._canStream = function () {
    return !!(this.options.fetch || typeof fetch !== 'undefined') && typeof TextDecoder !== 'undefined' &&
      typeof AbortController !== 'undefined';
  };

  /**
   * One plan's Server-Sent Events stream, GET /api/plans/{plan}/stream (PROTOCOL.md 5.3), read with
   * fetch rather than EventSource: fetch sends the token as `Authorization: Bearer` (never in the
   * URL), sees the HTTP status (a 401 gets a fresh token from getToken, like long-poll) and sees the
   * `: ping` comments that prove an idle stream alive, which EventSource hides. Every (re)open
   * resumes from the plan's cursor (?since=&epoch=), so a stream cut, a gateway restart or a switch
   * of transport neither repeats nor skips an event. A stream with no `subscribed` within
   * connectTimeoutMs (e.g. a proxy that buffers it), or later silent for 2 x sseHeartbeatMs, is
   * abandoned and reopened; fallbackAfter streams that never started (or an endpoint that is not
   * there) move the client to the next transport. Ends when the HTTP generation changes or the plan
   * is unsubscribed (which aborts the stream at once).
   */
  Client.prototype._sseLoop = function (entry, gen) {
    var self = this;
    var o = this.options;
    var base = this._baseUrl() + '/api/plans/' + encodeURIComponent(entry.cursor.id) + '/stream';
    var live = function () { return gen === self._httpGen && !entry.stopped && !self._closed; };
    var current = null;
    entry.sseReopen = function () {
      if (current) { current.reopen = true; current.ac.abort(); }
    };
    function open() {
      if (!live() || current) return;
      var c = entry.cursor;
      c.awaitingSnapshot = false; c.held = []; // per-stream state: this stream announces its own
      var url = base + (c.hasState ? '?since=' + c.seq + (c.epoch !== null ? '&epoch=' + encodeURIComponent(c.epoch) : '') : '');
      url += eventsQuery(entry, url.indexOf('?') < 0 ? '?' : '&');
      var ac = new AbortController();
      var parent = self._httpAbort;
      var onParent = function () { ac.abort(); };
      if (parent) parent.signal.addEventListener('abort', onParent);
      var stream = current = { ac: ac, responded: false, subscribed: false, reason: null, reopen: false, after: null, timer: null };
      entry.sseAbort = ac;
      function arm(ms, why) {
        clearTimeout(stream.timer);
        stream.timer = setTimeout(function () { stream.reason = why; ac.abort(); }, ms);
      }
      arm(o.connectTimeoutMs, 'no_subscribed');
      self._fetch(url, { headers: { Accept: 'text/event-stream' }, signal: ac.signal }).then(function (res) {
        if (current !== stream || !live()) { ac.abort(); return null; }
        var type = res.headers.get('Content-Type') || '';
        if (!res.ok) {
          if ((res.status === 404 || res.status === 405 || res.status === 501) && !/json/.test(type)) {
            throw err('no_sse', 'event stream endpoint unavailable (HTTP ' + res.status + ')', res.status);
          }
          throw err(res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'http_' + res.status,
            'HTTP ' + res.status + ' from ' + base, res.status);
        }
        if (!/text\/event-stream/.test(type) || !res.body || !res.body.getReader) {
          throw err('no_sse', 'not an event stream (' + (type || 'no Content-Type') + ')', res.status);
        }
        stream.responded = true;
        return readEvents(res.body.getReader(), function () {
          if (stream.subscribed) arm(2 * o.sseHeartbeatMs, 'silent'); // any byte, `: ping` included
        }, function (name, data) {
          var msg;
          try { msg = JSON.parse(data); } catch (e) { self.emit('error', err('bad_frame', 'unparseable SSE data')); return; }
          switch (name) {
            case 'subscribed':
              stream.subscribed = true;
              arm(2 * o.sseHeartbeatMs, 'silent');
              self._httpOk(null);
              self._onSubscribed(msg, 'sse');
              break;
            case 'snapshot': self._onSnapshot(msg.plan_id, msg.state, 'sse', self._announced[msg.plan_id]); break;
            case 'skip': self._onSkip(msg, 'sse'); break;
            case 'reconnect': stream.after = Math.max(0, Number(msg.after_ms) || 0); break; // draining; the stream ends
            case 'error':
              if (msg.code === 'unauthorized' && self._usesGetToken()) {
                // the token this stream was opened with expired (PROTOCOL.md §5.3): routine with
                // getToken, not an app error; reopen at once from the cursor with the newest token
                stream.reopen = true;
                break;
              }
              stream.reason = 'server_error'; self._onServerError(msg); break; // the stream ends
            default: if (msg.type === 'event') self._onEvent(msg, 'sse'); else self.emit('message', msg);
          }
        }, function () { return current === stream && live(); });
      }).then(function () { ended(null); }, function (e) { ended(e); });

      function ended(e) {
        clearTimeout(stream.timer);
        if (parent) parent.signal.removeEventListener('abort', onParent);
        if (current !== stream) return;
        current = null;
        if (entry.sseAbort === ac) entry.sseAbort = null;
        if (!live()) return;
        if (stream.reopen) { open(); return; }
        if (e && e.definitive) { self._fail(e); return; }
        if (e && (e.code === 'forbidden' || e.code === 'unauthorized')) {
          // about this plan and these credentials, not the transport: tell the plan, retry slowly
          e.planId = entry.cursor.id;
          self._callHandlers(entry, 'error', [e]);
          self.emit('error', e);
          setTimeout(open, o.backoffMaxMs);
          return;
        }
        if (stream.after !== null) { setTimeout(open, stream.after + fullJitter(o.backoffInitialMs, o.backoffInitialMs, 0)); return; }
        var f = e && e.name !== 'AbortError' ? e
          : err(stream.reason || 'stream_ended', stream.reason === 'silent' ? 'the event stream went silent'
            : stream.reason === 'no_subscribed' ? 'the event stream sent nothing in time' : 'the event stream ended');
        // Counts towards leaving SSE: a stream that never started although something answered (an
        // HTTP error, a 200 that ends or stalls before `subscribed`: a buffering proxy) or nothing
        // answered in time. A refused connection (gateway down) or a cut live stream does not.
        f.countsAgainstMode = !stream.subscribed &&
          (stream.responded || !!f.status || f.code === 'no_subscribed' || f.code === 'no_sse');
        setTimeout(open, self._httpFailed('sse', f));
      }
    }
    open();
  };

  /** Calls fn, ignoring what it throws and the rejection of the promise it returns. */
  function quietly(fn) {
    try { var p = fn(); if (p && typeof p.catch === 'function') p.catch(function () { /* ignored */ }); } catch (e) { /* ignored */ }
  }

  /**
   * Reads a text/event-stream (the WHATWG format, lines ended by LF or CRLF): calls onData for every
   * chunk and onEvent(name, data) for every event with data; comments only count as data received.
   * Resolves when the stream ends (or keepGoing() turns false), rejects when reading fails.
   */
  function readEvents(reader, onData, onEvent, keepGoing) {
    var decoder = new TextDecoder();
    var buf = '';
    var name = ''; var data = []; var hasData = false;
    function line(l) {
      if (l.charAt(l.length - 1) === '\r') l = l.slice(0, -1);
      if (l === '') {
        if (hasData) onEvent(name || 'message', data.join('\n'));
        name = ''; data = []; hasData = false;
        return;
      }
      if (l.charAt(0) === ':') return; // a comment (`: ping`)
      var i = l.indexOf(':');
      var field = i < 0 ? l : l.slice(0, i);
      var value = i < 0 ? '' : l.slice(i + 1);
      if (value.charAt(0) === ' ') value = value.slice(1);
      if (field === 'event') name = value;
      else if (field === 'data') { data.push(value); hasData = true; }
      // id: the frames carry their own epoch/seq; retry: the client's backoff decides
    }
    return new Promise(function (resolve, reject) {
      // not a chain of returned promises, which would grow with every chunk of a long stream
      function pump() {
        reader.read().then(function (r) {
          if (r.done) { resolve(); return; }
          if (!keepGoing()) { quietly(function () { return reader.cancel(); }); resolve(); return; }
          onData();
          buf += decoder.decode(r.value, { stream: true });
          var lines = buf.split('\n');
          buf = lines.pop();
          for (var i = 0; i < lines.length && keepGoing(); i++) line(lines[i]);
          pump();
        }).catch(reject);
      }
      pump();
    });
  }

  Client.prototype._httpOk = function (latency) {
    if (this._httpFailures > 0 && this._timers.probe) {
      // The gateway was unreachable and is back: the WebSocket failures were probably that too.
      this._clearTimer('probe');
      this._probeAttempt = 0;
      var self = this;
      this._setTimer('probe', Math.floor(Math.random() * this.options.backoffInitialMs),
        function () { self._openSocket(); });
    }
    this._httpFailures = 0;
    this._modeFailures = 0;
    this._authRejections = 0;
    var extra = { transport: this._mode, retryInMs: null, attempt: 0 };
    if (latency !== null) extra.latencyMs = Math.round(latency);
    if (this.state.status !== 'degraded' || this.state.transport !== this._mode ||
        (latency !== null && extra.latencyMs !== this.state.latencyMs)) {
      this._setStatus('degraded', extra);
    }
  };

  /** @returns {number} the delay before this loop's next try (the mode may change meanwhile). */
  Client.prototype._httpFailed = function (mode, e) {
    this._httpFailures++;
    this._log(mode, 'failed:', e && e.message);
    if (e.countsAgainstMode) this._modeFailures++;
    var next = mode === this._mode && mode !== 'poll' ? this._httpModeAfter(mode) : null;
    if (next && (e.code === 'no_' + mode || this._modeFailures >= this.options.fallbackAfter)) {
      this._degrade(next);
      return 0;
    }
    var delay = fullJitter(this.options.backoffInitialMs, this.options.backoffMaxMs, this._httpFailures);
    this._setStatus('reconnecting', { transport: this._mode, attempt: this._httpFailures, retryInMs: delay });
    return delay;
  };


  // ---------------------------------------------------------------- tokens (getToken mode)
  //
  // The client keeps one current token. It asks getToken for a new one when it has none, when the
  // gateway refused it (close 4001/4003, HTTP 401) and on a timer before its `exp` (renewDelay);
  // a renewal goes to the live WebSocket as `refresh` (PROTOCOL.md 6.4) and is presented by every
  // later connect and HTTP request. Failed renewals (getToken rejecting, or not settling within
  // getTokenTimeoutMs) are retried with jittered backoff (never sooner than 1 s); getToken resolving to no token, or rejecting with err.code === 'unauthorized', is
  // final. Progress is reported as 'token' events ({status: 'fetched' | 'refreshed' | 'retrying' |
  // 'failed', ...}); the token itself is never logged, emitted or put in an error message.

  Client.prototype._usesGetToken = function () { return typeof this.options.getToken === 'function'; };

  /** Whether a connect or request must wait for getToken: no token, a refused one, or one about to expire. */
  Client.prototype._needsToken = function () {
    if (!this._usesGetToken()) return false;
    var t = this._tok;
    return !t || t.stale || (t.exp !== null && t.exp - Date.now() < 1000);
  };

  /** One getToken call at a time, shared by every caller. Rejects with err.definitive when final. */
  Client.prototype._newToken = function (reason) {
    if (this._tokPromise) return this._tokPromise;
    var t = this._tok;
    if (reason === 'connect' && t) reason = t.stale ? 'rejected' : 'expired';
    var self = this;
    var limit = this.options.getTokenTimeoutMs;
    var timer = null;
    var call = new Promise(function (resolve) { resolve(self.options.getToken()); });
    var timeout = !(limit > 0) ? null : new Promise(function (resolve, reject) {
      timer = setTimeout(function () {
        reject(err('token_timeout', 'getToken did not settle within ' + limit + ' ms'));
      }, limit);
    });
    var p = (timeout ? Promise.race([call, timeout]) : call).then(function (value) {
      clearTimeout(timer);
      if (typeof value !== 'string' || !value) {
        throw Object.assign(err('unauthorized', 'getToken gave no token'), { definitive: true });
      }
      self._tokPromise = null;
      self._setToken(value, reason);
      return value;
    }).catch(function (e) {
      clearTimeout(timer);
      self._tokPromise = null;
      if (e && e.definitive) throw e;
      var final = !!(e && e.code === 'unauthorized');
      var f = err(final ? 'unauthorized' : 'token_unavailable', 'getToken failed: ' + (e && e.message || e));
      f.definitive = final;
      throw f;
    });
    this._tokPromise = p;
    return p;
  };

  Client.prototype._setToken = function (value, reason) {
    var exp = jwtExpiryMs(value);
    this._tok = { value: value, exp: exp, stale: false };
    this._tokGen++;
    this.emit('token', { status: 'fetched', reason: reason, expiresAt: exp });
    this._armRenewal(exp);
  };

  /** Schedules the next renewal for a token expiring at exp (ms); none for a token without exp. */
  Client.prototype._armRenewal = function (exp) {
    this._clearTimer('renew');
    if (this._closed || exp === null || exp === undefined) return;
    var remaining = exp - Date.now();
    var self = this;
    if (remaining <= 0) { // expired on arrival (or a skewed clock): back off instead of spinning
      this._tokenRetryDelay(err('token_expired', 'getToken gave an expired token'), true);
      return;
    }
    this._setTimer('renew', renewDelay(remaining, this.options.tokenMinLeadMs), function () { self._renew(); });
  };

  Client.prototype._renew = function () {
    if (this._closed) return;
    var self = this;
    this._newToken('renew').then(function (token) {
      if (self._closed) return;
      if (self._mode === 'websocket' && self._isOpen() && self.state.status === 'connected') self._sendRefresh(token);
      // otherwise the next connect or request presents it
    }, function (e) {
      if (self._closed) return;
      if (e.definitive) self._fail(e); else self._tokenRetryDelay(e, true);
    });
  };

  Client.prototype._sendRefresh = function (token) {
    this._refreshId = 'r-' + newId();
    this._sendNow({ type: 'refresh', id: this._refreshId, token: token });
  };

  Client.prototype._onRefreshed = function (msg) {
    if (!msg.id || msg.id !== this._refreshId) return;
    this._refreshId = null;
    this._tokFailures = 0;
    this._authRejections = 0;
    var exp = typeof msg.expires_at_ms === 'number' ? msg.expires_at_ms : this._tok && this._tok.exp;
    if (this._tok && exp) this._tok.exp = exp;
    this._armRenewal(exp);
    this.emit('token', { status: 'refreshed', expiresAt: exp });
  };

  /** `error` answering our `refresh`: the current token stays in force; try another one later. */
  Client.prototype._onRefreshError = function (msg) {
    if (!this._refreshId || msg.ref !== this._refreshId) return false;
    this._refreshId = null;
    this._tokenRetryDelay(err(msg.code || 'unauthorized', msg.message || 'refresh rejected'), true);
    return true;
  };

  /** The gateway refused this token: the next connect or request asks getToken (once per token). */
  Client.prototype._tokenRejected = function (token) {
    if (this._tok && this._tok.value === token) this._tok.stale = true;
  };

  /**
   * Counts a failed renewal and reports it; with schedule, arms the next renewal attempt.
   * @returns {number} the backoff delay (ms): full jitter, at least 1 s, before exp while time remains
   */
  Client.prototype._tokenRetryDelay = function (e, schedule) {
    this._tokFailures++;
    var o = this.options;
    var delay = fullJitter(o.backoffInitialMs * 2, o.backoffMaxMs, this._tokFailures);
    var remaining = this._tok && this._tok.exp ? this._tok.exp - Date.now() : 0;
    if (remaining > 0) delay = Math.min(delay, remaining / 2);
    delay = Math.max(1000, Math.round(delay));
    this._log('token renewal failed:', e.code, '- retry in', delay, 'ms');
    this.emit('token', { status: 'retrying', attempt: this._tokFailures, retryInMs: delay,
      error: { code: e.code, message: e.message } });
    var self = this;
    if (schedule) this._setTimer('renew', delay, function () { self._renew(); });
    return delay;
  };

  /** The `exp` of a JWT in ms since the epoch, or null (not a JWT, no numeric exp). Never verifies. */
  function jwtExpiryMs(token) {
    try {
      var b64 = String(token).split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      while (b64.length % 4) b64 += '=';
      var json = typeof atob === 'function' ? atob(b64) : Buffer.from(b64, 'base64').toString('latin1');
      var exp = JSON.parse(json).exp;
      return typeof exp === 'number' && isFinite(exp) ? exp * 1000 : null;
    } catch (e) {
      return null;
    }
  }

  /** Renewal delay for a token with remainingMs left: 80 % of it, at least leadMs before exp, never before half. */
  function renewDelay(remainingMs, leadMs) {
    return Math.round(Math.max(Math.min(remainingMs * 0.8, remainingMs - leadMs), remainingMs / 2));
  }

  // ---------------------------------------------------------------- plumbing

  Client.prototype._setStatus = function (status, extra) {
    var s = this.state;
    for (var k in extra) s[k] = extra[k];
    s.status = status;
    if (status !== 'connected' && s.transport === 'websocket') s.latencyMs = null;
    this.emit('status', s);
  };

  Client.prototype._setTimer = function (name, ms, fn) {
    this._clearTimer(name);
    var self = this;
    this._timers[name] = setTimeout(function () { delete self._timers[name]; fn(); }, ms);
  };

  Client.prototype._clearTimer = function (name) {
    if (this._timers[name]) { clearTimeout(this._timers[name]); delete this._timers[name]; }
  };

  Client.prototype._installBrowserHooks = function () {
    if (this._hooked || typeof window === 'undefined' || !window.addEventListener) return;
    this._hooked = true;
    var self = this;
    window.addEventListener('online', function () { if (self.state.status !== 'connected') self.retry(); });
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'visible' && self.state.status === 'reconnecting') self.retry();
      });
    }
  };

  Client.prototype._log = function () {
    if (this.options.debug && typeof console !== 'undefined') {
      console.log.apply(console, ['[stepcast]'].concat(Array.prototype.slice.call(arguments)));
    }
  };

  function err(code, message, status) {
    var e = new Error(message);
    e.code = code;
    if (status) e.status = status;
    return e;
  }

  function now() {
    return typeof performance !== 'undefined' && performance.now ? performance.now() : Date.now();
  }

  /** Creates a client and connects it. */
  function connect(options) { return new Client(options).connect(); }

  return { Client: Client, connect: connect, PlanCursor: PlanCursor, fullJitter: fullJitter,
    jwtExpiryMs: jwtExpiryMs, renewDelay: renewDelay,
    PROTOCOL: PROTOCOL, version: '0.1.0' };
});
