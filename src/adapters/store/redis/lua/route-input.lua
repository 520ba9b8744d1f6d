--[[
  Records the routing of one input of a partitioned store (issue #15), in arrival order.

  KEYS[1]  router meta hash (partitions, rseq)
  ARGV[1]  router key prefix (one {hash tag}: every router key in one slot)
  ARGV[2]  arrival sequence n of the input
  ARGV[3]  partitions P this worker routes for
  ARGV[4]  the input's routing (JSON, stored as it is and returned to a redelivery)
  ARGV[5]  seconds to keep the routing record
  ARGV[6]  how many owner records follow
  ARGV[7..] owners   bill, partition      bills whose owning partition is new or changed
            then ics  f, file              interchange de-dup records of the input's fresh interchanges

  Replies:
    { 'OK' }                     routed
    { 'ROUTED', routing }        n was routed before: its stored routing (nothing written)
    { 'GATE', rseq }             n - 1 is not routed yet (nothing written)
  Errors (nothing written): STORE_PARTITIONS_MISMATCH <stored P>, STORE_BAD_ARGS, STORE_WRONGTYPE.
]]
local meta = KEYS[1]
local prefix = ARGV[1]
local seq = tonumber(ARGV[2])
local partitions = tonumber(ARGV[3])
local nOwners = tonumber(ARGV[6])
local icsAt = 7 + nOwners * 2
if (#ARGV - icsAt + 1) % 2 ~= 0 or icsAt > #ARGV + 1 then
  return redis.error_reply('STORE_BAD_ARGS ' .. #ARGV)
end

local m = redis.call('HMGET', meta, 'partitions', 'rseq')
if m[1] and tonumber(m[1]) ~= partitions then
  return redis.error_reply('STORE_PARTITIONS_MISMATCH ' .. m[1])
end
local rseq = tonumber(m[2] or '0')
if seq <= rseq then
  return { 'ROUTED', redis.call('GET', prefix .. 'route:' .. seq) or false }
end
if seq ~= rseq + 1 then return { 'GATE', rseq } end

local refused = refuseWrongKinds({
  [prefix .. 'owners'] = 'hash',
  [prefix .. 'ic'] = 'hash',
  [prefix .. 'route:' .. seq] = 'string',
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
redis.call('SET', prefix .. 'route:' .. seq, ARGV[4], 'EX', tonumber(ARGV[5]))
redis.call('HSET', meta, 'partitions', partitions, 'rseq', seq)
return { 'OK' }
