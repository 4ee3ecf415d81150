package dev.loomchat.server.door.irc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a client's IRC lines: each ends with {@code \r\n} or a bare {@code \n} (many clients and
 * every hand-typed {@code nc} session send that), is at most 512 bytes with its line ending, plus
 * up to 8191 bytes of IRCv3 message tags in front. A longer line is not buffered: its bytes are
 * skipped up to its end, and it reads as {@link Line.TooLong} (the door answers
 * {@code 417 ERR_INPUTTOOLONG} and goes on), so a 100 KB line costs the server a fixed buffer.
 *
 * <p>Encoding: IRC has none. A line that is valid UTF-8 is read as UTF-8 (what every current
 * client sends); any other line is read as ISO-8859-1 (Latin-1), the legacy encoding of most old
 * clients and scripts, so its text arrives readable rather than as replacement characters. Every
 * byte sequence decodes to something: bad input never ends the connection.
 *
 * <p>One owner thread: the connection's reader.
 */
final class IrcLineReader {

    /** The most bytes of a line without its tags, its line ending included (RFC 1459). */
    static final int MAX_LINE_BYTES = 512;
    /** The most bytes of a line's tags, the {@code @} and the space after them included (IRCv3 message-tags). */
    static final int MAX_TAG_BYTES = 8191;

    /** What one read gave. */
    sealed interface Line {
        /** A line, decoded, without its line ending. */
        record Text(String text) implements Line {
        }

        /** A line over the limits; its bytes were skipped. */
        record TooLong() implements Line {
        }

        /** The end of the stream (a last line without line ending is dropped, as ircds do). */
        record End() implements Line {
        }
    }

    private static final Line TOO_LONG = new Line.TooLong();
    private static final Line END = new Line.End();

    private final InputStream in;
    private static final int BUFFER_BYTES = MAX_TAG_BYTES + MAX_LINE_BYTES + 1;

    /** Null while released ({@link #releaseBuffer}): a parked connection does not hold 8.7 KiB it is not using. */
    private byte[] buf = new byte[BUFFER_BYTES];
    /** Inside a line over the limits, which is dropped up to its end (kept across a read that threw). */
    private boolean skipping;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Unread bytes are buf[start, end). */
    private int start;
    private int end;

    IrcLineReader(InputStream in) {
        this.in = in;
    }

    /** Lets go of the buffer while no bytes are pending; the next {@link #read} takes a new one. */
    void releaseBuffer() {
        if (start == end) {
            buf = null;
            start = end = 0;
        }
    }

    /** Whether a whole line is already buffered (the next {@link #read} will not block). */
    boolean hasBufferedLine() {
        if (skipping) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (buf[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    /** The next line; blocks until one is complete. */
    Line read() throws IOException {
        if (buf == null) {
            buf = new byte[BUFFER_BYTES];
        }
        if (skipping) {
            return skipRest();
        }
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    int lineEnd = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    Line line = line(start, lineEnd);
                    start = i + 1;
                    return line;
                }
            }
            scanned = end;
            if (end - start >= buf.length - 1) {
                skipping = true;
                start = 0;
                end = 0;
                return skipRest();
            }
            if (start > 0 && end == buf.length) {
                System.arraycopy(buf, start, buf, 0, end - start);
                scanned -= start;
                end -= start;
                start = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                return END;
            }
            end += n;
        }
    }

    /** The line is over every limit: drops it up to its end (or the end of the stream). */
    private Line skipRest() throws IOException {
        while (true) {
            int n = in.read(buf, 0, buf.length); // a timeout here leaves the reader skipping
            if (n < 0) {
                skipping = false;
                return END;
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    skipping = false;
                    start = i + 1;
                    end = n;
                    return TOO_LONG;
                }
            }
        }
    }

    private Line line(int from, int to) {
        int body = from;
        if (to > from && buf[from] == '@') {
            while (body < to && buf[body] != ' ') {
                body++;
            }
            if (body < to) {
                body++; // the space after the tags
            }
            if (body - from > MAX_TAG_BYTES) {
                return TOO_LONG;
            }
        }
        if (to - body > MAX_LINE_BYTES - 2) {
            return TOO_LONG;
        }
        return new Line.Text(decode(from, to));
    }

    private String decode(int from, int to) {
        try {
            return utf8.decode(ByteBuffer.wrap(buf, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
