package dev.loomchat.protocol;

/**
 * The limits a server enforces, announced to each client in {@code welcome}. The defaults are
 * the ones PROTOCOL.md documents; a server may be configured with others and must announce what
 * it enforces. Every field is required on the wire.
 *
 * @param maxLineBytes       longest client line accepted, in bytes, not counting the {@code \n}
 * @param maxTextChars       longest {@code text} of say/msg, in Unicode code points
 * @param msgRate            sustained request rate per client, requests per second
 * @param msgBurst           requests a client may send at once before the rate applies
 * @param maxRooms           rooms one client may be in at the same time
 * @param historyLength      messages a room remembers for replay
 * @param idleTimeoutSeconds silence after which the server sends a keepalive {@code ping}
 * @param pingTimeoutSeconds time after that ping within which any frame must arrive, else the
 *                           server closes with {@code idle_timeout}
 */
public record Limits(
        @Required int maxLineBytes,
        @Required int maxTextChars,
        @Required int msgRate,
        @Required int msgBurst,
        @Required int maxRooms,
        @Required int historyLength,
        @Required int idleTimeoutSeconds,
        @Required int pingTimeoutSeconds) {

    /** Default {@link #maxLineBytes()}: 64 KiB, the same as {@link LineReader#DEFAULT_MAX_LINE_BYTES}. */
    public static final int DEFAULT_MAX_LINE_BYTES = LineReader.DEFAULT_MAX_LINE_BYTES;
    /** Default {@link #maxTextChars()}, the same as {@link ContentRules#MAX_TEXT_CODE_POINTS}. */
    public static final int DEFAULT_MAX_TEXT_CHARS = ContentRules.MAX_TEXT_CODE_POINTS;
    /** Default {@link #msgRate()}: 10 requests per second. */
    public static final int DEFAULT_MSG_RATE = 10;
    /** Default {@link #msgBurst()}: 20 requests. */
    public static final int DEFAULT_MSG_BURST = 20;
    /** Default {@link #maxRooms()}: 50 rooms per client. */
    public static final int DEFAULT_MAX_ROOMS = 50;
    /** Default {@link #historyLength()}: 100 messages per room. */
    public static final int DEFAULT_HISTORY_LENGTH = 100;
    /** Default {@link #idleTimeoutSeconds()}: 60 s of silence before a keepalive ping. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    /** Default {@link #pingTimeoutSeconds()}: 30 s after the ping before disconnecting. */
    public static final int DEFAULT_PING_TIMEOUT_SECONDS = 30;

    /** The documented defaults. */
    public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_TEXT_CHARS,
            DEFAULT_MSG_RATE, DEFAULT_MSG_BURST, DEFAULT_MAX_ROOMS, DEFAULT_HISTORY_LENGTH,
            DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_PING_TIMEOUT_SECONDS);
}
