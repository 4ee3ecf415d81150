package dev.loomchat.server.door;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Gathers the frames of one batch in a (pooled) buffer so that the batch goes out in one write:
 * a write that does not fit drains the buffer first, and one as large as the buffer goes straight
 * through. Like {@code BufferedOutputStream}, without its monitor (which would pin a virtual
 * thread's carrier on JDK 21-23) and over a buffer the caller owns.
 *
 * <p>One owner thread: the connection's active writer.
 */
final class GatheringOutputStream extends OutputStream {

    private final OutputStream out;
    private final byte[] buf;
    private int count;

    GatheringOutputStream(OutputStream out, byte[] buffer) {
        this.out = out;
        this.buf = buffer;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) {
            drain();
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - count) {
            drain();
            if (len >= buf.length) {
                out.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** Writes what is gathered and flushes the stream. */
    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
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
