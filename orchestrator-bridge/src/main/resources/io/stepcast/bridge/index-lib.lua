-- Stepcast plan index: functions shared by publish.lua (standalone Redis: upkeep inside the publish
-- call) and index.lua (Redis Cluster: an idempotent upsert on the {_plans} slot after it, and repair).
-- Layout and rules: PROTOCOL.md §1 and §3.7. Prepended to both scripts by the bridge.
-- An index handle `ix` holds the five index keys (zset, sum, meta, log, ids), its channel and its epoch.
-- ids is the lexicographic twin of zset (every member at score 0): same members, kept in the same calls.

local INDEX_LOG_MAXLEN = '10000'
local INDEX_PRUNE_MAX = 16
local null = cjson.null
local STEP_STATUSES = { 'pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled' }

local function js(v)
  if v == nil or v == null then return 'null' end
  return cjson.encode(v)
end

local function int(n) return string.format('%d', n) end

-- epoch milliseconds of a timestamp like 2026-11-23T17:00:00.123Z (days from the civil calendar)
local function ts_millis(ts)
  local y, mo, d, h, mi, s, ms = string.match(ts, '^(%d+)%-(%d+)%-(%d+)T(%d+):(%d+):(%d+)%.(%d+)Z$')
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  if mo <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((mo + 9) % 12) + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  local days = era * 146097 + doe - 719468
  return ((days * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60000 + tonumber(s) * 1000 + tonumber(ms)
end

-- the part of a summary that decides whether it changed: everything before last_update
local function index_core(plan_id, name, status, counts, total, started_at, finished_at)
  local out = { '{"plan_id":"', plan_id, '","name":', js(name), ',"overall_status":', js(status),
                ',"steps":{"total":', int(total) }
  for _, st in ipairs(STEP_STATUSES) do
    out[#out + 1] = ',"' .. st .. '":' .. int(counts[st] or 0)
  end
  out[#out + 1] = '},"started_at":' .. js(started_at) .. ',"finished_at":' .. js(finished_at)
  return table.concat(out)
end

local function index_summary(core, last_update, epoch, seq)
  return core .. ',"last_update":' .. js(last_update) .. ',"epoch":"' .. epoch .. '","seq":' .. int(seq) .. '}'
end

-- opens the index; its epoch rotates (change log cleared, seq from 0) when the index is new or was
-- last written by another Redis process: a restart or failover may have lost changes clients saw.
-- nil when a rotation is due and the candidate equals the current epoch (the caller retries).
local function index_open(keys, channel, cand, run_id)
  local m = redis.call('HMGET', keys[3], 'epoch', 'run')
  local epoch = m[1]
  if not epoch or m[2] ~= run_id then
    if epoch == cand then return nil end
    epoch = cand
    redis.call('DEL', keys[4])
    redis.call('HSET', keys[3], 'epoch', epoch, 'seq', 0, 'run', run_id)
  end
  return { zset = keys[1], sum = keys[2], meta = keys[3], log = keys[4], ids = keys[5], channel = channel,
           epoch = epoch }
end

-- appends one change frame to the index log and publishes it
local function index_change(ix, kind, body)
  local seq = int(redis.call('HINCRBY', ix.meta, 'seq', 1))
  local frame = '{"type":"' .. kind .. '","seq":' .. seq .. ',"epoch":"' .. ix.epoch .. '",' .. body .. '}'
  redis.call('XADD', ix.log, 'MAXLEN', '~', INDEX_LOG_MAXLEN, seq .. '-0', 'f', frame)
  redis.call('PUBLISH', ix.channel, frame)
end

local function index_remove(ix, plan_id)
  redis.call('ZREM', ix.ids, plan_id)
  if redis.call('ZREM', ix.zset, plan_id) == 1 then
    redis.call('HDEL', ix.sum, plan_id)
    index_change(ix, 'plan_removed', '"plan_id":"' .. plan_id .. '"')
    return true
  end
  redis.call('HDEL', ix.sum, plan_id)
  return false
end

-- removes (at most INDEX_PRUNE_MAX) entries whose last change is older than cutoff (epoch ms)
local function index_prune(ix, cutoff)
  local old = redis.call('ZRANGEBYSCORE', ix.zset, '-inf', '(' .. int(cutoff), 'LIMIT', 0, INDEX_PRUNE_MAX)
  for _, p in ipairs(old) do index_remove(ix, p) end
end

-- stores a plan's summary unless the index already holds it or a later one of the same plan epoch
-- (repair: unless it holds the same content of the same plan epoch); never one older than cutoff.
-- True when stored.
local function index_upsert(ix, plan_id, summary, cutoff, repair)
  local lu, pe, ps = string.match(summary, ',"last_update":"([^"]+)","epoch":"([a-z0-9]+)","seq":(%d+)}$')
  if not lu or not string.match(lu, '^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$') then return false end
  local score = ts_millis(lu)
  if score < cutoff then return false end
  local old = redis.call('HGET', ix.sum, plan_id)
  if old then
    local ocore, oe, os = string.match(old, '^(.*),"last_update":"[^"]+","epoch":"([a-z0-9]+)","seq":(%d+)}$')
    if oe == pe then
      if repair and ocore == string.match(summary, '^(.*),"last_update":') then
        -- an index written before ids existed: repair adds the entry it already holds
        if redis.call('ZSCORE', ix.zset, plan_id) then redis.call('ZADD', ix.ids, 0, plan_id) end
        return false
      end
      if not repair and tonumber(os) >= tonumber(ps) then return false end
    end
  end
  redis.call('HSET', ix.sum, plan_id, summary)
  redis.call('ZADD', ix.zset, int(score), plan_id)
  redis.call('ZADD', ix.ids, 0, plan_id)
  index_change(ix, 'plan_update', '"summary":' .. summary)
  return true
end
