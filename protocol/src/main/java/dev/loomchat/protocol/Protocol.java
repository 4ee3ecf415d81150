package dev.loomchat.protocol;

/** Protocol-wide constants from PROTOCOL.md that both ends need. */
public final class Protocol {

    /** The protocol version this library speaks; sent as {@code proto} in hello and welcome. */
    public static final int VERSION = 1;

    /** The TCP port a server listens on unless configured otherwise. */
    public static final int DEFAULT_PORT = 9999;

    /** The TCP port of the same protocol over TLS, unless configured otherwise (PROTOCOL.md §1). */
    public static final int DEFAULT_TLS_PORT = 9998;

    /**
     * The longest line a client must be able to read from a server, in bytes (1 MiB). Client to
     * server lines are limited by {@link Limits#maxLineBytes()} (64 KiB by default); server
     * frames can be longer because a {@code who} or {@code rooms} reply on a busy server lists
     * many names. A server never sends a longer line.
     */
    public static final int MAX_SERVER_LINE_BYTES = 1 << 20;

    /**
     * The longest {@code ref} a client may send, in Unicode code points (64): room for any
     * counter, UUID or ULID a client would use as a correlation id. {@link Codec#CLIENT_TO_SERVER}
     * answers a longer one with {@code bad_request}, without a ref. A bound on it is also a bound
     * on what a request can make the server send back: the ref is copied into every reply frame
     * (a join's replay included).
     */
    public static final int MAX_REF_LENGTH = 64;

    private Protocol() {
    }
}
