package dev.loomchat.server.chat;

import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server-wide bound on the bytes of room history held in memory: every room's remembered
 * messages are {@linkplain Entry entries} here, in the order they were remembered, and when the
 * total exceeds the bound the oldest entries of any room are forgotten first. A room keeps an
 * entry until it trims it itself (its own length bound) or the budget forgets it; a forgotten
 * entry is an empty shell that the room drops the next time it looks (forgetting oldest first
 * only ever empties a prefix of each room's history).
 *
 * <p>Sizes are estimates of the heap a message holds (its strings and objects), not exact.
 *
 * <p>Threading: any thread. One short lock per remembered message; never taken inside it: a
 * room's lock (callers hold theirs while they call in, never the other way round).
 */
final class HistoryBudget {

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    /** Entries in the order remembered; released ones are compacted away lazily. */
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private long bytes;
    private int releasedInOrder;

    /** @param maxBytes the bound on all rooms' history together; 0 keeps nothing */
    HistoryBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** One remembered message; {@link #message()} is {@code null} once forgotten. */
    static final class Entry {
        private volatile ChatMessage message;
        private final long bytes;

        private Entry(ChatMessage message, long bytes) {
            this.message = message;
            this.bytes = bytes;
        }

        /** The message, or {@code null} if the budget forgot it. */
        ChatMessage message() {
            return message;
        }
    }

    /**
     * Remembers {@code message}, releasing {@code trimmed} (the entry its room drops to make
     * room, or {@code null}) in the same step; forgets the oldest entries beyond the bound.
     */
    Entry remember(ChatMessage message, Entry trimmed) {
        Entry entry = new Entry(message, estimate(message));
        lock.lock();
        try {
            if (trimmed != null) {
                release(trimmed);
            }
            order.addLast(entry);
            bytes += entry.bytes;
            while (bytes > maxBytes && !order.isEmpty()) {
                Entry oldest = order.pollFirst();
                if (oldest.message == null) {
                    releasedInOrder--;
                } else {
                    oldest.message = null;
                    bytes -= oldest.bytes;
                }
            }
            if (releasedInOrder > 64 && releasedInOrder > order.size() / 2) {
                order.removeIf(e -> e.message == null);
                releasedInOrder = 0;
            }
            return entry;
        } finally {
            lock.unlock();
        }
    }

    /** Releases entries a room drops (the room was discarded). */
    void releaseAll(Iterable<Entry> entries) {
        lock.lock();
        try {
            for (Entry entry : entries) {
                release(entry);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes held now (estimated). */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    private void release(Entry entry) {
        if (entry.message != null) {
            entry.message = null;
            bytes -= entry.bytes;
            releasedInOrder++;
        }
    }

    /** Heap held by a remembered message: its record, its strings (at most 2 bytes a char), the entry. */
    static long estimate(ChatMessage message) {
        long chars = message.text().length() + message.from().length();
        return 96 + 2 * chars;
    }
}
