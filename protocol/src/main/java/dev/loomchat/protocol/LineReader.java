package dev.loomchat.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits a byte stream into {@code \n}-terminated lines without ever holding more than one line's
 * worth of bytes: the framing stage of the protocol, independent of JSON.
 *
 * <ul>
 *   <li>A line is the bytes before a {@code \n}; a {@code \r} just before the {@code \n} is
 *       dropped, so {@code \r\n} works too. Its length, for the limit, counts every byte before
 *       the {@code \n} (a {@code \r} included).</li>
 *   <li>Lines made only of spaces, tabs and {@code \r} are skipped, also after a UTF-8 byte
 *       order mark (which the codec ignores at the start of a line).</li>
 *   <li>A line longer than {@link #maxLineBytes()} is reported as {@link Line.TooLong} as soon as
 *       the limit is passed; the rest of it is then read and discarded chunk by chunk (never
 *       accumulated) up to its {@code \n}, and reading goes on with the next line.</li>
 *   <li>Bytes after the last {@code \n} at end of stream are reported as {@link Line.Truncated};
 *       then, and at a clean end, {@link Line.End} for good.</li>
 * </ul>
 *
 * <p>Memory: the buffer starts at 512 bytes (or the limit, if smaller): a server keeps one reader
 * per idle connection, blocked in a read into this buffer, so its resting size is what an idle
 * client costs. It grows by doubling only while a line needs it, never beyond
 * {@code maxLineBytes + 1} bytes (the line and its newline). A buffer grown up to 8 KiB is kept
 * (a client that sends 1 KiB lines should not cost an allocation per line); a larger one shrinks
 * back to the resting size once the long line has been consumed. While an over-long line is
 * discarded the buffer keeps its size, so the rest is dropped in large chunks, not 512-byte
 * reads. Bytes after a newline read in the same chunk are kept for the next call, so the reader
 * must be the stream's only consumer.
 *
 * <p>Errors: an {@link IOException} from the stream propagates unchanged and leaves the reader
 * consistent, so after a {@link java.net.SocketTimeoutException} (an idle check) reading can
 * simply go on. Nothing else is thrown for any input.
 *
 * <p>Not thread-safe: one owner thread, typically the connection's handler.
 */
public final class LineReader {

    /** The default line limit: 64 KiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    /** The starting (and resting) buffer size; a chat line is typically 100-300 bytes. */
    static final int INITIAL_BUFFER_BYTES = 512;

    /** A buffer grown up to this size is kept; a larger one shrinks back after its line. */
    static final int KEPT_BUFFER_BYTES = 8192;

    private static final Line END = new Line.End();

    private final InputStream in;
    private final int maxLineBytes;
    private final int restingCapacity;

    private byte[] buf;
    /** First byte not yet returned. */
    private int start;
    /** One past the last byte read from the stream. */
    private int end;
    /** {@code buf[start, scanFrom)} is known to hold no newline, so it is not scanned twice. */
    private int scanFrom;
    /** Inside an over-long line that was already reported: drop bytes up to its newline. */
    private boolean discarding;
    private boolean eof;
    private int largestCapacity;

    /** A reader with the {@link #DEFAULT_MAX_LINE_BYTES default limit}. */
    public LineReader(InputStream in) {
        this(in, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * @param in           the stream; the reader buffers itself, so it need not be buffered
     * @param maxLineBytes the longest line accepted, in bytes, at least 1
     */
    public LineReader(InputStream in, int maxLineBytes) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes out of range: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.restingCapacity = Math.min(INITIAL_BUFFER_BYTES, maxLineBytes + 1);
        this.buf = new byte[restingCapacity];
        this.largestCapacity = restingCapacity;
    }

    /** The longest line this reader accepts, in bytes. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * Reads the next line, blocking until a whole line, the limit or the end of the stream.
     *
     * @return the next non-blank line, or what stopped it
     * @throws IOException what the stream threw
     */
    public Line read() throws IOException {
        while (true) {
            int newline = indexOfNewline(buf, scanFrom, end);
            if (newline >= 0) {
                int lineStart = start;
                start = newline + 1;
                scanFrom = start;
                if (discarding) {
                    discarding = false;
                    continue;
                }
                int lineEnd = newline > lineStart && buf[newline - 1] == '\r' ? newline - 1 : newline;
                if (isBlank(buf, lineStart, lineEnd)) {
                    continue;
                }
                return new Line.Text(Arrays.copyOfRange(buf, lineStart, lineEnd));
            }
            scanFrom = end;
            if (discarding) {
                start = end = scanFrom = 0;
            } else if (end - start > maxLineBytes) {
                discarding = true;
                start = end = scanFrom = 0;
                return new Line.TooLong(maxLineBytes);
            }
            if (eof) {
                return atEndOfStream();
            }
            makeRoom();
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
                return atEndOfStream();
            }
            end += n;
        }
    }

    /**
     * Whether {@link #read()} will return a line that is already buffered, without reading the
     * stream. Exact where it says yes (blank lines and the tail of a discarded line do not count,
     * as {@code read()} skips them); it may say no where {@code read()} would still return at
     * once (the end of the stream, a line found too long), which only makes a caller flush early.
     */
    public boolean hasBufferedLine() {
        boolean skipping = discarding;
        int lineStart = start;
        for (int newline = indexOfNewline(buf, scanFrom, end); newline >= 0;
                newline = indexOfNewline(buf, lineStart, end)) {
            int lineEnd = newline > lineStart && buf[newline - 1] == '\r' ? newline - 1 : newline;
            if (!skipping && !isBlank(buf, lineStart, lineEnd)) {
                return true;
            }
            skipping = false;
            lineStart = newline + 1;
        }
        return false;
    }

    /** The largest buffer this reader has allocated, in bytes: never more than {@code maxLineBytes + 1}. */
    int largestBufferCapacity() {
        return largestCapacity;
    }

    /** The current buffer size, in bytes. */
    int bufferCapacity() {
        return buf.length;
    }

    private Line atEndOfStream() {
        int pending = end - start;
        boolean blank = isBlank(buf, start, end);
        boolean wasDiscarding = discarding;
        discarding = false;
        start = end = scanFrom = 0;
        // An over-long last line was already reported; a partial blank line is nothing.
        if (pending > 0 && !blank && !wasDiscarding) {
            return new Line.Truncated(pending);
        }
        return END;
    }

    /**
     * Lets go of the buffer if it holds no pending bytes, for a reader that will not read for a
     * while (a server's connection whose client is quiet); the next {@link #read()} allocates a
     * buffer of the resting size again. Does nothing while part of a line is pending.
     */
    public void releaseBuffer() {
        if (start == end) {
            buf = NO_BYTES;
            start = end = scanFrom = 0;
        }
    }

    private static final byte[] NO_BYTES = new byte[0];

    /** Moves the pending bytes to the front, growing the buffer if they fill it, shrinking it after a long line. */
    private void makeRoom() {
        int pending = end - start;
        byte[] target = buf;
        if (buf.length == 0) {
            target = new byte[restingCapacity]; // released while idle (releaseBuffer)
        } else if (pending == buf.length) {
            // Only reached while pending <= maxLineBytes, so the buffer is below maxLineBytes + 1.
            target = new byte[(int) Math.min(2L * buf.length, maxLineBytes + 1L)];
        } else if (buf.length > KEPT_BUFFER_BYTES && pending < restingCapacity / 2 && !discarding) {
            target = new byte[restingCapacity];
        }
        if (target != buf || start > 0) {
            System.arraycopy(buf, start, target, 0, pending);
            buf = target;
            start = 0;
            end = pending;
            scanFrom = pending;
            largestCapacity = Math.max(largestCapacity, buf.length);
        }
    }

    private static int indexOfNewline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        if (to - from >= 3 && bytes[from] == (byte) 0xEF && bytes[from + 1] == (byte) 0xBB
                && bytes[from + 2] == (byte) 0xBF) {
            from += 3; // a byte order mark
        }
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
