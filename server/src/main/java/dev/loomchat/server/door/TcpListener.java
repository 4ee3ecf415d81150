package dev.loomchat.server.door;

import dev.loomchat.socketserver.RequestHandlerFactory;
import dev.loomchat.socketserver.Threading;
import dev.loomchat.socketserver.ThreadingTCPServer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A door's TCP listener: a {@link ThreadingTCPServer} with the chat's listen backlog that a
 * restarted server rebinds at once. Unbound: the caller binds, activates and serves it (Python's
 * {@code server_bind}, {@code server_activate}, {@code serve_forever}).
 *
 * <p>A connection that has been parked ({@link ParkingStreamHandler}) outlives its handler's
 * first thread: it is <em>detached</em>, {@link #shutdownRequest} leaves it open when that
 * thread ends, and the thread that ends its conversation closes it ({@link #closeDetached}).
 * {@link #serverClose} waits for those too, as for the handler threads.
 */
public final class TcpListener extends ThreadingTCPServer {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    /** How long {@link #serverClose} waits for the detached connections to end (they were all closed before). */
    private static final long DETACHED_WAIT_SECONDS = 30;

    private final int backlog;
    private final Set<SocketChannel> detached = ConcurrentHashMap.newKeySet();
    private final ReentrantLock detachedLock = new ReentrantLock();
    private final Condition noneDetached = detachedLock.newCondition();

    public TcpListener(SocketAddress address, RequestHandlerFactory<SocketChannel> handlers, Threading threading,
                       int backlog) throws IOException {
        super(address, handlers, threading, false);
        this.backlog = backlog;
    }

    @Override
    public int requestQueueSize() {
        return backlog;
    }

    /**
     * Up to 64 connections per wake-up: when thousands of clients connect at once (a restart, a
     * network coming back), the accept thread, which shares the machine with the connections'
     * carriers, empties the backlog before it overflows; a handshake the kernel drops for a
     * full backlog is retried only after 1, 2, 4 ... seconds.
     */
    @Override
    public int requestsPerWakeup() {
        return 64;
    }

    /** A restarted server must rebind at once, not wait out TIME_WAIT. */
    @Override
    public boolean allowReuseAddress() {
        return true;
    }

    /** {@code request} outlives its handler's thread; its conversation closes it with {@link #closeDetached}. */
    void detach(SocketChannel request) {
        detached.add(request);
    }

    /** Ends a detached connection as {@link #shutdownRequest} ends the others. */
    void closeDetached(SocketChannel request) {
        super.shutdownRequest(request);
        detached.remove(request);
        if (detached.isEmpty()) {
            detachedLock.lock();
            try {
                noneDetached.signalAll();
            } finally {
                detachedLock.unlock();
            }
        }
    }

    /** Python's {@code shutdown_request}, except for a detached connection, which is still in use. */
    @Override
    public void shutdownRequest(SocketChannel request) {
        if (!detached.contains(request)) {
            super.shutdownRequest(request);
        }
    }

    /** Closes the listening socket and waits for the handler threads, then for the detached connections. */
    @Override
    public void serverClose() {
        super.serverClose();
        long nanos = TimeUnit.SECONDS.toNanos(DETACHED_WAIT_SECONDS);
        detachedLock.lock();
        try {
            while (!detached.isEmpty() && nanos > 0) {
                nanos = noneDetached.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            detachedLock.unlock();
        }
        if (!detached.isEmpty()) {
            LOG.warn("{} parked connections still open after {} s", detached.size(), DETACHED_WAIT_SECONDS);
        }
    }
}
