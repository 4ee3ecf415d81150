package dev.loomchat.protocol;

/** Protocol-wide constants from PROTOCOL.md that both ends need. */
public final class Protocol {

    /** The protocol version this library speaks; sent as {@code proto} in hello and welcome. */
    public static final int VERSION = 1;

    /** The TCP port a server listens on unless configured otherwise. */
    public static final int DEFAULT_PORT = 9999;

    /**
     * The longest line a client must be able to read from a server, in bytes (1 MiB). Client to
     * server lines are limited by {@link Limits#maxLineBytes()} (64 KiB by default); server
     * frames can be longer because a {@code who} or {@code rooms} reply on a busy server lists
     * many names. A server never sends a longer line.
     */
    public static final int MAX_SERVER_LINE_BYTES = 1 << 20;

    private Protocol() {
    }
}
