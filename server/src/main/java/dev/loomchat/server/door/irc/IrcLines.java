package dev.loomchat.server.door.irc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds IRC lines, each ending in CRLF: numerics from the server ({@code :loomchat 001 nick …}),
 * and the names everything on this door goes by. Not thread-safe: one per frame being built.
 */
final class IrcLines {

    /** The server's name: the source of numerics and the server in every reply. */
    static final String SERVER = "loomchat";
    /** The user and host part of every client's source: loomchat has no idents and hides addresses. */
    static final String USER = "chat";
    static final String HOST = "loomchat";
    /** The most bytes of one line without its CRLF. */
    static final int MAX_BODY_BYTES = IrcLineReader.MAX_LINE_BYTES - 2;

    private static final DateTimeFormatter SERVER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final StringBuilder lines = new StringBuilder(128);

    /** {@code nick!chat@loomchat}: the source of everything a client does. */
    static String source(String nick) {
        return nick + '!' + USER + '@' + HOST;
    }

    /** The {@code server-time} tag's value for epoch milliseconds {@code ts}. */
    static String time(long ts) {
        return SERVER_TIME.format(Instant.ofEpochMilli(ts));
    }

    /**
     * A numeric to {@code nick}: {@code :loomchat CODE NICK PARAMS…}, the last parameter as the
     * trailing one (with its colon), as most servers send it.
     */
    IrcLines numeric(String code, String nick, String... params) {
        lines.append(':').append(SERVER).append(' ').append(code).append(' ').append(nick);
        for (int i = 0; i < params.length; i++) {
            lines.append(i == params.length - 1 ? " :" : " ").append(params[i]);
        }
        lines.append("\r\n");
        return this;
    }

    /** A line as it is. */
    IrcLines line(String line) {
        lines.append(line).append("\r\n");
        return this;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    @Override
    public String toString() {
        return lines.toString();
    }

    IrcFrame frame() {
        return lines.isEmpty() ? IrcFrame.EMPTY : IrcFrame.of(lines.toString());
    }

    /** The UTF-8 length of {@code text}. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Cuts {@code text} into pieces of at most {@code maxBytes} UTF-8 bytes each, in order, never
     * inside a code point, at a space where one is in the second half of a piece (the space stays
     * at the end of the earlier piece, so the pieces join back to the text).
     */
    static List<String> split(String text, int maxBytes) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int bytes = 0;
            int i = from;
            int lastSpace = -1;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (bytes + len > maxBytes) {
                    break;
                }
                bytes += len;
                i += Character.charCount(cp);
                if (cp == ' ' && bytes > maxBytes / 2) {
                    lastSpace = i;
                }
            }
            int to = i < text.length() && lastSpace > from ? lastSpace : i;
            if (to == from) {
                to = text.offsetByCodePoints(from, 1); // cannot happen for maxBytes >= 4
            }
            pieces.add(text.substring(from, to));
            from = to;
        }
        return pieces;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
