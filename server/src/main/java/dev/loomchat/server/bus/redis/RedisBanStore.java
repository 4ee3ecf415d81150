package dev.loomchat.server.bus.redis;

import dev.loomchat.server.chat.BanStore;
import dev.loomchat.server.chat.ServerBan;
import dev.loomchat.server.store.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server bans of a cluster, in the Redis its nodes share (README "Operators and bans"): one
 * hash, {@code loomchat:bans}, a field per ban ({@code "<kind> <mask>"}, e.g.
 * {@code "address 203.0.113.0/24"}) whose value is {@code "<set ms> <expires ms> <by> <reason>"}
 * (the reason last, so it may hold anything). The store is {@linkplain #shared() shared}: each
 * node reads it again on every keepalive tick, so a ban set or lifted through one node holds on
 * all of them within a tick.
 *
 * <p>A Redis that cannot be reached fails the call at once with
 * {@link StoreUnavailableException} (the operator's {@code ban} is then answered
 * {@code unavailable}; a node's re-read is skipped until the next tick).
 *
 * <p>Threading: safe from any thread (the bus's shared connection).
 */
final class RedisBanStore implements BanStore {

    static final String KEY = "loomchat:bans";

    private final RedisCommands<String, String> redis;

    RedisBanStore(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public List<ServerBan> all() {
        Map<String, String> fields = call(() -> redis.hgetall(KEY));
        List<ServerBan> all = new ArrayList<>(fields.size());
        for (Map.Entry<String, String> field : fields.entrySet()) {
            ServerBan ban = ban(field.getKey(), field.getValue());
            if (ban != null) {
                all.add(ban);
            }
        }
        return all;
    }

    @Override
    public void put(ServerBan ban) {
        call(() -> redis.hset(KEY, field(ban.kind(), ban.mask()),
                ban.setMillis() + " " + ban.expiresMillis() + " " + ban.by() + " " + ban.reason()));
    }

    @Override
    public void remove(ServerBan.Kind kind, String mask) {
        call(() -> redis.hdel(KEY, field(kind, mask)));
    }

    private static String field(ServerBan.Kind kind, String mask) {
        return kind.name().toLowerCase(Locale.ROOT) + " " + mask;
    }

    /** The ban a field holds, or {@code null} for one this version cannot read (a newer kind). */
    private static ServerBan ban(String field, String value) {
        String[] key = field.split(" ", 2);
        String[] parts = value.split(" ", 4);
        if (key.length != 2 || parts.length < 3) {
            return null;
        }
        try {
            ServerBan.Kind kind = ServerBan.Kind.valueOf(key[0].toUpperCase(Locale.ROOT));
            return new ServerBan(kind, key[1], parts.length == 4 ? parts[3] : "", parts[2], Long.parseLong(parts[0]),
                    Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("bans in redis: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
