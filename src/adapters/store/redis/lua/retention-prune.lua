--[[
  Retention in the Redis store (src/adapters/store/redis/retention.ts drives it, docs/retention.md):
  one bounded step of a prune per call, its items found by the caller's HSCAN pages (never KEYS).
  Each step re-checks what it deletes inside the script, so a record written since the scan is left
  alone. The keys come from the caller (the store's key layout), so the script holds none of it.

  KEYS[1]  meta hash (version, rwm = the retention watermark, pruned:* counters)
  ARGV[1]  op
  ARGV[2]  watermark (YYYY-MM-DD)
  ARGV[3]  op's extra argument ('' when none)
  ARGV[4..] the op's items

  ops:
    mark    moves rwm to the watermark (never back) and bumps the version, so a batch computed
            against the old watermark is stale; replies the watermark in force
    pds     KEYS[2] person-day hash; items: person-day fields (day:consigneeKey) of days before rwm,
            each deleted with its members (they are part of its value: key layout 3)
    bills   KEYS[2] bills hash; items: key, value pairs: deleted only if it still holds that value
    decs    KEYS[2] pending zset, KEYS[3] decisions hash, KEYS[4] decision log; items: decision ids,
            deleted unless still pending (a decision is never dropped unsent)
    files   KEYS[2] unwritten set, KEYS[3] outbound files hash, KEYS[4] ack day stamps; ARGV[3] the
            counter (files | acks); items: file names, deleted once written
  Replies the number deleted (mark: the watermark; bills: the keys deleted). A step that deletes state the core reads (pds,
  bills) bumps the version: a batch that loaded it recomputes.
]]
local meta = KEYS[1]
local op = ARGV[1]
local watermark = ARGV[2]
local extra = ARGV[3]

local refused = refuseWrongKinds({ [meta] = 'hash' })
if refused then return refused end

-- Key layout (commit-batch.lua): an older store is migrated before anything prunes it, since this
-- script would leave its member sets behind. An empty store takes this layout here.
local LAYOUT = '3'
local layout, version = unpack(redis.call('HMGET', meta, 'layout', 'version'))
if layout ~= LAYOUT then
  if layout or (tonumber(version) or 0) > 0 then return redis.error_reply('STORE_OLD_LAYOUT ' .. tostring(layout)) end
  redis.call('HSET', meta, 'layout', LAYOUT)
end

if op == 'mark' then
  local current = redis.call('HGET', meta, 'rwm')
  if current and current >= watermark then return current end
  redis.call('HSET', meta, 'rwm', watermark)
  redis.call('HINCRBY', meta, 'version', 1)
  redis.call('HINCRBY', meta, 'pruned:runs', 1)
  return watermark
end

local rwm = redis.call('HGET', meta, 'rwm')
if not rwm or watermark > rwm then
  return redis.error_reply('STORE_BAD_ARGS prune past the watermark ' .. tostring(rwm))
end

local n = 0
if op == 'pds' then
  for i = 4, #ARGV do
    local f = ARGV[i]
    if string.sub(f, 1, 10) < watermark and redis.call('HDEL', KEYS[2], f) == 1 then
      n = n + 1
    end
  end
  if n > 0 then
    redis.call('HINCRBY', meta, 'version', 1)
    redis.call('HINCRBY', meta, 'pruned:pds', n)
  end
elseif op == 'bills' then
  -- Replies the keys deleted (a partitioned store then drops them from its bill -> partition index).
  local deleted = {}
  for i = 4, #ARGV, 2 do
    if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[i + 1] then
      redis.call('HDEL', KEYS[2], ARGV[i])
      deleted[#deleted + 1] = ARGV[i]
    end
  end
  if #deleted > 0 then
    redis.call('HINCRBY', meta, 'version', 1)
    redis.call('HINCRBY', meta, 'pruned:bills', #deleted)
  end
  return deleted
elseif op == 'decs' then
  for i = 4, #ARGV do
    local id = ARGV[i]
    if not redis.call('ZSCORE', KEYS[2], id) and redis.call('HDEL', KEYS[3], id) == 1 then
      redis.call('ZREM', KEYS[4], id)
      n = n + 1
    end
  end
  if n > 0 then redis.call('HINCRBY', meta, 'pruned:decs', n) end
elseif op == 'files' then
  for i = 4, #ARGV do
    local name = ARGV[i]
    if redis.call('SISMEMBER', KEYS[2], name) == 0 and redis.call('HDEL', KEYS[3], name) == 1 then
      redis.call('HDEL', KEYS[4], name)
      n = n + 1
    end
  end
  if n > 0 then redis.call('HINCRBY', meta, 'pruned:' .. extra, n) end
else
  return redis.error_reply('STORE_BAD_ARGS unknown op ' .. op)
end
return n
