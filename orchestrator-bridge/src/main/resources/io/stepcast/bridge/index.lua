-- Stepcast plan index upsert, for a Redis Cluster where the index ({_plans} slot) and a plan live in
-- different slots: the publisher runs it after publish.lua returned a changed summary; the repair
-- command runs it per plan state. Idempotent. index-lib.lua is prepended. PROTOCOL.md §3.7.
--
-- KEYS: 1 index zset, 2 sum hash, 3 index meta, 4 index log, 5 ids (lexicographic zset; all in the
--       {_plans} slot)
-- ARGV: 1 plan_id, 2 mode: 'upsert' (ARGV[3] = the summary publish.lua returned), 'repair'
--       (ARGV[3] = the plan's state snapshot JSON) or 'remove' (the plan has no state any more),
--       3 payload, 4 index channel, 5 candidate index epoch, 6 retention ms (the plan meta TTL)
-- Returns 1 when the index changed, 0 when it already held that summary (or a later one)

local plan_id, mode, payload, channel, cand = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local retention = tonumber(ARGV[6])

local function fail(msg)
  return redis.error_reply('ERR stepcast index: ' .. msg)
end

if #KEYS ~= 5 or #ARGV ~= 6 then return fail('expected 5 keys and 6 arguments') end
if not plan_id or #plan_id > 128 or not string.match(plan_id, '^[A-Za-z0-9][A-Za-z0-9._:%-]*$') then
  return fail('invalid plan_id')
end
if #cand ~= 12 or not string.match(cand, '^[a-z0-9]+$') then
  return fail('candidate epoch must be 12 characters [a-z0-9]')
end
if not retention or retention < 1 then return fail('retention must be a positive integer') end

local summary = nil
if mode == 'upsert' then
  if not string.match(payload, '^{"plan_id":"' .. string.gsub(plan_id, '%p', '%%%0') .. '",') then
    return fail('summary of another plan')
  end
  summary = payload
elseif mode == 'repair' then
  local ok, s = pcall(cjson.decode, payload)
  if not ok or type(s) ~= 'table' or s.plan_id ~= plan_id or type(s.epoch) ~= 'string'
      or type(s.seq) ~= 'number' then
    return fail('state is not a snapshot of this plan')
  end
  local counts, total = {}, 0
  if type(s.steps) == 'table' then
    for _, st in ipairs(s.steps) do
      total = total + 1
      if type(st) == 'table' and type(st.status) == 'string' then
        counts[st.status] = (counts[st.status] or 0) + 1
      end
    end
  end
  local core = index_core(plan_id, s.name, s.overall_status, counts, total, s.started_at, s.finished_at)
  summary = index_summary(core, s.last_update, s.epoch, s.seq)
elseif mode ~= 'remove' then
  return fail('mode must be upsert, repair or remove')
end

local time = redis.call('TIME')
local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local run_id = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
local ix = index_open(KEYS, channel, cand, run_id)
if not ix then return fail('candidate epoch equals the current index epoch') end
local cutoff = now_ms - retention
index_prune(ix, cutoff)
if summary == nil then
  return index_remove(ix, plan_id) and 1 or 0
end
return index_upsert(ix, plan_id, summary, cutoff, mode == 'repair') and 1 or 0
