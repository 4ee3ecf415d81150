package dev.loomchat.server.door;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A plain TCP connection's input, which tells its reader when the client has gone quiet so that
 * the connection can be parked ({@link ConnectionParking}): a read that waits for a quiet client
 * longer than {@link #PARK_AFTER} throws {@link SocketTimeoutException}, and the connection stays
 * usable (reading simply goes on later).
 *
 * <p>Why not a deadline on every read: a timed wait costs a timer on the JDK's scheduler, and
 * with one on every wait echo round trips ran at about half the rate. So only a quiet client
 * gets one. Every client starts quiet, and is quiet again after being parked: the wait after its
 * {@code hello}, or after a few requests, is timed, so a client that connects, joins its rooms
 * and then only listens parks a second later. A client becomes busy once its input has kept
 * coming, never {@link #PARK_AFTER} apart, for {@link #BUSY_AFTER}: its waits are untimed from
 * then on. A busy client is quiet again once one of its waits lasted {@link #QUIET_AFTER}: not
 * {@link #PARK_AFTER}, because on an overloaded server a busy client's requests can wait a
 * second for the reader, and timing them then would only add to the load. So a busy client that
 * falls silent keeps its reader thread for that one wait, until its next input: at the latest
 * its answer to the keepalive ping after {@code --idle-timeout}.
 *
 * <p>One owner thread at a time: the connection's reader.
 */
public final class ParkableInput extends InputStream {

    /** How long a quiet client may say nothing before its connection is parked. */
    public static final Duration PARK_AFTER = Duration.ofSeconds(1);

    /** How long a quiet client's input must keep coming (no pause of {@link #PARK_AFTER}) to make it busy. */
    static final Duration BUSY_AFTER = Duration.ofSeconds(1);

    /** How long a busy client's wait must last for it to count as quiet again. */
    static final Duration QUIET_AFTER = Duration.ofSeconds(10);

    private static final long BUSY_AFTER_NANOS = BUSY_AFTER.toNanos();
    private static final long QUIET_AFTER_NANOS = QUIET_AFTER.toNanos();

    private final SocketChannel channel;
    /** The JDK's socket adaptor stream: the only timed read of a SocketChannel; SO_TIMEOUT applies to it alone. */
    private final InputStream timed;
    private boolean busy;
    /** While quiet: when the input that has kept coming since the last pause began, or -1 before the first. */
    private long activeSince = -1;

    /** The input of {@code channel}, a connected TCP channel in blocking mode. */
    public ParkableInput(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.socket().setSoTimeout((int) PARK_AFTER.toMillis());
        this.timed = channel.socket().getInputStream();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** @throws SocketTimeoutException when a quiet client sent nothing for {@link #PARK_AFTER} */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!busy) {
            int n = timed.read(b, off, len); // within PARK_AFTER of the last input, or it throws
            long now = System.nanoTime();
            if (activeSince < 0) {
                activeSince = now;
            } else if (now - activeSince >= BUSY_AFTER_NANOS) {
                busy = true;
            }
            return n;
        }
        long start = System.nanoTime();
        int n = channel.read(ByteBuffer.wrap(b, off, len));
        if (System.nanoTime() - start >= QUIET_AFTER_NANOS) {
            busy = false; // a long pause: quiet again
            activeSince = -1;
        }
        return n;
    }

    /** The connection was parked and has been resumed: its client is quiet. */
    public void resumed() {
        busy = false;
        activeSince = -1;
    }
}
