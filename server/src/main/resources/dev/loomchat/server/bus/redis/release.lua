-- Deletes a nick key if this node holds it. KEYS: nick key; ARGV: node
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. '\t' then redis.call('DEL', KEYS[1]) end
return 0
