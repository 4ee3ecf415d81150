package dev.loomchat.server.door;

import dev.loomchat.socketserver.RequestHandlerFactory;
import dev.loomchat.socketserver.Threading;
import dev.loomchat.socketserver.ThreadingTCPServer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * A door's TCP listener: a {@link ThreadingTCPServer} with the chat's listen backlog that a
 * restarted server rebinds at once. Unbound: the caller binds, activates and serves it (Python's
 * {@code server_bind}, {@code server_activate}, {@code serve_forever}).
 */
public final class TcpListener extends ThreadingTCPServer {

    private final int backlog;

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
}
