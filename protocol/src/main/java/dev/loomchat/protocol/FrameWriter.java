package dev.loomchat.protocol;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes frames to an {@code OutputStream}, one whole frame per call, buffered: bytes reach the
 * stream when the buffer fills or on {@link #flush()}, so a writer thread can drain a queue of
 * many frames and flush once (batching), or flush after each frame for latency. A frame never
 * contains a raw newline except its terminator; a frame larger than the buffer is written
 * straight through.
 *
 * <p>Not thread-safe, by design: a connection has one writer thread that owns its
 * {@code FrameWriter} (other threads hand it {@link Frame}s through a queue). Without locks it
 * also never pins a virtual thread's carrier.
 */
public final class FrameWriter implements Flushable, Closeable {

    /** The default buffer size: 8 KiB. */
    public static final int DEFAULT_BUFFER_BYTES = 8192;

    private final OutputStream out;
    private final byte[] buf;
    private int count;

    /** A writer with a {@link #DEFAULT_BUFFER_BYTES default} buffer. */
    public FrameWriter(OutputStream out) {
        this(out, DEFAULT_BUFFER_BYTES);
    }

    /**
     * @param out         the stream; it may be unbuffered (this class buffers)
     * @param bufferBytes the buffer size, at least 1
     */
    public FrameWriter(OutputStream out, int bufferBytes) {
        this(out, new byte[positive(bufferBytes)]);
    }

    /**
     * A writer that buffers in {@code buffer} (for a caller that pools its buffers): the writer
     * owns the array until it is done with it, and never exposes its contents.
     *
     * @param out    the stream; it may be unbuffered (this class buffers)
     * @param buffer the buffer, at least 1 byte long
     */
    public FrameWriter(OutputStream out, byte[] buffer) {
        this.out = Objects.requireNonNull(out, "out");
        this.buf = Objects.requireNonNull(buffer, "buffer");
        positive(buffer.length);
    }

    private static int positive(int bufferBytes) {
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("bufferBytes must be positive: " + bufferBytes);
        }
        return bufferBytes;
    }

    /** Appends a pre-encoded frame (see {@link Frame#of(Message)}); no flush. */
    public void write(Frame frame) throws IOException {
        int length = frame.length();
        if (length > buf.length - count) {
            drain();
            if (length >= buf.length) {
                frame.writeTo(out);
                return;
            }
        }
        frame.copyTo(buf, count);
        count += length;
    }

    /** Encodes and appends {@code message}; no flush. */
    public void write(Message message) throws IOException {
        write(Frame.of(message));
    }

    /** Writes the buffered frames to the stream and flushes it. */
    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    /** Flushes, then closes the stream (also if the flush fails). */
    @Override
    public void close() throws IOException {
        try (out) {
            flush();
        }
    }

    /** Bytes buffered and not yet written to the stream. */
    public int buffered() {
        return count;
    }

    private void drain() throws IOException {
        if (count > 0) {
            // Reset first: if the write fails, the stream is broken anyway and the bytes must not be sent twice.
            int n = count;
            count = 0;
            out.write(buf, 0, n);
        }
    }
}
