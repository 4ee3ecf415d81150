package dev.loomchat.server.door;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one plain TCP connection waits for input without a thread: its reader, having found its
 * client quiet ({@link ParkableInput}), {@linkplain #park parks} the connection, which puts the
 * channel in non-blocking mode on the {@link ParkedConnections} selector, and ends. When input
 * arrives, the connection is closed, or a writer cannot go on without blocking, the channel goes
 * back to blocking mode and a new reader virtual thread runs what the old one left to do.
 *
 * <p>While parked, writers still write (non-blocking, which for the frames of an idle client
 * nearly always goes through at once, {@link ParkableOutput}); only a write that finds the
 * client's socket buffer full wakes the connection and waits for blocking mode.
 *
 * <p>Threading: {@link #park} on the reader thread; {@link #wake} and {@link #awaitBlocking}
 * from any thread; the fields below the channel belong to the watcher thread.
 */
public final class ConnectionParking {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionParking.class);

    /** The resumed readers: one factory for every connection (a Thread.Builder is not thread-safe). */
    private static final ThreadFactory RESUMED_READERS = Thread.ofVirtual().name("resumed-reader").factory();

    private final SocketChannel channel;
    /** Parked connections now, the server's gauge. */
    private final AtomicInteger parkedGauge;
    /** What the new reader thread runs; set by {@link #park}, read by the watcher after the hand-off. */
    private Runnable resume;
    /** A writer waiting in {@link #awaitBlocking}, or null. */
    private volatile Thread blockedWriter;

    // The watcher thread's.
    SelectionKey key;
    boolean wakeRequested;

    /** {@code parkedGauge} counts the connections parked now. */
    public ConnectionParking(SocketChannel channel, AtomicInteger parkedGauge) {
        this.channel = channel;
        this.parkedGauge = parkedGauge;
    }

    SocketChannel channel() {
        return channel;
    }

    /**
     * Parks the connection: the calling reader thread should end as soon as this returns true;
     * {@code resume} then runs on a new virtual thread once there is something to do. Returns
     * false, leaving the connection as it was, when it cannot be parked (it is closed).
     */
    public boolean park(Runnable resume) {
        this.resume = resume;
        try {
            channel.configureBlocking(false); // waits for a blocking write in progress to finish
        } catch (IOException e) {
            return false;
        }
        parkedGauge.incrementAndGet();
        ParkedConnections.shared().park(this);
        return true;
    }

    /**
     * Gives the connection a reader thread again if it is parked (or about to be): for a close,
     * which a parked connection's reader must see to end the session. Any thread; harmless
     * when it is not parked.
     */
    public void wake() {
        if (!channel.isBlocking()) {
            ParkedConnections.shared().wake(this);
        }
    }

    /**
     * For a writer whose non-blocking write made no progress: wakes the connection and waits
     * until its channel blocks again (or is closed), so that the writer can go on with a
     * blocking write.
     */
    void awaitBlocking() {
        blockedWriter = Thread.currentThread();
        try {
            ParkedConnections.shared().wake(this);
            while (!channel.isBlocking() && channel.isOpen()) {
                LockSupport.park(this);
            }
        } finally {
            blockedWriter = null;
        }
    }

    /** On the watcher, once the channel is off the selector: blocking again, and a reader started. */
    void resumeOnWatcher() {
        parkedGauge.decrementAndGet();
        try {
            channel.configureBlocking(true);
        } catch (IOException e) {
            // Closed: the new reader's first read fails and it ends the session.
        } catch (RuntimeException e) {
            // Still registered somewhere: a reader could only spin on it, so end the connection.
            LOG.warn("cannot resume a parked connection, closing it: {}", e.toString());
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closed either way.
            }
        }
        Thread writer = blockedWriter;
        if (writer != null) {
            LockSupport.unpark(writer);
        }
        RESUMED_READERS.newThread(resume).start();
    }
}
