package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;

/**
 * Where the client shows what happens: the plain script format, raw JSON, or the terminal.
 * Implementations must be thread-safe: frames arrive on the connection's reader thread,
 * notices from any thread.
 */
interface ChatView {

    /** A frame from the server; {@code raw} is its JSON text as received. */
    void frame(ServerMessage frame, String raw, FrameContext context);

    /** Something the client itself says. */
    void notice(Notice notice);

    /** The current room changed (to {@code room}, or null for none); e.g. to update a prompt. */
    default void currentRoomChanged(String room) {
    }
}
