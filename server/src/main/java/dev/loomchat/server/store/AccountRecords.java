package dev.loomchat.server.store;

import java.util.List;

/**
 * Where accounts are kept: the history store's {@code accounts} table
 * ({@link SqliteMessageStore#accounts()}), or memory ({@link MemoryAccountRecords}, with
 * {@code --data none}). Every write is durable when it returns. Nothing here is SQL.
 *
 * <p>Threading: every method is safe from any thread.
 */
public interface AccountRecords {

    /** Every account (read once, at start). */
    List<StoredAccount> all();

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
