package dev.loomchat.server.chat;

import dev.loomchat.protocol.ServerMessage;

/**
 * How a door's wire encodes the events the core sends: one instance per door (a JSON line, a
 * WebSocket text message, an IRC line). {@link Outgoing} caches each format's encoding, so a
 * room message is encoded once per format however many members get it.
 *
 * <p>Implementations are stateless and thread-safe; the encoded frames are immutable.
 *
 * @param <F> the encoded frame
 */
public interface WireFormat<F> {

    /** {@code message} encoded for this wire. */
    F encode(ServerMessage message);

    /** The bytes {@code frame} takes on the wire (what the outbox's byte bound counts). */
    int size(F frame);
}
