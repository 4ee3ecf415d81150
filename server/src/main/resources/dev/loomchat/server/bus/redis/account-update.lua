-- Replaces an existing account's password hash. KEYS: account hash; ARGV: hash, updated
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'updated', ARGV[2])
return 1
