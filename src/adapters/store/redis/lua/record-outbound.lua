--[[
  Records generated outbound files and takes their decisions off the pending set, atomically.
  Refuses (writing nothing) when a decision is no longer pending or a file name is taken (also by
  another file of the same call): two
  emitters racing on the same decisions cannot both send them.

  KEYS[1]  pending zset (decision ids by seq)
  KEYS[2]  outbound files hash (name -> JSON)
  KEYS[3]  unwritten set (names recorded but not yet on disk)
  ARGV[1]  JSON: { name, json, ids[] }[]

  Replies: 'OK' | error STORE_NOT_PENDING <id> | error STORE_FILE_EXISTS <name> (src/core/errors/store-codes.ts)
]]
local files = cjson.decode(ARGV[1])
-- The pending zset and the files hash are read below; the unwritten set is only written, so its
-- kind is checked here, before the first write (write-guard.lua).
local refused = refuseWrongKinds({ [KEYS[3]] = 'set' })
if refused then return refused end
-- A name or decision appearing twice in this call is refused like a stored one.
local names, claimed = {}, {}
for _, f in ipairs(files) do
  if names[f.name] or redis.call('HEXISTS', KEYS[2], f.name) == 1 then
    return redis.error_reply('STORE_FILE_EXISTS ' .. f.name)
  end
  names[f.name] = true
  for _, id in ipairs(f.ids) do
    if claimed[id] or not redis.call('ZSCORE', KEYS[1], id) then return redis.error_reply('STORE_NOT_PENDING ' .. id) end
    claimed[id] = true
  end
end
for _, f in ipairs(files) do
  redis.call('HSET', KEYS[2], f.name, f.json)
  redis.call('SADD', KEYS[3], f.name)
  for _, id in ipairs(f.ids) do redis.call('ZREM', KEYS[1], id) end
end
return 'OK'
