package dev.loomchat.server.door.irc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One event encoded for IRC: one or more lines, each ending in {@code \r\n}, and the same lines
 * with their IRCv3 tags ({@code @time=…;msgid=… }) in front. An event is encoded once for every
 * IRC connection; each connection's writer sends the variant its client negotiated
 * ({@code server-time} or {@code message-tags}: {@link #tagged}; neither: {@link #plain}). Most of
 * a frame is the same in both, but a tag-less client must never see a tag, and a room's fan-out
 * reaches both kinds. Immutable.
 */
final class IrcFrame {

    /** Nothing to send (the own copy of a message for a client without {@code echo-message}, …). */
    static final IrcFrame EMPTY = new IrcFrame(new byte[0], null);

    private final byte[] plain;
    private final byte[] tagged;

    /** @param tagged the lines with tags, or {@code null} if they have none (then {@code plain} serves both) */
    private IrcFrame(byte[] plain, byte[] tagged) {
        this.plain = plain;
        this.tagged = tagged;
    }

    /** Lines without tags (each already ending in CRLF). */
    static IrcFrame of(String lines) {
        return new IrcFrame(lines.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Lines without tags and the same lines with tags. */
    static IrcFrame of(String plain, String tagged) {
        return new IrcFrame(plain.getBytes(StandardCharsets.UTF_8), tagged.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes the larger variant takes: what the outbox's byte bound counts. */
    int size() {
        return tagged == null ? plain.length : Math.max(plain.length, tagged.length);
    }

    /** Writes the variant for a client that does ({@code tags}) or does not take tags; returns the bytes written. */
    int writeTo(OutputStream out, boolean tags) throws IOException {
        byte[] bytes = tags && tagged != null ? tagged : plain;
        out.write(bytes);
        return bytes.length;
    }

    /** The plain lines, for tests and logs. */
    @Override
    public String toString() {
        return new String(plain, StandardCharsets.UTF_8);
    }

    /** The tagged lines, for tests. */
    String taggedText() {
        return new String(tagged == null ? plain : tagged, StandardCharsets.UTF_8);
    }
}
