package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages already shown, so that the history replayed on a re-join after a reconnect shows
 * only what was missed. Keyed by {@code id}, {@code ts} and sender, not by {@code id} alone:
 * ids are unique only for one server's lifetime, and a restarted server counts from the start
 * again. Bounded (oldest forgotten first); thread-safe.
 */
final class SeenMessages {

    private record Key(long id, long ts, String from) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, Boolean> seen;

    SeenMessages(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records {@code message}; true if it had been recorded before. */
    boolean seenBefore(ServerMessage.ChatMessage message) {
        lock.lock();
        try {
            return seen.put(new Key(message.id(), message.ts(), message.from()), Boolean.TRUE) != null;
        } finally {
            lock.unlock();
        }
    }
}
