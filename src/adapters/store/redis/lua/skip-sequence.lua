--[[
  Operator escape hatch (`s321 queue skip`): marks an input sequence that will never arrive as
  applied, so the ordered gate moves past it. Only the gate's next sequence can be skipped: either
  nothing of it was applied yet (the whole input is skipped), or some of its parts were applied and
  the rest is lost (the input is closed where it stands). Nothing of the aggregation state changes.

  KEYS[1]  meta hash
  ARGV[1]  key prefix
  ARGV[2]  sequence to skip
  ARGV[3]  outcome JSON recorded for it (carries the operator's reason)
  ARGV[4]  seconds to keep the outcome record

  Replies: { 'OK', seq, part } | { 'NOT_NEXT', gseq, gpart, gdone }
]]
local meta, prefix = KEYS[1], ARGV[1]
local seq = tonumber(ARGV[2])
local m = redis.call('HMGET', meta, 'gseq', 'gpart', 'gdone')
local gseq = tonumber(m[1] or '0')
local gpart = tonumber(m[2] or '0')
local gdone = tonumber(m[3] or '1')

local part
if gdone == 1 and gseq == seq - 1 then
  part = 0
elseif gdone == 0 and gseq == seq then
  part = gpart + 1
else
  return { 'NOT_NEXT', gseq, gpart, gdone }
end

-- Reads and kind checks before the first write (write-guard.lua).
local okey = prefix .. 'outcome:' .. seq .. ':' .. part
local af = redis.call('LLEN', prefix .. 'audit')
local refused = refuseWrongKinds({ [okey] = 'hash', [prefix .. 'skipped'] = 'hash' })
if refused then return refused end
redis.call('HSET', meta, 'gseq', seq, 'gpart', part, 'gdone', 1)
redis.call('HSET', okey, 'body', ARGV[3], 'af', af, 'at', af)
local ttl = tonumber(ARGV[4])
if ttl and ttl > 0 then redis.call('EXPIRE', okey, ttl) end
redis.call('HSET', prefix .. 'skipped', seq, ARGV[3])
redis.call('PUBLISH', prefix .. 'gate', seq .. ':' .. part .. ':1')
return { 'OK', seq, part }
