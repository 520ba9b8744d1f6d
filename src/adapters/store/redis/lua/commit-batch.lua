--[[
  Commits one aggregation batch (the pure core's ChangeSet) atomically.

  KEYS[1]  meta hash (version, decision/accept sequences, ordered gate, config id)
  ARGV[1]  key prefix (every key of one store shares it, and its {hash tag}, so one slot holds all)
  ARGV[2]  payload JSON, built by redis-store.ts:
    v        version the batch was computed against (optimistic concurrency on the whole state)
    gate     absent for an ungated batch; else { seq, part, last } of an ordered input part
    config   id of the aggregation configuration (all workers of one store must agree)
    bills    { key, json }[]           latest bill records
    pds      { f, json }[]              person-day records (f = day .. "\0" .. consigneeKey)
    zrem     { z, m }[]                 membership removals (z = person-day member set suffix)
    zadd     { z, s, m }[]              membership additions (s = acceptedSeq, as a string)
    decs     { id, seq, json }[]        new decisions
    audit    string[]                   audit records (JSON)
    ics      { f, file }[]              interchange de-duplication records
    dseq, aseq                          next decision / accept sequence (strings)
    outcome  string (JSON) stored for a gated batch so a redelivery returns it
    ttl      seconds to keep the outcome record

  Replies:
    { 'OK', version }                   committed
    { 'GATE', seq, part, done }         the gate is not at this part's predecessor (nothing written)
    { 'STALE', version }                the state changed since it was read (nothing written)
    { 'CONFIG', stored }                another aggregation configuration wrote this store
  Errors (nothing written): DUPLICATE_DECISION <id>.
  Every check runs before the first write: Redis does not roll a script back.
]]
local meta = KEYS[1]
local prefix = ARGV[1]
local p = cjson.decode(ARGV[2])

local function num(v, default)
  if v == false or v == nil then return default end
  return tonumber(v)
end

local m = redis.call('HMGET', meta, 'version', 'gseq', 'gpart', 'gdone', 'config')
local version = num(m[1], 0)
local gseq, gpart, gdone = num(m[2], 0), num(m[3], 0), num(m[4], 1)

if p.gate then
  local g = p.gate
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

local dec = prefix .. 'dec'
for _, d in ipairs(p.decs) do
  if redis.call('HEXISTS', dec, d.id) == 1 then
    return redis.error_reply('DUPLICATE_DECISION ' .. d.id)
  end
end

-- Checks passed: write.
local bills = prefix .. 'bills'
for _, b in ipairs(p.bills) do redis.call('HSET', bills, b.key, b.json) end
local pd = prefix .. 'pd'
for _, r in ipairs(p.pds) do redis.call('HSET', pd, r.f, r.json) end
for _, r in ipairs(p.zrem) do redis.call('ZREM', prefix .. 'pdm:' .. r.z, r.m) end
for _, r in ipairs(p.zadd) do redis.call('ZADD', prefix .. 'pdm:' .. r.z, r.s, r.m) end
local declog, pending = prefix .. 'declog', prefix .. 'pending'
for _, d in ipairs(p.decs) do
  redis.call('HSET', dec, d.id, d.json)
  redis.call('ZADD', declog, d.seq, d.id)
  redis.call('ZADD', pending, d.seq, d.id)
end
local audit = prefix .. 'audit'
local auditFrom = redis.call('LLEN', audit)
for _, a in ipairs(p.audit) do redis.call('RPUSH', audit, a) end
local ic = prefix .. 'ic'
for _, r in ipairs(p.ics) do redis.call('HSET', ic, r.f, r.file) end

version = version + 1
redis.call('HSET', meta, 'version', version, 'dseq', p.dseq, 'aseq', p.aseq)
if p.config and p.config ~= '' and not m[5] then redis.call('HSET', meta, 'config', p.config) end

if p.gate then
  local g = p.gate
  local done = 0
  if g.last then done = 1 end
  redis.call('HSET', meta, 'gseq', g.seq, 'gpart', g.part, 'gdone', done)
  local okey = prefix .. 'outcome:' .. g.seq .. ':' .. g.part
  redis.call('HSET', okey, 'body', p.outcome, 'af', auditFrom, 'at', auditFrom + #p.audit)
  if p.ttl and p.ttl > 0 then redis.call('EXPIRE', okey, p.ttl) end
  redis.call('PUBLISH', prefix .. 'gate', g.seq .. ':' .. g.part .. ':' .. done)
end

return { 'OK', version }
