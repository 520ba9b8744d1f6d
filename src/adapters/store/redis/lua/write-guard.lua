--[[
  Prepended to each of the store's scripts (lua-scripts.ts). Redis does not roll a script back: a
  write that fails part-way (Redis' WRONGTYPE) leaves the writes before it in place. So a script calls
  this before its first write, with every key it will write and the kind that key must hold (or
  not exist yet); a reply means refuse, nothing written.
]]
local function refuseWrongKinds(kinds)
  for key, kind in pairs(kinds) do
    local t = redis.call('TYPE', key).ok
    if t ~= 'none' and t ~= kind then
      return redis.error_reply('STORE_WRONGTYPE ' .. key .. ' holds a ' .. t .. ', the script writes a ' .. kind)
    end
  end
  return nil
end
