package dev.loomchat.socketserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A buffered input stream with {@code readline()}: the type of a handler's {@code rfile}.
 *
 * <p>{@link #readline()} returns the bytes of one line including its {@code '\n'}, the remaining
 * bytes at EOF without one, and an empty array at EOF — exactly as Python's
 * {@code rfile.readline()}, so line framing survives any split of the bytes into packets.
 *
 * <p>Not thread-safe: one owner, the handler's thread. It takes no locks (unlike a subclass of
 * {@code BufferedInputStream}, which synchronises and would pin a virtual thread on JDK 21-23).
 * Closing it does not close the connection underneath: the server does that.
 */
public final class LineInputStream extends InputStream {

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;
    private boolean closed;

    /** Buffers {@code in} with a buffer of {@code bufferSize} bytes (1 = read-ahead of nothing). */
    public LineInputStream(InputStream in, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be >= 1: " + bufferSize);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.buffer = new byte[bufferSize];
    }

    /** One line including its {@code '\n'}; an empty array at EOF. */
    public byte[] readline() throws IOException {
        return readline(-1);
    }

    /**
     * At most {@code maxBytes} bytes of one line (all of it when {@code maxBytes < 0}): Python's
     * {@code readline(size)}. Stops after the first {@code '\n'}.
     */
    public byte[] readline(int maxBytes) throws IOException {
        ensureOpen();
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (maxBytes < 0 || line.size() < maxBytes) {
            if (position == limit && fill() < 0) {
                break;
            }
            int stop = maxBytes < 0 ? limit : Math.min(limit, position + maxBytes - line.size());
            int end = position;
            while (end < stop && buffer[end] != '\n') {
                end++;
            }
            boolean newline = end < stop;
            if (newline) {
                end++;
            }
            line.write(buffer, position, end - position);
            position = end;
            if (newline) {
                break;
            }
        }
        return line.toByteArray();
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (position == limit && fill() < 0) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= buffer.length) {
                return in.read(b, off, len); // large reads bypass the buffer
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (limit - position) + in.available();
    }

    /** Marks the stream closed; the connection itself is closed by the server. */
    @Override
    public void close() {
        closed = true;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    private int fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(n, 0);
        return n;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
