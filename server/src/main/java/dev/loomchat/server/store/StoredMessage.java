package dev.loomchat.server.store;

import java.util.Objects;

/**
 * One room message as the store keeps it.
 *
 * @param id      the message id (unique and increasing across rooms and restarts)
 * @param roomKey the room's folded name (rooms compare case-insensitively)
 * @param from    the sender's nick at that time
 * @param text    the text
 * @param ts      when the server accepted it, epoch ms UTC
 */
public record StoredMessage(long id, String roomKey, String from, String text, long ts) {
    public StoredMessage {
        Objects.requireNonNull(roomKey, "roomKey");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
    }

    /** Heap held while queued (its strings at most 2 bytes a char, the records): an estimate. */
    long estimatedBytes() {
        return 128 + 2L * (roomKey.length() + from.length() + text.length());
    }
}
