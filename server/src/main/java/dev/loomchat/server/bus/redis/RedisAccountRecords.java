package dev.loomchat.server.bus.redis;

import dev.loomchat.server.store.AccountRecords;
import dev.loomchat.server.store.StoreUnavailableException;
import dev.loomchat.server.store.StoredAccount;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The accounts of a cluster, in the Redis its nodes share (README "Accounts"): one hash
 * per account, {@code loomchat:account:<folded nick>} with the fields {@code name} (as
 * registered), {@code hash} (the Argon2id PHC string, its parameters included), {@code created}
 * and {@code updated} (ms). Every node reads them on each look-up ({@link #shared()}): an
 * account registered, changed or deleted through one node holds on every node at once.
 *
 * <p>Writes are atomic (a Lua script each) and as durable as Redis makes them: with
 * {@code --appendonly yes --appendfsync always} (README "Cluster mode") each is on disk before
 * it is answered. A Redis that cannot be reached fails the call at once (the bus's connection:
 * commands refused while disconnected, 2 s timeout) with {@link StoreUnavailableException}.
 *
 * <p>Threading: safe from any thread (the bus's shared, pipelined connection).
 */
final class RedisAccountRecords implements AccountRecords {

    static final String PREFIX = "loomchat:account:";
    private static final RedisScript INSERT = RedisScript.load("account-insert", ScriptOutputType.INTEGER);
    private static final RedisScript UPDATE = RedisScript.load("account-update", ScriptOutputType.INTEGER);

    private final RedisCommands<String, String> redis;

    RedisAccountRecords(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Shared with every node: nothing of it may be cached. */
    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Optional<StoredAccount> find(String key) {
        Map<String, String> fields = call(() -> redis.hgetall(PREFIX + key));
        return Optional.ofNullable(account(key, fields));
    }

    /** Every account, by {@code SCAN} (nodes do not need it: they look accounts up one by one). */
    @Override
    public List<StoredAccount> all() {
        List<StoredAccount> all = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            KeyScanCursor<String> page = call(() -> redis.scan(from, ScanArgs.Builder.matches(PREFIX + "*").limit(500)));
            for (String redisKey : page.getKeys()) {
                find(redisKey.substring(PREFIX.length())).ifPresent(all::add);
            }
            cursor = page;
        } while (!cursor.isFinished());
        return all;
    }

    @Override
    public boolean insert(StoredAccount account) {
        return call(() -> INSERT.run(redis, List.of(PREFIX + account.key()), List.of(account.name(), account.hash(),
                Long.toString(account.createdMillis()), Long.toString(account.updatedMillis())))).equals(1L);
    }

    @Override
    public boolean update(StoredAccount account) {
        return call(() -> UPDATE.run(redis, List.of(PREFIX + account.key()),
                List.of(account.hash(), Long.toString(account.updatedMillis())))).equals(1L);
    }

    @Override
    public boolean delete(String key) {
        return call(() -> redis.del(PREFIX + key)) == 1;
    }

    /** The account in {@code fields}, or {@code null} if there is none (or only a part: never written so). */
    private static StoredAccount account(String key, Map<String, String> fields) {
        String name = fields.get("name");
        String hash = fields.get("hash");
        if (name == null || hash == null) {
            return null;
        }
        return new StoredAccount(key, name, hash, Long.parseLong(fields.getOrDefault("created", "0")),
                Long.parseLong(fields.getOrDefault("updated", "0")));
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("accounts in redis: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
