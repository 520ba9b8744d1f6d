--[[
  Records the routing of one input of a partitioned store (issue #15), in arrival order.

  KEYS[1]  router meta hash (partitions; gate gseq/gpart/gdone: the last routed input part;
           rseq: how many parts were routed, i.e. the partitions' sequence of the last one)
  ARGV[1]  router key prefix (one {hash tag}: every router key in one slot)
  ARGV[2]  position of the input part: "n:k:last" (last = 1 or 0)
  ARGV[3]  partitions P this worker routes for
  ARGV[4]  the input's routing (JSON, stored as it is and returned to a redelivery)
  ARGV[5]  seconds to keep the routing record
  ARGV[6]  how many owner records follow
  ARGV[7..] owners   bill, partition      bills whose owning partition is new or changed
            then ics  f, file              interchange de-dup records of the input's fresh interchanges

  Input parts are routed in arrival order (the ordered gate of ordered-gate.ts, as commit-batch.lua
  checks it); each routed part gets the next routing sequence r, which is the position (r, 0..j)
  of its parts in every partition.

  Replies:
    { 'OK', r }                  routed as r
    { 'ROUTED', routing }        this part was routed before: its stored routing (nothing written)
    { 'GATE', gseq, gpart, gdone }  its predecessor is not routed yet (nothing written)
  Errors (nothing written): STORE_PARTITIONS_MISMATCH <stored P>, STORE_BAD_ARGS, STORE_WRONGTYPE.
]]
local meta = KEYS[1]
local prefix = ARGV[1]
local pos = {}
for v in string.gmatch(ARGV[2], '[^:]+') do pos[#pos + 1] = tonumber(v) end
local seq, part, last = pos[1], pos[2], pos[3]
local partitions = tonumber(ARGV[3])
local nOwners = tonumber(ARGV[6])
local icsAt = 7 + nOwners * 2
if (#ARGV - icsAt + 1) % 2 ~= 0 or icsAt > #ARGV + 1 then
  return redis.error_reply('STORE_BAD_ARGS ' .. #ARGV)
end

local m = redis.call('HMGET', meta, 'partitions', 'rseq', 'gseq', 'gpart', 'gdone')
if m[1] and tonumber(m[1]) ~= partitions then
  return redis.error_reply('STORE_PARTITIONS_MISMATCH ' .. m[1])
end
local rseq = tonumber(m[2] or '0')
local gseq, gpart, gdone = tonumber(m[3] or '0'), tonumber(m[4] or '0'), tonumber(m[5] or '1')
local routeKey = prefix .. 'route:' .. seq .. ':' .. part
-- Routed before (a redelivery, or a part of an input closed early): what it got then.
if gseq > seq or (gseq == seq and (gdone == 1 or gpart >= part)) then
  return { 'ROUTED', redis.call('GET', routeKey) or false }
end
local ready
if part == 0 then ready = (gseq == seq - 1 and gdone == 1) else ready = (gseq == seq and gpart == part - 1) end
if not ready then return { 'GATE', gseq, gpart, gdone } end

local refused = refuseWrongKinds({
  [prefix .. 'owners'] = 'hash',
  [prefix .. 'ic'] = 'hash',
  [routeKey] = 'string',
})
if refused then return refused end

local CHUNK = 500
local function hsetPairs(key, from, count)
  local args = {}
  for r = 0, count - 1 do
    args[#args + 1] = ARGV[from + r * 2]
    args[#args + 1] = ARGV[from + r * 2 + 1]
    if #args >= CHUNK * 2 or r == count - 1 then
      redis.call('HSET', key, unpack(args))
      args = {}
    end
  end
end
hsetPairs(prefix .. 'owners', 7, nOwners)
hsetPairs(prefix .. 'ic', icsAt, (#ARGV - icsAt + 1) / 2)
local r = rseq + 1
-- The routing record carries r: a redelivery must get the same partition positions.
redis.call('SET', routeKey, '{"r":' .. r .. ',' .. string.sub(ARGV[4], 2), 'EX', tonumber(ARGV[5]))
redis.call('HSET', meta, 'partitions', partitions, 'rseq', r, 'gseq', seq, 'gpart', part, 'gdone', last)
redis.call('PUBLISH', prefix .. 'gate', seq .. ':' .. part .. ':' .. last)
return { 'OK', r }
