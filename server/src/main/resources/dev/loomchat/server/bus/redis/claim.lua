-- Claims nicks for a node: SET with expiry unless a live other node holds the nick (a nick of a
-- node whose heartbeat key expired is free). Also the owner's periodic refresh.
-- KEYS: nick keys; ARGV: node, ttlMs, nodeKeyPrefix, then one spelled nick per key
-- Returns, per key, 1 (held by this node now) or 0 (held by another live node).
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  local ok = 1
  if v then
    local owner = string.sub(v, 1, string.find(v, '\t', 1, true) - 1)
    if owner ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. owner) == 1 then ok = 0 end
  end
  if ok == 1 then redis.call('SET', key, ARGV[1] .. '\t' .. ARGV[3 + i], 'PX', ARGV[2]) end
  out[i] = ok
end
return out
