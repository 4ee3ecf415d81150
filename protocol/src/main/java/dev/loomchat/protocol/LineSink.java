package dev.loomchat.protocol;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Collects one encoded message and appends its newline, allocating (for a message Jackson hands
 * over in one write, which is any message smaller than its 8 KB buffer) exactly the final array:
 * {@code writeValueAsBytes} plus appending the newline would copy every frame twice.
 * Single use, single thread.
 */
final class LineSink extends OutputStream {

    private byte[] buf = new byte[0];
    private int count;

    @Override
    public void write(int b) {
        ensureRoomFor(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensureRoomFor(length);
        System.arraycopy(bytes, offset, buf, count, length);
        count += length;
    }

    /** The bytes written, then {@code \n}. */
    byte[] finishLine() {
        ensureRoomFor(0);
        buf[count++] = '\n';
        return count == buf.length ? buf : Arrays.copyOf(buf, count);
    }

    /** Keeps room for {@code extra} bytes and the final newline. */
    private void ensureRoomFor(int extra) {
        int needed = count + extra + 1;
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, 2 * buf.length));
        }
    }
}
