--[[
  Reserves `count` consecutive control numbers for (partner, kind); wraps to 1 past `max`.
  KEYS[1] control-number hash; ARGV: field, count, max. Reply: the first reserved number.
]]
local first = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '1')
local count, max = tonumber(ARGV[2]), tonumber(ARGV[3])
if first + count - 1 > max then first = 1 end
redis.call('HSET', KEYS[1], ARGV[1], first + count)
return first
