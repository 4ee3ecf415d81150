package dev.loomchat.client;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A stdin for an in-process client: bytes are fed with {@link #type}, {@link #end()} is EOF.
 * Unlike {@code PipedInputStream} it does not care which threads write or read.
 */
final class LineInput extends InputStream {

    private static final int EOF = -1;
    private final LinkedBlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    /** Appends {@code text} as UTF-8 (add the newline yourself). */
    void type(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
    }

    /** Appends a line and its newline. */
    void line(String text) {
        type(text + "\n");
    }

    void end() {
        bytes.add(EOF);
    }

    @Override
    public int read() {
        if (ended) {
            return EOF;
        }
        try {
            int b = bytes.take();
            if (b == EOF) {
                ended = true;
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EOF;
        }
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int first = read();
        if (first == EOF) {
            return EOF;
        }
        buf[off] = (byte) first;
        int n = 1;
        while (n < len && !ended) {
            Integer next = bytes.peek();
            if (next == null || next == EOF) {
                break;
            }
            buf[off + n++] = (byte) (int) bytes.poll();
        }
        return n;
    }

    @Override
    public int available() {
        return bytes.size();
    }
}
