package dev.loomchat.server.chat;

/**
 * A door's end of one client connection: all the chat core needs of a door. The core queues
 * events to the connection's {@link #outbox()}, whose {@link WireFormat} is the door's (the
 * door turns events into its wire format, and drains the outbox to its output); the core
 * {@linkplain #close() closes} the connection when a session is cut off (slow consumer, idle
 * timeout, flood) or a shutdown's grace period ends. Why a session ended is the core's
 * ({@link Session#endReason()}); the last words a client gets are queued to the outbox
 * ({@link Outbox#abortWith}) before the close.
 *
 * <p>Threading: {@link #outbox()} and {@link #close()} from any thread.
 */
public interface Peer {

    /** The connection's bounded outbound queue, in the door's wire format. */
    Outbox<?> outbox();

    /**
     * Writes now, on the calling thread, the replies the connection's reader queued for its own
     * client. The core calls it, on the reader thread only, before it makes the reader wait
     * (flood control's delay, a full outbound queue), so that the client has its answers
     * meanwhile. Never throws: a failed write closes the connection.
     */
    void flushReplies();

    /** Closes the connection now; idempotent. The door's reader and writer then end. */
    void close();
}
