package dev.loomchat.server.door.lines;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.LongAdder;

/** Adds every byte read to a counter (the {@code bytesIn} statistic). One owner thread. */
final class CountingInputStream extends FilterInputStream {

    private final LongAdder counter;

    CountingInputStream(InputStream in, LongAdder counter) {
        super(in);
        this.counter = counter;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counter.increment();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            counter.add(n);
        }
        return n;
    }
}
