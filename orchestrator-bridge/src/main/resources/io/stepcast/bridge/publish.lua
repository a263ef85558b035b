-- Stepcast publish script: appends events to a plan's log, folds them into its snapshot and
-- publishes their frames, atomically. Calling convention, folding rules: PROTOCOL.md §3.
--
-- KEYS: 1 meta, 2 log, 3 state of the plan; standalone Redis also 4..8: the plan index's zset, sum,
--       meta, log, ids (index-lib.lua is prepended; on a Redis Cluster those live in another slot)
-- ARGV: 1 plan_id, 2 channel, 3 event-id key prefix, 4 candidate epoch, 5 log max len,
--       6 log ttl ms, 7 meta ttl ms, 8 event-id ttl ms, 9 output tail bytes,
--       10 durability claim: the run_id of the Redis process on which the caller verified
--          appendonly yes + appendfsync always (or nothing), then 'w' when the caller acknowledges
--          the call only after WAIT confirmed >= 1 replica (or nothing) (see "lost writes" below),
--       11 index channel, 12 candidate index epoch (both '' without index keys),
--       then per event (4 each, from ARGV[13]): event name, event_id ('' = none), ts, data JSON
-- Returns: { epoch, seq_1, duplicate_1, seq_2, duplicate_2, ..., summary } where summary is the plan's
--   new index summary when it changed and the caller must upsert it with index.lua (no index keys
--   given, or the index epoch could not rotate to the candidate), else ''
-- Compatible with Redis 6.2 and 7.x (no shebang flags; reads INFO, so it relies on script effects
-- replication, the default since Redis 5; INFO and TIME only feed the lost-writes check).

local FIRST = 13
local MAX_STEPS = 10000
local meta_key, log_key, state_key = KEYS[1], KEYS[2], KEYS[3]
local plan_id, channel, eid_prefix, cand_epoch = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local log_maxlen, log_ttl, meta_ttl = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local eid_ttl, tail_max = tonumber(ARGV[8]), tonumber(ARGV[9])
local claim = ARGV[10]
local index_keys = nil
if #KEYS == 8 then index_keys = { KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8] } end
local index_channel, index_cand = ARGV[11], ARGV[12]

local function fail(msg)
  return redis.error_reply('ERR stepcast: ' .. msg)
end

local STATUS = { pending = true, running = true, succeeded = true, failed = true, skipped = true, cancelled = true }
local TERMINAL = { succeeded = true, failed = true, skipped = true, cancelled = true }
local CORE = { plan_started = true, step_status = true, step_output = true,
               plan_completed = true, plan_failed = true, plan_cancelled = true }

local function is_str(v) return type(v) == 'string' end
local function opt_str(v) return v == nil or v == null or type(v) == 'string' end
local function is_count(v, min)
  return v ~= nil and v >= min and math.floor(v) == v
end
local function is_index(v)
  return type(v) == 'number' and v >= 0 and v < MAX_STEPS and math.floor(v) == v
end

-- nil when the decoded data of a core event is well-formed, else what is wrong
local function check_core(name, d)
  if name == 'plan_started' then
    if not is_str(d.name) then return 'data.name must be a string' end
    if type(d.steps) ~= 'table' then return 'data.steps must be an array of strings' end
    local n = 0
    for k, v in pairs(d.steps) do
      if type(k) ~= 'number' or not is_str(v) then return 'data.steps must be an array of strings' end
      n = n + 1
    end
    if n > MAX_STEPS then return 'data.steps has more than ' .. MAX_STEPS .. ' steps' end
  elseif name == 'step_status' then
    if not is_index(d.step_index) then return 'data.step_index must be an integer in [0, ' .. MAX_STEPS .. ')' end
    if not STATUS[d.status] then return 'data.status must be pending|running|succeeded|failed|skipped|cancelled' end
    if not opt_str(d.step_name) then return 'data.step_name must be a string' end
    if not opt_str(d.error) then return 'data.error must be a string' end
  elseif name == 'step_output' then
    if not is_index(d.step_index) then return 'data.step_index must be an integer in [0, ' .. MAX_STEPS .. ')' end
    if not is_str(d.chunk) then return 'data.chunk must be a string' end
  elseif name == 'plan_failed' then
    if not is_str(d.error) then return 'data.error must be a string' end
  elseif name == 'plan_cancelled' then
    if not opt_str(d.reason) then return 'data.reason must be a string' end
  end
  return nil
