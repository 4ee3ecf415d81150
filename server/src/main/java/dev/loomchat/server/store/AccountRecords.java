package dev.loomchat.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Where accounts are kept: the history store's {@code accounts} table
 * ({@link SqliteMessageStore#accounts()}), memory ({@link MemoryAccountRecords}, with
 * {@code --data none}), or, in cluster mode, the Redis every node shares
 * ({@code dev.loomchat.server.bus.redis.RedisAccountRecords}). Every write is durable when it
 * returns (as durable as Redis is configured to make it, there). Nothing here is SQL.
 *
 * <p>Threading: every method is safe from any thread.
 */
public interface AccountRecords {

    /** Every account (read once, at start, by a server that keeps them in memory). */
    List<StoredAccount> all();

    /**
     * Whether other servers change these records too (cluster mode): then a server must look
     * each account up with {@link #find} when it needs it, and keep none in memory.
     */
    default boolean shared() {
        return false;
    }

    /**
     * The account {@code key}, as the records hold it now.
     *
     * @throws StoreUnavailableException if it cannot be read
     */
    default Optional<StoredAccount> find(String key) {
        return all().stream().filter(account -> account.key().equals(key)).findFirst();
    }

    /**
     * Adds {@code account}; false if one with its key exists.
     *
     * @throws StoreUnavailableException if it cannot be written
     */
    boolean insert(StoredAccount account);

    /** Replaces the hash of the account with {@code account}'s key; false if there is none. */
    boolean update(StoredAccount account);

    /** Deletes the account {@code key}; false if there is none. */
    boolean delete(String key);
}
