-- A private message to whichever node holds the nick: onto that node's inbox stream.
-- KEYS: nick key, ids; ARGV: from, text, ts, maxlen, inboxPrefix, toKey
local v = redis.call('GET', KEYS[1])
if not v then return {} end
local tab = string.find(v, '\t', 1, true)
local node = string.sub(v, 1, tab - 1)
local nick = string.sub(v, tab + 1)
local id = redis.call('INCR', KEYS[2])
redis.call('XADD', ARGV[5] .. node, 'MAXLEN', '~', ARGV[4], '*',
  'k', 'MSG', 'i', id, 'u', ARGV[1], 'to', ARGV[6], 'n', nick, 'd', ARGV[2], 't', ARGV[3])
return {id, nick}
