-- Every room with members: name, count pairs. KEYS: rooms, roomnames; ARGV: membersPrefix
local out = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local n = redis.call('HLEN', ARGV[1] .. key)
  if n > 0 then
    table.insert(out, redis.call('HGET', KEYS[2], key) or key)
    table.insert(out, n)
  end
end
return out
