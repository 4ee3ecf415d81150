-- Which of some nicks a live node other than the caller holds: for WHOIS and ISON.
-- KEYS: nick keys; ARGV: node, nodeKeyPrefix
-- Returns, per key, the nick as its holder spells it, or '' (free, this node's, or a dead node's).
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = ''
  local v = redis.call('GET', key)
  if v then
    local tab = string.find(v, '\t', 1, true)
    local owner = string.sub(v, 1, tab - 1)
    if owner ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. owner) == 1 then
      out[i] = string.sub(v, tab + 1)
    end
  end
end
return out
