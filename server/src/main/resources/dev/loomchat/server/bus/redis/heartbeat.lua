-- A node's heartbeat, and the reaping of nodes whose heartbeat expired: their members leave
-- every room (a PART on the room's log, reason "disconnect"), once.
-- KEYS: nodes, rooms, roomnames, ids
-- ARGV: node, ttlMs, nodeKeyPrefix, membersPrefix, streamPrefix, maxlen, seedId, mayReap (1/0)
redis.call('SET', ARGV[3] .. ARGV[1], '1', 'PX', ARGV[2])
redis.call('SADD', KEYS[1], ARGV[1])
-- A Redis restarted without its data must not hand out ids that readers think they have seen.
local seed = tonumber(ARGV[7])
if tonumber(redis.call('GET', KEYS[4]) or '0') < seed then redis.call('SET', KEYS[4], seed) end
local reaped = 0
if ARGV[8] ~= '1' then return 0 end
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if node ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. node) == 0 then
    local now = redis.call('TIME')
    local ts = tostring(tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
    for _, room in ipairs(redis.call('SMEMBERS', KEYS[2])) do
      local members = ARGV[4] .. room
      local flat = redis.call('HGETALL', members)
      for i = 1, #flat, 2 do
        local v = flat[i + 1]
        if string.sub(v, 1, #node + 1) == node .. '\t' then
          redis.call('HDEL', members, flat[i])
          local id = redis.call('INCR', KEYS[4])
          redis.call('XADD', ARGV[5] .. room, 'MAXLEN', '~', ARGV[6], '0-' .. id,
            'k', 'PART', 'r', redis.call('HGET', KEYS[3], room) or room, 'n', node,
            'u', string.sub(v, #node + 2), 'd', 'disconnect', 't', ts, 'f', '')
          reaped = reaped + 1
        end
      end
      if redis.call('HLEN', members) == 0 then redis.call('SREM', KEYS[2], room) end
    end
    redis.call('SREM', KEYS[1], node)
  end
end
return reaped
