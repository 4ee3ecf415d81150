package dev.loomchat.server.store;

import java.util.List;
import java.util.Map;

/**
 * Where room messages outlive their room and the server: the ids, the writes, the pages of a
 * room's history. What the bus sees of the store; nothing here is SQL.
 *
 * <p>Writes never wait for the disk unless the store was opened to sync: {@link #append} queues
 * the message and a writer commits the queue in batches; until then, reads still see it. With
 * sync, {@link #append} returns once the message is durable.
 *
 * <p>Threading: every method is safe from any thread.
 */
public interface MessageStore extends AutoCloseable {

    /** A fresh message id: greater than every id this store handed out before, in this run or an earlier one. */
    long nextId();

    /**
     * Stores a room message (its id from {@link #nextId}). Queued, and returns at once; when the
     * queue is full (the disk is far behind or failing) the message is kept in memory only and
     * counted ({@code storeDropped}). With sync, returns once it is durable.
     *
     * @throws StoreUnavailableException with sync only: the message could not be made durable
     */
    void append(StoredMessage message);

    /** The newest {@code limit} messages of the room with an id below {@code beforeId}, oldest first. */
    Page before(String roomKey, long beforeId, int limit);

    /** The oldest {@code limit} messages of the room with an id above {@code afterId}, oldest first. */
    Page after(String roomKey, long afterId, int limit);

    /** The store's counters for {@code stats} ({@code storeDegraded} 0 or 1, queue length, drops). */
    Map<String, Long> stats();

    /** Writes what is queued (within a bounded time), then closes the database and unlocks the directory. */
    @Override
    void close();

    /**
     * Some of a room's messages, oldest first.
     *
     * @param more whether the room has further messages beyond these in the direction asked
     */
    record Page(List<StoredMessage> messages, boolean more) {
        public Page {
            messages = List.copyOf(messages);
        }
    }
}
