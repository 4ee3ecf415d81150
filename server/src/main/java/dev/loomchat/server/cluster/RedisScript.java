package dev.loomchat.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script shipped as a resource beside this class, run with {@code EVALSHA} and loaded
 * again when Redis answers {@code NOSCRIPT} (a restarted Redis has forgotten its scripts).
 * Scripts make each multi-key step atomic: Redis runs one script at a time.
 */
final class RedisScript {

    private final String name;
    private final String source;
    private volatile String sha;

    private RedisScript(String name, String source) {
        this.name = name;
        this.source = source;
    }

    static RedisScript load(String name) {
        try (InputStream in = RedisScript.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + name + ".lua");
            }
            return new RedisScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        String known = sha;
        if (known != null) {
            try {
                return redis.evalsha(known, keys, args);
            } catch (JedisNoScriptException e) {
                // Redis restarted: load it again below.
            }
        }
        sha = redis.scriptLoad(source);
        return redis.evalsha(sha, keys, args);
    }

    @Override
    public String toString() {
        return name;
    }
}
