-- Adds an account unless one with its key exists. KEYS: account hash; ARGV: name, hash, created, updated
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'hash', ARGV[2], 'created', ARGV[3], 'updated', ARGV[4])
return 1
