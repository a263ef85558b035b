/*
 * Stepcast dashboard: watches plans through stepcast.js and renders their steps live.
 *
 * Address parameters: ?plans=a,b (plans to watch), ?token=JWT, ?transports=sse,longpoll,poll (force a
 * transport order), ?probe=ms (first WebSocket probe delay while degraded), ?debug=1.
 * Without ?plans the dashboard opens on the home view, the live list of the plans the token may see
 * (running first, then the most recent; filtered by a plan id prefix; a click opens the plan), and
 * re-opens what it watched last time (localStorage). With ?plans the list is behind "All plans".
 *
 * For tests, window.stepcastDashboard exposes the client and, per plan, the log of what the client
 * delivered ({kind, epoch, seq}), so a test can prove every event was applied once.
 */
(function () {
  'use strict';

  var PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
  var OUTPUT_LIMIT = 16384; // characters of output kept per step on the page
  var TERMINAL = { succeeded: 1, failed: 1, skipped: 1, cancelled: 1 };
  var FINISHED = { succeeded: 1, failed: 1 };
  var ICONS = { pending: '○', running: '◐', succeeded: '✓', failed: '✗', skipped: '↷', cancelled: '⊘' };
  var STORE_KEY = 'stepcast.dashboard.plans';

  var params = new URLSearchParams(location.search);
  var $ = function (id) { return document.getElementById(id); };

  var options = { debug: params.has('debug') };
  if (params.get('token')) options.token = params.get('token');
  if (params.get('transports')) options.transports = params.get('transports').split(',');
  if (Number(params.get('probe')) > 0) options.probeInitialMs = Number(params.get('probe'));
  var client = new Stepcast.Client(options);

  /** planId → PlanView */
  var views = new Map();
  window.stepcastDashboard = { client: client, views: views, log: {} };
  $('client-version').textContent = 'stepcast.js ' + Stepcast.version;

  // ------------------------------------------------------------------ plan state (folding events)

  function emptyState(planId) {
    return { plan_id: planId, name: null, overall_status: 'pending', steps: [], error: null,
      summary: null, epoch: null, seq: 0, last_update: null };
  }

  function normalize(planId, s) {
    var st = emptyState(planId);
    if (!s) return st;
    for (var k in s) st[k] = s[k];
    st.steps = (s.steps || []).map(function (x, i) {
      return { index: x.index != null ? x.index : i, name: x.name, status: x.status || 'pending',
        output_tail: x.output_tail || '', error: x.error || null,
        started_at: x.started_at || null, finished_at: x.finished_at || null };
    });
    return st;
  }

  function stepAt(st, index, name) {
    while (st.steps.length <= index) {
      st.steps.push({ index: st.steps.length, name: null, status: 'pending', output_tail: '',
        error: null, started_at: null, finished_at: null });
    }
    var s = st.steps[index];
    if (name) s.name = name;
    return s;
  }

  function tail(text) {
    return text.length > OUTPUT_LIMIT ? text.slice(text.length - OUTPUT_LIMIT) : text;
  }

  /** Folds one event into the state, the way the gateway's snapshot does. */
  function applyEvent(st, f) {
    var d = f.data || {};
    st.epoch = f.epoch; st.seq = f.seq; st.last_update = f.ts;
    switch (f.event) {
      case 'plan_started':
        st.name = d.name || st.name;
        st.steps = [];
        (d.steps || []).forEach(function (n, i) { stepAt(st, i, typeof n === 'string' ? n : n && n.name); });
        st.overall_status = 'running'; st.error = null; st.summary = null;
        break;
      case 'step_status': {
        var s = stepAt(st, d.step_index, d.step_name);
        s.status = d.status;
        if (d.status === 'running') { s.started_at = s.started_at || f.ts; s.finished_at = null; }
        if (TERMINAL[d.status]) s.finished_at = f.ts;
        s.error = d.error || null;
        if (st.overall_status === 'pending') st.overall_status = 'running';
        break;
      }
      case 'step_output': {
        var o = stepAt(st, d.step_index);
        o.output_tail = tail(o.output_tail + (d.chunk || ''));
        break;
      }
      case 'plan_completed': st.overall_status = 'succeeded'; st.summary = d.summary; break;
      case 'plan_failed': st.overall_status = 'failed'; st.error = d.error || null; break;
      case 'plan_cancelled': st.overall_status = 'cancelled'; st.error = d.reason || null; break;
      default: break; // custom events are not folded
    }
  }

  // ------------------------------------------------------------------ rendering

  function PlanView(planId) {
    this.id = planId;
    this.state = emptyState(planId);
    this.loaded = false;
    this.root = $('plan-template').content.firstElementChild.cloneNode(true);
    this.root.dataset.plan = planId;
    this.q = function (sel) { return this.root.querySelector(sel); };
    this.q('.plan-id').textContent = planId;
    this.stepNodes = [];
    this.userToggled = {};
    var self = this;
    this.q('.close').addEventListener('click', function () { unwatch(planId); });
    this.log = window.stepcastDashboard.log[planId] = [];
    this.sub = client.subscribe(planId, {
      snapshot: function (state, info) {
        self.log.push({ kind: 'snapshot', epoch: info.epoch, seq: info.seq, reset: info.reset, via: info.via });
        self.state = normalize(planId, state);
        self.loaded = true;
        self.error = null;
        self.render(true);
      },
      event: function (frame, info) {
        self.log.push({ kind: 'event', epoch: frame.epoch, seq: frame.seq, event: frame.event, via: info && info.via });
        applyEvent(self.state, frame);
        self.render(false, frame);
      },
      error: function (e) { self.error = e; self.render(false); }
    });
    this.render(true);
  }

  PlanView.prototype.render = function (full, frame) {
    var st = this.state;
    var root = this.root;
    root.dataset.status = st.overall_status;
    root.dataset.seq = st.seq;
    this.q('.plan-name').textContent = st.name || (this.loaded ? this.id : 'Loading…');
    var badge = this.q('.overall');
    badge.textContent = st.overall_status;
    badge.className = 'badge overall status-' + st.overall_status;

    // steps: only the touched row on a step event, every row (updated in place) otherwise
    var touched = frame && frame.data && typeof frame.data.step_index === 'number' ? frame.data.step_index : -1;
    if (!full && touched >= 0 && st.steps.length === this.stepNodes.length) {
      this.renderStep(touched, false, frame.event === 'step_output' ? frame.data.chunk : null);
    } else {
      while (this.stepNodes.length > st.steps.length) this.stepNodes.pop().remove();
      for (var i = 0; i < st.steps.length; i++) this.renderStep(i, !this.stepNodes[i]);
    }

    // progress: steps that ran to an end (succeeded or failed); skipped and cancelled ones never ran
    var done = st.steps.filter(function (s) { return FINISHED[s.status]; }).length;
    var anyFailed = st.steps.some(function (s) { return s.status === 'failed'; });
    var progress = this.q('.progress');
    progress.setAttribute('aria-valuenow', String(done));
    progress.setAttribute('aria-valuemax', String(st.steps.length));
    progress.setAttribute('aria-label', done + ' of ' + st.steps.length + ' steps finished');
    progress.title = done + ' of ' + st.steps.length + ' steps finished';
    var bar = this.q('.bar');
    bar.classList.toggle('failed', anyFailed);
    bar.style.width = st.steps.length ? (100 * done / st.steps.length) + '%' : '0';
    this.q('.activity').textContent = activity(st, this.loaded);
    var perr = this.q('.plan-error');
    var msg = st.error || (this.error ? this.error.code + ': ' + this.error.message : null);
    if (this.error && this.error.code === 'unauthorized' && !params.get('token')) {
      msg = 'unauthorized: this gateway needs a token — add ?token=<JWT> to the address';
    }
    perr.hidden = !msg;
    perr.textContent = msg || '';
    this.q('.plan-meta').textContent = st.epoch
      ? 'seq ' + st.seq + ' · epoch ' + st.epoch + (st.last_update ? ' · ' + clock(st.last_update) : '')
      : (this.loaded ? 'no events yet' : '');
  };

  PlanView.prototype.renderStep = function (i, create, appended) {
    var s = this.state.steps[i];
    if (!s) return;
    var li = this.stepNodes[i];
    if (!li || create) {
      li = $('step-template').content.firstElementChild.cloneNode(true);
      li.dataset.index = i;
      var self = this;
      li.querySelector('summary').addEventListener('click', function () { self.userToggled[i] = true; });
      if (this.stepNodes[i]) this.stepNodes[i].replaceWith(li); else this.q('.steps').appendChild(li);
      this.stepNodes[i] = li;
      appended = null;
    }
    li.dataset.status = s.status;
    li.querySelector('.icon').textContent = ICONS[s.status] || '•';
    li.querySelector('.step-name').textContent = (i + 1) + '. ' + (s.name || 'step ' + (i + 1));
    var badge = li.querySelector('.step-status');
    badge.textContent = s.status;
    badge.className = 'badge step-status status-' + s.status;
    li.querySelector('.duration').textContent = duration(s);
    var e = li.querySelector('.step-error');
    e.hidden = !s.error;
    e.textContent = s.error || '';

    var box = li.querySelector('.output-box');
    var pre = li.querySelector('.output');
    box.hidden = !s.output_tail;
    if (!this.userToggled[i]) box.open = s.status === 'running' || s.status === 'failed';
    var atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 24;
    if (appended != null && pre.textContent.length + appended.length <= OUTPUT_LIMIT) {
      pre.appendChild(document.createTextNode(appended));
    } else if (pre.textContent !== s.output_tail) {
      pre.textContent = s.output_tail;
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight; // auto-scroll unless the reader scrolled up
  };

  function activity(st, loaded) {
    if (!loaded) return 'Loading…';
    var running = st.steps.filter(function (s) { return s.status === 'running'; });
    switch (st.overall_status) {
      case 'succeeded': return 'Completed' + total(st);
      case 'failed': return 'Failed' + total(st);
      case 'cancelled': return 'Cancelled' + total(st);
    }
    if (running.length) {
      return running.map(function (s) { return 'Step ' + (s.index + 1) + ' running… (' + (s.name || '') + ')'; }).join(' · ');
    }
    if (!st.steps.length) return 'Waiting for the plan to start…';
    var next = st.steps.filter(function (s) { return s.status === 'pending'; })[0];
    return next ? 'Waiting for step ' + (next.index + 1) + '…' : 'Running…';
  }

  function total(st) {
    var starts = st.steps.map(function (s) { return s.started_at; }).filter(Boolean).sort();
    var ends = st.steps.map(function (s) { return s.finished_at; }).filter(Boolean).sort();
    if (!starts.length || !ends.length) return '';
    return ' in ' + fmtMs(Date.parse(ends[ends.length - 1]) - Date.parse(starts[0]));
  }

  function duration(s) {
    if (!s.started_at) return '';
    var end = s.finished_at ? Date.parse(s.finished_at) : Date.now();
    return fmtMs(end - Date.parse(s.started_at));
  }

  function fmtMs(ms) {
    if (!(ms >= 0)) return '';
    if (ms < 1000) return ms + ' ms';
    var sec = ms / 1000;
    if (sec < 60) return sec.toFixed(1) + ' s';
    var m = Math.floor(sec / 60);
    return m + 'm ' + Math.round(sec - m * 60) + 's';
  }

  function clock(iso) {
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleTimeString();
  }

  // running steps' durations tick
  setInterval(function () {
    views.forEach(function (v) {
      v.state.steps.forEach(function (s, i) {
        if (s.status === 'running' && v.stepNodes[i]) v.stepNodes[i].querySelector('.duration').textContent = duration(s);
      });
    });
  }, 1000);

  // ------------------------------------------------------------------ connection indicator

  var retryTimer = null;
  function renderStatus(s) {
    var conn = $('conn');
    conn.dataset.status = s.status;
    conn.dataset.transport = s.transport || '';
    var names = { websocket: 'WebSocket', sse: 'SSE', longpoll: 'long-poll', poll: 'polling' };
    var latency = s.latencyMs != null ? ' · round trip ' + s.latencyMs + ' ms' : '';
    var text, detail = '';
    clearInterval(retryTimer);
    switch (s.status) {
      case 'connected': text = 'Live'; detail = names.websocket + latency; break;
      case 'connecting': text = 'Connecting…'; break;
      case 'degraded': text = 'Degraded'; detail = names[s.transport] + latency; break;
      case 'reconnecting': {
        var at = Date.now() + (s.retryInMs || 0);
        var tick = function () {
          var left = Math.max(0, Math.ceil((at - Date.now()) / 1000));
          $('conn-text').textContent = left > 0 ? 'Reconnecting in ' + left + ' s' : 'Reconnecting…';
        };
        text = null; tick(); retryTimer = setInterval(tick, 500);
        detail = (names[s.transport] || '') + (s.attempt ? ' · attempt ' + s.attempt : '');
        break;
      }
      default: text = 'Disconnected'; detail = s.error ? s.error.message : '';
    }
    if (text !== null) $('conn-text').textContent = text;
    $('conn-detail').textContent = detail;
    $('retry').hidden = s.status === 'connected' || s.status === 'connecting';
  }
  client.on('status', renderStatus);
  $('retry').addEventListener('click', function () { client.retry(); });

  // ------------------------------------------------------------------ watching plans

  function watch(planId) {
    if (!PLAN_ID.test(planId) || views.has(planId)) return;
    var v = new PlanView(planId);
    views.set(planId, v);
    $('plans').appendChild(v.root);
    $('empty').hidden = true;
    remember();
  }

  function unwatch(planId) {
    var v = views.get(planId);
    if (!v) return;
    v.sub.unsubscribe();
    v.root.remove();
    views.delete(planId);
    $('empty').hidden = views.size > 0;
    remember();
  }

  function remember() {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(Array.from(views.keys()))); } catch (e) { /* private mode */ }
  }

  function remembered() {
    try { return JSON.parse(localStorage.getItem(STORE_KEY) || '[]'); } catch (e) { return []; }
  }

  $('open-plan').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var input = $('plan-id');
    var id = input.value.trim();
    if (!PLAN_ID.test(id)) { input.setCustomValidity('letters, digits and . _ : - only'); input.reportValidity(); return; }
    input.setCustomValidity('');
    watch(id);
    input.value = '';
  });
  $('plan-id').addEventListener('input', function () { this.setCustomValidity(''); });

  /**
   * Asks the gateway what it is: GET /api/info ({demo: {enabled, plans}, auth: {enabled}}) when it
   * has that endpoint; otherwise a demo gateway is recognised by its simulated plans demo-1, demo-2, …
   * answering the poll endpoint without a token.
   */
  function discover() {
    var json = { headers: { Accept: 'application/json' }, cache: 'no-store' };
    return fetch('/api/info', json)
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (info) {
        if (info) return info;
        var plans = [];
        var probe = function (n) {
          return fetch('/api/plans/demo-' + n, json).then(function (r) {
            if (!r.ok || n > 12) return;
            plans.push('demo-' + n);
            return probe(n + 1);
          }).catch(function () { /* not a demo */ });
        };
        return probe(1).then(function () {
          return plans.length ? { demo: { enabled: true, plans: plans }, auth: { enabled: false } } : {};
        });
      });
  }

  // ------------------------------------------------------------------ home: the live plan list

  var RANK = { running: 0, pending: 1 };
  var summaries = new Map(); // planId → summary (live plan index)
  var homeWatch = null;
  window.stepcastDashboard.summaries = summaries;

  /** Watches the plan index under a prefix: a first page, then live updates and removals. */
  function startHome(prefix) {
    if (homeWatch) homeWatch.unwatch();
    summaries.clear();
    renderHome();
    homeWatch = client.watchPlans({
      prefix: prefix, limit: 200,
      onPage: function (plans) {
        summaries.clear();
        plans.forEach(function (s) { summaries.set(s.plan_id, s); });
        renderHome();
      },
      onUpdate: function (s) {
        var old = summaries.get(s.plan_id);
        if (old && old.watchers != null && s.watchers == null) s.watchers = old.watchers; // an older gateway
        summaries.set(s.plan_id, s);
        renderHome();
      },
      onWatchers: function (counts) { // live watcher counts of listed plans
        var changed = false;
        Object.keys(counts).forEach(function (planId) {
          var s = summaries.get(planId);
          if (s && s.watchers !== counts[planId]) { s.watchers = counts[planId]; changed = true; }
        });
        if (changed) renderHome();
      },
      onRemove: function (planId) { summaries.delete(planId); renderHome(); }
    });
  }

  /** Running (then pending) plans first, then the most recently updated. */
  function homeOrder(a, b) {
    var ra = a.overall_status in RANK ? RANK[a.overall_status] : 2;
    var rb = b.overall_status in RANK ? RANK[b.overall_status] : 2;
    if (ra !== rb) return ra - rb;
    return (b.last_update || '') < (a.last_update || '') ? -1 : (b.last_update || '') > (a.last_update || '') ? 1 : 0;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function renderHome() {
    var list = $('plan-list');
    var items = Array.from(summaries.values()).sort(homeOrder);
    list.textContent = '';
    items.forEach(function (s) {
      var steps = s.steps || {};
      var done = (steps.succeeded || 0) + (steps.failed || 0) + (steps.skipped || 0) + (steps.cancelled || 0);
      var li = el('li', 'plan-item');
      li.dataset.plan = s.plan_id;
      li.dataset.status = s.overall_status || 'pending';
      var b = el('button', 'plan-link');
      b.type = 'button';
      var title = el('span', 'pi-title');
      title.appendChild(el('span', 'pi-name', s.name || s.plan_id));
      title.appendChild(el('span', 'pi-id', s.plan_id));
      b.appendChild(title);
      b.appendChild(el('span', 'badge status-' + li.dataset.status, li.dataset.status));
      b.appendChild(el('span', 'pi-progress', done + '/' + (steps.total || 0) + ' steps'));
      b.appendChild(el('span', 'pi-watchers', s.watchers != null ? s.watchers + ' watching' : ''));
      b.addEventListener('click', function () { open(s.plan_id); });
      li.appendChild(b);
      list.appendChild(li);
    });
    $('home-empty').hidden = items.length > 0;
    $('home-count').textContent = items.length ? items.length + (items.length === 1 ? ' plan' : ' plans') : '';
  }

  /** Opens a plan from the list: its card (watching it), scrolled into view. */
  function open(planId) {
    watch(planId);
    var v = views.get(planId);
    if (v && v.root.scrollIntoView) v.root.scrollIntoView({ block: 'nearest' });
  }

  var prefixTimer = null;
  $('prefix').addEventListener('input', function () {
    var input = this;
    clearTimeout(prefixTimer);
    prefixTimer = setTimeout(function () {
      var p = input.value.trim();
      if (p && !PLAN_ID.test(p)) return; // the pattern attribute shows it as invalid
      startHome(p);
    }, 250);
  });

  function showHome() {
    $('home').hidden = false;
    $('show-home').hidden = true;
    if (!homeWatch) startHome($('prefix').value.trim());
  }
  $('show-home').addEventListener('click', showHome);

  client.connect();
  var fromUrl = (params.get('plans') || '').split(',').map(function (s) { return s.trim(); }).filter(Boolean);
  fromUrl.forEach(watch);
  if (fromUrl.length) {
    $('home').hidden = true; // a deep link opens its plans; the list is one click away
    $('show-home').hidden = false;
  } else {
    showHome();
  }
  discover().then(function (info) {
    var demo = info.demo || {};
    if (demo.enabled || info.auth_enabled === false || (info.auth && info.auth.enabled === false)) {
      var b = $('banner');
      b.textContent = demo.enabled ? 'Demo mode: authentication is disabled — do not expose this gateway.'
        : 'Authentication is disabled on this gateway.';
      b.hidden = false;
    }
    if (!fromUrl.length) remembered().forEach(watch); // the home list shows every plan, demo ones included
  });
})();
