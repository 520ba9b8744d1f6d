--[[
  Commits one aggregation batch (the pure core's ChangeSet) atomically.

  KEYS[1]  meta hash (version, decision/accept sequences, ordered gate, config id)
  ARGV[1]  key prefix (every key of one store shares it, and its {hash tag}, so one slot holds all)
  ARGV[2]  header JSON (small), built by redis-store.ts:
    v        version the batch was computed against (optimistic concurrency on the whole state)
    gate     absent for an ungated batch; else { seq, part, last } of an ordered input part
    from     optional { seq, part }: the batch applies the consecutive parts from..gate in one
             commit (a partition's queued parts); the gate must stand right before `from`
    covered  with `from`: [seq, part, outcome] of every part after `from` (their outcome records
             point at from's, which holds the batch's decisions and audit range)
    config   id of the aggregation configuration (all workers of one store must agree)
    dseq, aseq                          next decision / accept sequence (strings)
    outcome  string (JSON) stored for a gated batch so a redelivery returns it
    ttl      seconds to keep the outcome record
    n        { bills, pds, zrem, zadd, decs, audit, ics }: how many records each section holds
  ARGV[3..] the records, flat, section after section (no JSON around them: decoding one large
           payload whose records are themselves escaped JSON was most of the script's time):
    bills    key, json                  latest bill records
    pds      f, value                   person-day records (f = personDayField: day .. ':' .. consigneeKey;
                                        value: person-day-value.ts, without its members part)
    zrem     f, m                       membership removals (f = the person-day's field, m = bill key)
    zadd     f, s, m                    membership additions (s = acceptedSeq)
    decs     id, seq, json              new decisions
    audit    json                       audit records
    ics      f, file                    interchange de-duplication records
    hdel     key                        bills that left this partition (partitioned stores)
    handoff  f, value                   those bills as they stood, for the partition they move to

  Key layout 3 (meta `layout`): a person-day's members are the `|` part of its value in the person-day
  hash (person-day-value.ts), no longer one sorted set per person-day; this script keeps that part
  (a member added again moves to the end with its new acceptedSeq, as ZADD would re-score it). The
  first commit of an empty store records the layout; a non-empty store without it is refused.

  Replies:
    { 'OK', version }                   committed
    { 'LAYOUT', stored }                the store is in an earlier key layout (nothing written)
    { 'GATE', seq, part, done }         the gate is not at this part's predecessor (nothing written)
    { 'STALE', version }                the state changed since it was read (nothing written)
    { 'CONFIG', stored }                another aggregation configuration wrote this store
  Errors (nothing written; codes in src/core/errors/store-codes.ts): STORE_DUPLICATE_DECISION <id>, STORE_BAD_ARGS, STORE_WRONGTYPE <key> (a key of another kind).
  Every check runs before the first write: Redis does not roll a script back.
]]
local meta = KEYS[1]
local prefix = ARGV[1]
local p = cjson.decode(ARGV[2])
local n = p.n

-- Where each section starts in ARGV.
local at = 3
local function section(width, count)
  local from = at
  at = at + width * count
  return from
end
local billsAt = section(2, n.bills)
local pdsAt = section(2, n.pds)
local zremAt = section(2, n.zrem)
local zaddAt = section(3, n.zadd)
local decsAt = section(3, n.decs)
local auditAt = section(1, n.audit)
local icsAt = section(2, n.ics)
local hdelAt = section(1, n.hdel or 0)
local handoffAt = section(2, n.handoff or 0)
if at ~= #ARGV + 1 then return redis.error_reply('STORE_BAD_ARGS ' .. (at - 1) .. ' ' .. #ARGV) end

local function num(v, default)
  if v == false or v == nil then return default end
  return tonumber(v)
end

local LAYOUT = '3'
local m = redis.call('HMGET', meta, 'version', 'gseq', 'gpart', 'gdone', 'config', 'layout')
local version = num(m[1], 0)
if m[6] ~= LAYOUT and (m[6] or version > 0) then return { 'LAYOUT', m[6] or '' } end
local gseq, gpart, gdone = num(m[2], 0), num(m[3], 0), num(m[4], 1)

if p.gate then
  local g = p.from or p.gate
  local ready
  if g.part == 0 then
    ready = (gseq == g.seq - 1 and gdone == 1)
  else
    ready = (gseq == g.seq and gpart == g.part - 1 and gdone == 0)
  end
  if not ready then return { 'GATE', gseq, gpart, gdone } end
end

if version ~= p.v then return { 'STALE', version } end

if p.config and p.config ~= '' then
  if m[5] and m[5] ~= p.config then return { 'CONFIG', m[5] } end
end

-- One command per CHUNK records of a section (a Lua call takes a bounded number of arguments).
local CHUNK = 500
-- Calls `cmd key` with the records [from, from + width * count) of ARGV, `pick` choosing and
-- ordering each record's arguments.
local function chunked(cmd, key, from, width, count, pick)
  local args = {}
  local k = 0
  for r = 0, count - 1 do
    k = pick(args, k, from + r * width)
    if (r + 1) % CHUNK == 0 or r == count - 1 then
      redis.call(cmd, key, unpack(args, 1, k))
      args = {}
      k = 0
    end
  end
end
local function pair(args, k, i)
  args[k + 1] = ARGV[i]
  args[k + 2] = ARGV[i + 1]
  return k + 2
end

local dec = prefix .. 'dec'
if n.decs > 0 then
  local ids = {}
  for r = 0, n.decs - 1 do ids[#ids + 1] = ARGV[decsAt + r * 3] end
  for c = 1, #ids, CHUNK do
    local last = math.min(c + CHUNK - 1, #ids)
    local found = redis.call('HMGET', dec, unpack(ids, c, last))
    for j = 1, #found do
      if found[j] then return redis.error_reply('STORE_DUPLICATE_DECISION ' .. ids[c + j - 1]) end
    end
  end
end

-- Every key written below must hold its kind or not exist (write-guard.lua). The meta hash and,
-- with decisions, the decision hash were read above (a wrong type failed there, before any write).
local kinds = { [prefix .. 'audit'] = 'list' } -- LLEN below, for every commit
if n.bills > 0 then kinds[prefix .. 'bills'] = 'hash' end
if n.pds + n.zrem + n.zadd > 0 then kinds[prefix .. 'pd'] = 'hash' end
if n.decs > 0 then
  kinds[prefix .. 'declog'] = 'zset'
  kinds[prefix .. 'pending'] = 'zset'
end
if n.ics > 0 then kinds[prefix .. 'ic'] = 'hash' end
if (n.hdel or 0) > 0 then kinds[prefix .. 'bills'] = 'hash' end
if (n.handoff or 0) > 0 then kinds[prefix .. 'handoff'] = 'hash' end
local first = p.from or p.gate
if first then kinds[prefix .. 'outcome:' .. first.seq .. ':' .. first.part] = 'hash' end
for _, c in ipairs(p.covered or {}) do kinds[prefix .. 'outcome:' .. c[1] .. ':' .. c[2]] = 'hash' end
local refused = refuseWrongKinds(kinds)
if refused then return refused end

-- The person-days' new values: the head from the batch (or as stored), the members as stored with
-- the batch's removals and additions. Read before the first write.
local pd = prefix .. 'pd'
local pdNew, pdOrder = {}, {}
local function pdEntry(f)
  local e = pdNew[f]
  if e then return e end
  local v = redis.call('HGET', pd, f)
  e = { list = {} }
  if v then
    local bar = string.find(v, '|', 1, true)
    if bar and string.sub(v, 1, 1) ~= '{' then
      e.head = string.sub(v, 1, bar - 1)
      e.list = cjson.decode(string.sub(v, bar + 1))
    else
      e.head = v
    end
  end
  pdNew[f] = e
  pdOrder[#pdOrder + 1] = f
  return e
end
local function dropMember(list, key)
  for j = 1, #list - 1, 2 do
    if list[j] == key then
      table.remove(list, j)
      table.remove(list, j)
      return
    end
  end
end
for r = 0, n.pds - 1 do
  local i = pdsAt + r * 2
  pdEntry(ARGV[i]).head = ARGV[i + 1]
end
for r = 0, n.zrem - 1 do
  local i = zremAt + r * 2
  dropMember(pdEntry(ARGV[i]).list, ARGV[i + 1])
end
for r = 0, n.zadd - 1 do
  local i = zaddAt + r * 3
  local list = pdEntry(ARGV[i]).list
  dropMember(list, ARGV[i + 2])
  list[#list + 1] = ARGV[i + 2]
  list[#list + 1] = tonumber(ARGV[i + 1])
end
local pdArgs = {}
for _, f in ipairs(pdOrder) do
  local e = pdNew[f]
  if not e.head then return redis.error_reply('STORE_BAD_ARGS members of person-day ' .. f .. ' without its record') end
  local value = e.head
  if #e.list > 0 then
    -- cjson writes '/' as '\/'; a bill key is `issuer/scn`, so that would cost a byte per member.
    -- Only an escaping backslash can precede '/' in cjson's output, so dropping it is exact.
    value = value .. '|' .. (string.gsub(cjson.encode(e.list), '\\/', '/'))
  end
  pdArgs[#pdArgs + 1] = f
  pdArgs[#pdArgs + 1] = value
end

-- Checks passed: write.
chunked('HSET', prefix .. 'bills', billsAt, 2, n.bills, pair)
for c = 1, #pdArgs, 2 * CHUNK do
  redis.call('HSET', pd, unpack(pdArgs, c, math.min(c + 2 * CHUNK - 1, #pdArgs)))
end
-- decisions: id → json; seq-ordered log and pending set (score seq, member id)
chunked('HSET', dec, decsAt, 3, n.decs, function(args, k, i)
  args[k + 1] = ARGV[i]
  args[k + 2] = ARGV[i + 2]
  return k + 2
end)
local function bySeq(args, k, i)
  args[k + 1] = ARGV[i + 1]
  args[k + 2] = ARGV[i]
  return k + 2
end
chunked('ZADD', prefix .. 'declog', decsAt, 3, n.decs, bySeq)
chunked('ZADD', prefix .. 'pending', decsAt, 3, n.decs, bySeq)
local audit = prefix .. 'audit'
local auditFrom = redis.call('LLEN', audit)
chunked('RPUSH', audit, auditAt, 1, n.audit, function(args, k, i)
  args[k + 1] = ARGV[i]
  return k + 1
end)
chunked('HSET', prefix .. 'ic', icsAt, 2, n.ics, pair)
chunked('HDEL', prefix .. 'bills', hdelAt, 1, n.hdel or 0, function(args, k, i)
  args[k + 1] = ARGV[i]
  return k + 1
end)
chunked('HSET', prefix .. 'handoff', handoffAt, 2, n.handoff or 0, pair)

version = version + 1
redis.call('HSET', meta, 'version', version, 'dseq', p.dseq, 'aseq', p.aseq)
if p.config and p.config ~= '' and not m[5] then redis.call('HSET', meta, 'config', p.config) end
if not m[6] then redis.call('HSET', meta, 'layout', LAYOUT) end

if p.gate then
  local g = p.gate
  local done = 0
  if g.last then done = 1 end
  redis.call('HSET', meta, 'gseq', g.seq, 'gpart', g.part, 'gdone', done)
  local okey = prefix .. 'outcome:' .. first.seq .. ':' .. first.part
  redis.call('HSET', okey, 'body', p.outcome, 'af', auditFrom, 'at', auditFrom + n.audit)
  if p.ttl and p.ttl > 0 then redis.call('EXPIRE', okey, p.ttl) end
  for _, c in ipairs(p.covered or {}) do
    local ckey = prefix .. 'outcome:' .. c[1] .. ':' .. c[2]
    redis.call('HSET', ckey, 'body', c[3], 'af', auditFrom + n.audit, 'at', auditFrom + n.audit)
    if p.ttl and p.ttl > 0 then redis.call('EXPIRE', ckey, p.ttl) end
  end
  redis.call('PUBLISH', prefix .. 'gate', g.seq .. ':' .. g.part .. ':' .. done)
end

return { 'OK', version }
