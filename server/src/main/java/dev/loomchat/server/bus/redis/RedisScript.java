package dev.loomchat.server.bus.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Lua script shipped as a resource beside this class, run with {@code EVALSHA} and loaded
 * again when Redis answers {@code NOSCRIPT} (a restarted Redis has forgotten its scripts).
 * Scripts make each multi-key step atomic: Redis runs one script at a time.
 */
final class RedisScript {

    private final String name;
    private final String source;
    private final ScriptOutputType output;
    private volatile String sha;

    private RedisScript(String name, String source, ScriptOutputType output) {
        this.name = name;
        this.source = source;
        this.output = output;
    }

    static RedisScript load(String name, ScriptOutputType output) {
        try (InputStream in = RedisScript.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + name + ".lua");
            }
            return new RedisScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script; the reply as {@link ScriptOutputType} maps it (Long, or a List). */
    Object run(RedisCommands<String, String> redis, List<String> keys, List<String> args) {
        String[] k = keys.toArray(String[]::new);
        String[] a = args.toArray(String[]::new);
        String known = sha;
        if (known != null) {
            try {
                return redis.evalsha(known, output, k, a);
            } catch (RedisNoScriptException e) {
                // Redis restarted: load it again below.
            }
        }
        sha = redis.scriptLoad(source);
        return redis.evalsha(sha, output, k, a);
    }

    @Override
    public String toString() {
        return name;
    }
}