end

-- 1. validate everything before writing anything (a script error does not roll back)
if not plan_id or #plan_id > 128 or not string.match(plan_id, '^[A-Za-z0-9][A-Za-z0-9._:%-]*$') then
  return fail('invalid plan_id')
end
if not cand_epoch or #cand_epoch ~= 12 or not string.match(cand_epoch, '^[a-z0-9]+$') then
  return fail('candidate epoch must be 12 characters [a-z0-9]')
end
if not (is_count(log_maxlen, 1) and is_count(log_ttl, 1) and is_count(meta_ttl, 1)
        and is_count(eid_ttl, 1) and is_count(tail_max, 0)) then
  return fail('ARGV[5..9] must be positive integers (tail bytes >= 0)')
end
local nargs = #ARGV
if nargs < FIRST + 3 or (nargs - FIRST + 1) % 4 ~= 0 then
  return fail('expected 12 + 4*n arguments (n >= 1), got ' .. nargs)
end
if #KEYS ~= 3 and #KEYS ~= 8 then
  return fail('expected 3 keys (plan) or 8 (plan and index), got ' .. #KEYS)
end
if index_keys and (index_channel == '' or not string.match(index_cand, '^[a-z0-9]+$') or #index_cand ~= 12) then
  return fail('with index keys, ARGV[11] must name the index channel and ARGV[12] be 12 characters [a-z0-9]')
end
local claim_run, claim_wait = string.match(claim or '', '^(%x*)(w?)$')
if not claim_run then
  return fail('ARGV[10] must be [run_id][w]')
end

local events = {}
local index_relevant = false -- a plan event or step status: the only events that may change the summary
for i = FIRST, nargs, 4 do
  local n = (i - FIRST) / 4 + 1
  local name, eid, ts, data = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if #name > 64 or not string.match(name, '^[a-z][a-z0-9_.:%-]*$') then
    return fail('event ' .. n .. ': invalid event name')
  end
  if #eid > 128 or (#eid > 0 and not string.match(eid, '^[%w%p]+$')) then
    return fail('event ' .. n .. ': invalid event_id')
  end
  if not string.match(ts, '^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$') then
    return fail('event ' .. n .. ': ts must look like 2026-11-23T17:00:00.123Z')
  end
  if string.sub(data, 1, 1) ~= '{' or string.sub(data, -1) ~= '}' then
    return fail('event ' .. n .. ': data must be a JSON object')
  end
  local decoded = nil
  if CORE[name] then
    local ok, d = pcall(cjson.decode, data)
    if not ok or type(d) ~= 'table' then
      return fail('event ' .. n .. ': data is not a JSON object')
    end
    local problem = check_core(name, d)
    if problem then
      return fail('event ' .. n .. ' (' .. name .. '): ' .. problem)
    end
    decoded = d
    if name ~= 'step_output' then index_relevant = true end
  end
  events[n] = { name = name, eid = eid, ts = ts, data = data, d = decoded }
end

-- 1b. read every event-id key before writing anything: on a Redis Cluster a slot being migrated
-- refuses access to such keys (not in KEYS) with an error, which must come before any write
local seen_eid = {}
for _, ev in ipairs(events) do
  if ev.eid ~= '' and seen_eid[ev.eid] == nil then
    seen_eid[ev.eid] = redis.call('GET', eid_prefix .. ev.eid) or false
  end
end

-- 2. the epoch: a missing meta starts a new, clean incarnation of the plan
local server = redis.call('INFO', 'server')
local replication = redis.call('INFO', 'replication')
local run_id = string.match(server, 'run_id:(%x+)')
local replid = string.match(replication, 'master_replid:(%x+)')
local time = redis.call('TIME')
local now = tonumber(time[1])
local now_ms = now * 1000 + math.floor(tonumber(time[2]) / 1000)
local durable = ((claim_run ~= '' and claim_run == run_id) and '1' or '') .. claim_wait
local m = redis.call('HMGET', meta_key, 'epoch', 'run', 'dur', 'inc', 'at', 'rid')
local epoch, last_run, last_dur, last_at, last_rid = m[1], m[2], m[3] or '', tonumber(m[5]), m[6]
local inc = m[4] or epoch -- the incarnation: the first epoch of the plan, kept across rotations
local fresh, rotated = false, false
if not epoch then
  epoch, inc = cand_epoch, cand_epoch
  redis.call('DEL', meta_key, log_key, state_key)
  fresh = true
elseif last_run ~= run_id then
  -- lost writes: the plan's last write was made by another Redis process. It reached this one as
  -- a replica that was then promoted (the writer's replication id is our replid2): kept only when
  -- each write was confirmed by WAIT (claim 'w'); or from files (this process started after the
  -- write: restart, restore): kept only when each write was fsynced (claim '1'); else the keys were
  -- moved to this running process (slot migration): lossless.
  local started = now - tonumber(string.match(server, 'uptime_in_seconds:(%d+)'))
  local promoted = last_rid ~= nil and last_rid == string.match(replication, 'master_replid2:(%x+)')
  local lossless
  if promoted then
    lossless = string.find(last_dur, 'w', 1, true) ~= nil
  elseif last_at == nil or started >= last_at then
    lossless = string.find(last_dur, '1', 1, true) ~= nil
  else
    lossless = true
  end
  if not lossless then
    if cand_epoch == epoch then return fail('candidate epoch equals the current epoch') end
    epoch, rotated = cand_epoch, true
  end
end
redis.call('HSET', meta_key, 'epoch', epoch, 'inc', inc, 'run', run_id, 'rid', replid, 'dur', durable, 'at', now)
if fresh then redis.call('HSET', meta_key, 'seq', 0) end

-- 3. snapshot helpers
local function new_step(name)
  return { name = name, status = 'pending', output_tail = '', error = null, started_at = null, finished_at = null }
end

local function load_snapshot()
  local s = nil
  if not fresh then
    local raw = redis.call('GET', state_key)
    if raw then
      local ok, d = pcall(cjson.decode, raw)
      if ok and type(d) == 'table' then s = d end
    end
  end
  if not s then
    s = { name = null, overall_status = 'pending', started_at = null, finished_at = null }
  end
  if type(s.steps) ~= 'table' then s.steps = {} end
  if index_relevant or fresh or rotated then
    -- counts by status, kept by ensure_step/set_status from here on (only when the summary may change);
    -- moved counts their changes, so that a change is detected without re-encoding the summary
    s.counts, s.moved = {}, 0
    for st, _ in pairs(STATUS) do s.counts[st] = 0 end
    for _, st in ipairs(s.steps) do
      if s.counts[st.status] then s.counts[st.status] = s.counts[st.status] + 1 end
    end
  end
  s.summary_raw = redis.call('HGET', meta_key, 'summary')
  return s
end

local function ensure_step(s, index)
  for i = #s.steps, index do
    s.steps[i + 1] = new_step(null)
    if s.counts then s.counts.pending, s.moved = s.counts.pending + 1, s.moved + 1 end
  end
  return s.steps[index + 1]
end

-- sets a step's status, keeping the snapshot's counts by status
local function set_status(s, st, status)
  if s.counts and st.status ~= status then
    if s.counts[st.status] then s.counts[st.status] = s.counts[st.status] - 1 end
    s.counts[status] = s.counts[status] + 1
    s.moved = s.moved + 1
  end
  st.status = status
end

local function core_of(s)
  return index_core(plan_id, s.name, s.overall_status, s.counts, #s.steps, s.started_at, s.finished_at)
end

-- the last max bytes of str, never starting inside a UTF-8 multibyte character
local function tail(str, max)
  if max <= 0 then return '' end
  local len = #str
  if len <= max then return str end
  local start = len - max + 1
  while start <= len do
    local b = string.byte(str, start)
    if b < 0x80 or b >= 0xC0 then break end
    start = start + 1
  end
  return string.sub(str, start)
end

local function activate(s, ts)
  if s.overall_status == 'pending' then
    s.overall_status = 'running'
    if s.started_at == null or s.started_at == nil then s.started_at = ts end
  end
end

local function summary_of(ev)
  local d = ev.d
  if d.summary == nil or d.summary == null then return false end
  local only = true
  for k, _ in pairs(d) do
    if k ~= 'summary' then only = false end
  end
  local pre = '{"summary":'
  if only and string.sub(ev.data, 1, #pre) == pre then
    return string.sub(ev.data, #pre + 1, -2)
  end
  return cjson.encode(d.summary)
end

local function fold(s, ev)
  local d, ts, name = ev.d, ev.ts, ev.name
  if name == 'plan_started' then
    s.name = d.name
    s.overall_status = 'running'
    s.started_at, s.finished_at, s.error, s.reason, s.summary_raw = ts, null, nil, nil, false
    s.steps = {}
    for i, step_name in ipairs(d.steps) do s.steps[i] = new_step(step_name) end
    if s.counts then
      for st, _ in pairs(STATUS) do s.counts[st] = 0 end
      s.counts.pending = #s.steps
      s.moved = s.moved + 1
    end
  elseif name == 'step_status' then
    local st = ensure_step(s, d.step_index)
    if is_str(d.step_name) then st.name = d.step_name end
    local status = d.status
    if status == 'running' then
      if st.started_at == null or st.started_at == nil or TERMINAL[st.status] then st.started_at = ts end
      st.finished_at = null
    elseif status == 'pending' then
      st.started_at, st.finished_at = null, null
    else
      st.finished_at = ts
    end
    set_status(s, st, status)
    st.error = is_str(d.error) and d.error or null
    activate(s, ts)
  elseif name == 'step_output' then
    local st = ensure_step(s, d.step_index)
    local prev = is_str(st.output_tail) and st.output_tail or ''
    st.output_tail = tail(prev .. d.chunk, tail_max)
    activate(s, ts)
  elseif name == 'plan_completed' then
    s.overall_status, s.finished_at, s.error, s.reason = 'succeeded', ts, nil, nil
    s.summary_raw = summary_of(ev)
  elseif name == 'plan_failed' then
    s.overall_status, s.finished_at, s.error, s.reason, s.summary_raw = 'failed', ts, d.error, nil, false
  elseif name == 'plan_cancelled' then
    s.overall_status, s.finished_at, s.error, s.summary_raw = 'cancelled', ts, nil, false
    s.reason = is_str(d.reason) and d.reason or nil
    for _, st in ipairs(s.steps) do
      if not TERMINAL[st.status] then
        set_status(s, st, 'cancelled')
        st.finished_at = ts
      end
    end
  end
end

-- hand-written so that member order is fixed, steps is always an array, summary is byte-exact
local function encode_snapshot(s, seq, last_update)
  local out = { '{"plan_id":', js(plan_id), ',"epoch":', js(epoch), ',"seq":', int(seq),
                ',"name":', js(s.name), ',"overall_status":', js(s.overall_status), ',"steps":[' }
  for i, st in ipairs(s.steps) do
    if i > 1 then out[#out + 1] = ',' end
    out[#out + 1] = '{"index":' .. int(i - 1) .. ',"name":' .. js(st.name) .. ',"status":' .. js(st.status)
        .. ',"output_tail":' .. js(st.output_tail) .. ',"error":' .. js(st.error)
        .. ',"started_at":' .. js(st.started_at) .. ',"finished_at":' .. js(st.finished_at) .. '}'
  end
  out[#out + 1] = '],"started_at":' .. js(s.started_at) .. ',"finished_at":' .. js(s.finished_at)
      .. ',"last_update":' .. js(last_update)
  if s.summary_raw then out[#out + 1] = ',"summary":' .. s.summary_raw end
  if is_str(s.error) then out[#out + 1] = ',"error":' .. js(s.error) end
  if is_str(s.reason) then out[#out + 1] = ',"reason":' .. js(s.reason) end
  out[#out + 1] = '}'
  return table.concat(out)
end

-- 4. apply
local result = { epoch }
local snap, last_seq, last_ts = nil, nil, nil
local summary_before = nil
-- the plan's index summary: its core when loaded, and the seq/ts of the event that last changed it
local index_seq, index_ts = nil, nil
for _, ev in ipairs(events) do
  local dup_seq, eid_key = nil, nil
  if ev.eid ~= '' then
    eid_key = eid_prefix .. ev.eid
    local seen = seen_eid[ev.eid]
    if seen then
      local e, s = string.match(seen, '^([^:]+):(%d+)$')
      if e == inc or e == epoch then dup_seq = tonumber(s) end
    end
  end
  if dup_seq then
    result[#result + 1] = dup_seq
    result[#result + 1] = 1
  else
    local seq = redis.call('HINCRBY', meta_key, 'seq', 1)
    local frame = '{"type":"event","plan_id":"' .. plan_id .. '","seq":' .. int(seq) .. ',"epoch":"' .. epoch
        .. '","event":"' .. ev.name .. '","ts":"' .. ev.ts .. '","data":' .. ev.data .. '}'
    redis.call('XADD', log_key, 'MAXLEN', '~', ARGV[5], int(seq) .. '-0', 'f', frame)
    if eid_key then
      redis.call('SET', eid_key, inc .. ':' .. int(seq), 'PX', eid_ttl)
      seen_eid[ev.eid] = inc .. ':' .. int(seq) -- a repeat later in this batch is a duplicate
    end
    if not snap then
      snap = load_snapshot()
      summary_before = snap.summary_raw
    end
    if ev.d then
      local name, status, started, finished, moved =
          snap.name, snap.overall_status, snap.started_at, snap.finished_at, snap.moved
      fold(snap, ev)
      if ev.name ~= 'step_output' and snap.counts and (snap.moved ~= moved or snap.name ~= name
          or snap.overall_status ~= status or snap.started_at ~= started or snap.finished_at ~= finished) then
        index_seq, index_ts = seq, ev.ts
      end
    end
    redis.call('PUBLISH', channel, frame)
    last_seq, last_ts = seq, ev.ts
    result[#result + 1] = seq
    result[#result + 1] = 0
  end
end

if rotated and not snap then
  -- only duplicates: the snapshot still has to carry the new epoch
  snap = load_snapshot()
  summary_before = snap.summary_raw
  last_seq = tonumber(redis.call('HGET', meta_key, 'seq'))
  last_ts = snap.last_update
end
if snap then
  if snap.summary_raw ~= summary_before then
    if snap.summary_raw then
      redis.call('HSET', meta_key, 'summary', snap.summary_raw)
    else
      redis.call('HDEL', meta_key, 'summary')
    end
  end
  redis.call('SET', state_key, encode_snapshot(snap, last_seq, last_ts), 'PX', meta_ttl)
  redis.call('PEXPIRE', log_key, log_ttl)
  redis.call('PEXPIRE', meta_key, meta_ttl)
end

-- 5. the plan index: only when the summary changed (a plan event or step status did, or the plan's
-- epoch is new); step_output alone never touches it
local pending_summary = ''
if snap and (index_seq or fresh or rotated) then
  if not index_seq then index_seq, index_ts = last_seq, last_ts end
  local summary = index_summary(core_of(snap), index_ts, epoch, index_seq)
  local ix = index_keys and index_open(index_keys, index_channel, index_cand, run_id)
  if ix then
    local cutoff = now_ms - meta_ttl
    index_prune(ix, cutoff)
    index_upsert(ix, plan_id, summary, cutoff, false)
  else
    pending_summary = summary
  end
end
result[#result + 1] = pending_summary
return result
