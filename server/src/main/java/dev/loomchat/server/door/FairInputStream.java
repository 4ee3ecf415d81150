package dev.loomchat.server.door;

import dev.loomchat.server.ChatConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * A connection's input as its reader sees it: every byte is counted ({@code bytesIn}), restarts
 * the keepalive clock (any input shows the client is alive, blank lines too), is charged against
 * the connection's byte budget, and a reader that keeps finding input steps aside now and then.
 *
 * <p>Why: a virtual thread is not pre-empted. A reader whose client keeps its socket full (blank
 * lines, pongs, the tail of an over-long line: input that gets no reply) finds data on every read
 * and would never park, holding its carrier; two such readers hold a 2-core machine. So after
 * {@value #READS_IN_A_ROW} reads in a row that found data at once and led to no reply the reader
 * parks for a moment ({@link #answered()} starts the count again: a busy but honest connection, a
 * chatter in a busy room, sends requests all the time and never pays for this; requests pay in
 * flood control instead), and a client that sends more
 * bytes than its budget ({@code bytesPerSecond}, bursts up to {@code burstBytes}) is delayed: the
 * reader sleeps until the budget has refilled, which parks it and, through TCP, slows the client
 * down. Nothing is refused at this level; frames pay again in the chat core's flood control.
 *
 * <p>One owner thread: the connection's reader.
 */
public final class FairInputStream extends FilterInputStream {

    /**
     * Reads in a row that find input at once, none of it answered, before the reader steps
     * aside: a few KiB of a flood (the line reader asks for 512 bytes and up).
     */
    static final int READS_IN_A_ROW = 16;

    /** The first byte of a TLS handshake record; never the first byte of a JSON line (RFC 8446 §5.1). */
    static final byte TLS_HANDSHAKE_RECORD = 0x16;

    /** A read that took longer than this waited for input (the thread parked): 50 µs. */
    static final long WAITED_NANOS = 50_000;

    /** How long a reader that keeps finding input steps aside: long enough for the other runnable threads to be picked. */
    static final long FAIR_PARK_NANOS = 20_000;

    private final LongAdder counter;
    private final LongConsumer heard;
    private final double bytesPerNano;
    private final long burstBytes;
    /** Bytes the client may still send at once; negative while it is in debt. */
    private double allowance;
    private long lastRefill = System.nanoTime();
    private int readsInARow;
    private boolean first = true;

    /**
     * The connection began with a TLS handshake record on a plain listener: a TLS client on the
     * wrong port. Ending the connection at once makes its handshake fail at once (a JSON-lines
     * reader would wait for a newline the handshake may never contain).
     */
    public static final class TlsOnPlainPortException extends IOException {
        TlsOnPlainPortException() {
            super("a TLS handshake on a plain port");
        }
    }

    /**
     * @param bytesPerSecond the sustained byte rate; 0 = unlimited (nothing is ever delayed)
     * @param burstBytes     bytes a client may send at once on top of the rate
     * @param heard          told the time ({@link System#nanoTime()}) whenever input arrived
     */
    public FairInputStream(InputStream in, LongAdder counter, LongConsumer heard, long bytesPerSecond,
                           long burstBytes) {
        super(in);
        this.counter = counter;
        this.heard = heard;
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.burstBytes = burstBytes;
        this.allowance = burstBytes;
    }

    /**
     * The budget of a chat connection: {@code msgRate} lines of the longest allowed length per
     * second, {@code msgBurst} of them at once (0 = unlimited, as flood control).
     */
    public static FairInputStream forChat(InputStream in, LongAdder counter, LongConsumer heard, ChatConfig config) {
        return new FairInputStream(in, counter, heard, (long) config.msgRate() * config.maxLineBytes(),
                (long) config.msgBurst() * config.maxLineBytes());
    }

    /**
     * The reader has just read a request (or a bad line), which gets a reply: the input is not a
     * flood of what gets none (pongs, blank lines, an over-long line's tail), so the count of
     * reads in a row starts again.
     */
    public void answered() {
        readsInARow = 0;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long start = System.nanoTime();
        int n = in.read(b, off, len);
        if (first && n > 0) {
            first = false;
            if (b[off] == TLS_HANDSHAKE_RECORD) {
                throw new TlsOnPlainPortException();
            }
        }
        if (n > 0) {
            counter.add(n);
            long now = System.nanoTime();
            heard.accept(now);
            charge(n, now);
            if (now - start > WAITED_NANOS) {
                readsInARow = 0; // this read waited for input: the thread has parked anyway
            } else if (++readsInARow >= READS_IN_A_ROW) {
                readsInARow = 0;
                // Not Thread.yield(): a yielded virtual thread stays runnable, and the scheduler
                // (a work-stealing pool that favours the queue it last took from) may run it again
                // at once, every time (measured on JDK 25: a ping waited 7-30 s behind four
                // yielding pong floods). A timed park leaves the run queue to the others.
                LockSupport.parkNanos(FAIR_PARK_NANOS);
            }
        }
        return n;
    }

    private void charge(int bytes, long now) throws IOException {
        if (bytesPerNano == 0) {
            return;
        }
        allowance = Math.min(burstBytes, allowance + (now - lastRefill) * bytesPerNano) - bytes;
        lastRefill = now;
        if (allowance < 0) {
            try {
                Thread.sleep(java.time.Duration.ofNanos((long) (-allowance / bytesPerNano)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while delaying a flooding client");
            }
        }
    }
}
