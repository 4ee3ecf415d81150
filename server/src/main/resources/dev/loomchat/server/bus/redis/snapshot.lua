-- The newest entry id of a room's log and its members, read atomically.
-- KEYS: stream, members
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local last = '0-0'
if #top > 0 then last = top[1][1] end
return {last, redis.call('HVALS', KEYS[2])}
