-- Appends one room event; membership changes and the log entry are one atomic step.
-- KEYS: ids, stream, members, rooms, roomnames, kicked (this room and nick: the kicked member's owner)
-- ARGV: maxlen, kind, room, node, nick, detail, ts, ref, roomKey, nickKey, detailKey,
--       memberLine ('m': refuse a line whose speaker's kick is logged), kickMemoryMs
-- Returns the entry's id, or 0 if a member's line was refused (nothing appended).
local kind = ARGV[2]
local owner = ARGV[4] .. '\t' .. ARGV[5]
if kind == 'SAY' and ARGV[12] == 'm' and redis.call('GET', KEYS[6]) == owner then
  return 0
end
local id = redis.call('INCR', KEYS[1])
if kind == 'JOIN' then
  redis.call('HSET', KEYS[3], ARGV[10], owner)
  redis.call('SADD', KEYS[4], ARGV[9])
  redis.call('HSETNX', KEYS[5], ARGV[9], ARGV[3])
  redis.call('DEL', KEYS[6])
elseif kind == 'PART' then
  if redis.call('HGET', KEYS[3], ARGV[10]) == owner then
    redis.call('HDEL', KEYS[3], ARGV[10])
  end
  if redis.call('HLEN', KEYS[3]) == 0 then
    redis.call('SREM', KEYS[4], ARGV[9])
  end
elseif kind == 'KICK' then
  local kicked = redis.call('HGET', KEYS[3], ARGV[10])
  if kicked then
    redis.call('SET', KEYS[6], kicked, 'PX', ARGV[13])
  end
  redis.call('HDEL', KEYS[3], ARGV[10])
  if redis.call('HLEN', KEYS[3]) == 0 then
    redis.call('SREM', KEYS[4], ARGV[9])
  end
elseif kind == 'NICK' then
  if redis.call('HGET', KEYS[3], ARGV[10]) == owner then
    redis.call('HDEL', KEYS[3], ARGV[10])
  end
  redis.call('HSET', KEYS[3], ARGV[11], ARGV[4] .. '\t' .. ARGV[6])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '0-' .. id,
  'k', kind, 'r', ARGV[3], 'n', ARGV[4], 'u', ARGV[5], 'd', ARGV[6], 't', ARGV[7], 'f', ARGV[8])
return id
