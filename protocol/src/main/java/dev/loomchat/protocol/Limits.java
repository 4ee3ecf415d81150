package dev.loomchat.protocol;

/**
 * The limits a server enforces, announced to each client in {@code welcome}. The defaults are
 * the ones PROTOCOL.md documents; a server may be configured with others and must announce what
 * it enforces. Every field is required on the wire.
 *
 * <p>A server builds them from its configuration with the eight-argument constructor (the
 * fields every server has) and the {@code with...} methods for the bounds of its outbound
 * queue and history replay, which otherwise keep their documented defaults.
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
 * @param maxRefLength       longest {@code ref} a request may carry, in Unicode code points; a
 *                           longer one is {@code bad_request}. The codec enforces
 *                           {@link Protocol#MAX_REF_LENGTH}, so a server announces that.
 * @param outboxFrames       frames the server queues for one client before dropping it as a
 *                           slow consumer
 * @param outboxBytes        bytes the server queues for one client (every frame counted, history
 *                           replay included) before dropping it as a slow consumer
 * @param replayBytes        most bytes of {@code message} frames one {@code join} or
 *                           {@code history} replays; older messages beyond it are left out
 */
public record Limits(
        @Required int maxLineBytes,
        @Required int maxTextChars,
        @Required int msgRate,
        @Required int msgBurst,
        @Required int maxRooms,
        @Required int historyLength,
        @Required int idleTimeoutSeconds,
        @Required int pingTimeoutSeconds,
        @Required int maxRefLength,
        @Required int outboxFrames,
        @Required int outboxBytes,
        @Required int replayBytes) {

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
    /** Default {@link #maxRefLength()}: {@link Protocol#MAX_REF_LENGTH}, 64 code points. */
    public static final int DEFAULT_MAX_REF_LENGTH = Protocol.MAX_REF_LENGTH;
    /** Default {@link #outboxFrames()}: 8192 frames. */
    public static final int DEFAULT_OUTBOX_FRAMES = 8192;
    /** Default {@link #outboxBytes()}: 1 MiB. */
    public static final int DEFAULT_OUTBOX_BYTES = 1 << 20;
    /** Default {@link #replayBytes()}: 256 KiB. */
    public static final int DEFAULT_REPLAY_BYTES = 256 * 1024;

    /** The documented defaults. */
    public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_TEXT_CHARS,
            DEFAULT_MSG_RATE, DEFAULT_MSG_BURST, DEFAULT_MAX_ROOMS, DEFAULT_HISTORY_LENGTH,
            DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_PING_TIMEOUT_SECONDS);

    /**
     * The first eight limits as given; {@link #maxRefLength()}, {@link #outboxFrames()},
     * {@link #outboxBytes()} and {@link #replayBytes()} get their defaults.
     */
    public Limits(int maxLineBytes, int maxTextChars, int msgRate, int msgBurst, int maxRooms, int historyLength,
                  int idleTimeoutSeconds, int pingTimeoutSeconds) {
        this(maxLineBytes, maxTextChars, msgRate, msgBurst, maxRooms, historyLength, idleTimeoutSeconds,
                pingTimeoutSeconds, DEFAULT_MAX_REF_LENGTH, DEFAULT_OUTBOX_FRAMES, DEFAULT_OUTBOX_BYTES,
                DEFAULT_REPLAY_BYTES);
    }

    /** These limits with the bounds of the per-client outbound queue. */
    public Limits withOutbox(int outboxFrames, int outboxBytes) {
        return new Limits(maxLineBytes, maxTextChars, msgRate, msgBurst, maxRooms, historyLength, idleTimeoutSeconds,
                pingTimeoutSeconds, maxRefLength, outboxFrames, outboxBytes, replayBytes);
    }

    /** These limits with the byte bound of one history replay. */
    public Limits withReplayBytes(int replayBytes) {
        return new Limits(maxLineBytes, maxTextChars, msgRate, msgBurst, maxRooms, historyLength, idleTimeoutSeconds,
                pingTimeoutSeconds, maxRefLength, outboxFrames, outboxBytes, replayBytes);
    }
}
