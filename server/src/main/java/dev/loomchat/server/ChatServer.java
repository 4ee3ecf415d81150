package dev.loomchat.server;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.RequestHandlerFactory;
import dev.loomchat.socketserver.Threading;
import dev.loomchat.socketserver.ThreadingTCPServer;
import dev.loomchat.socketserver.ThreadingUnixStreamServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat server: a {@link ThreadingTCPServer} (one virtual thread per connection running a
 * {@link ChatHandler}), optionally a {@link ThreadingUnixStreamServer} beside it, sharing one
 * {@link ChatHub}.
 *
 * <p>{@link #start} binds and starts serving on background threads. {@link #close()} is the
 * graceful shutdown: stop accepting, send {@code shutdown} to every client, let the queues flush
 * within {@link ChatConfig#shutdownGrace()}, close every connection, wait for every handler.
 *
 * <p>Threading: all methods are safe from any thread; {@code close} is idempotent.
 */
public final class ChatServer implements AutoCloseable {

    /** The text of the {@code shutdown} notice (clients show it after their own "server shutting down"). */
    static final String SHUTDOWN_MESSAGE = "closing every connection; reconnect in a moment";

    /** Why a session ended that the server closed for its shutdown (logs; a cluster's other nodes see it as the part reason). */
    static final String REASON_SHUTDOWN = "shutdown";

    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);

    private final ChatConfig config;
    private final ScheduledExecutorService timers;
    private final ChatHub hub;
    private final List<BaseServer<SocketChannel>> listeners = new ArrayList<>();
    private final List<Thread> acceptThreads = new ArrayList<>();
    private final ReentrantLock closeLock = new ReentrantLock();
    private boolean closed; // guarded by closeLock
    /** Set when close() begins, before the accept loops are told to stop: their ending is expected then. */
    private volatile boolean closing;
    /** Started serving: only then does close() say "stopped" (a failed start says its error, nothing more). */
    private volatile boolean serving;

    private final RoomBus bus;
    private final Supervisor supervisor;

    private ChatServer(ChatConfig config, Supervisor supervisor) {
        this.config = config;
        this.supervisor = supervisor;
        // First: a cluster node whose Redis cannot be reached fails here, before anything starts.
        this.bus = config.cluster() == null ? new LocalRoomBus()
                : new dev.loomchat.server.cluster.RedisRoomBus(config.cluster(), config.clusterTtl(),
                        Math.max(config.historyLength(), 1), supervisor);
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("loomchat-timers").daemon(true).factory());
        this.hub = new ChatHub(config, new ServerCounters(), timers, bus);
    }

    /**
     * Binds the TCP listener (and the Unix one, if configured) and starts serving.
     *
     * @throws IOException if an address cannot be bound; nothing is left open then
     */
    public static ChatServer start(ChatConfig config) throws IOException {
        ChatServer[] started = new ChatServer[1];
        ChatServer server = start(config, new Supervisor(cause -> {
            // Embedded: a server that can no longer serve stops (not on the dying thread).
            Thread.ofPlatform().name("loomchat-failed").start(() -> started[0].close());
        }));
        started[0] = server;
        return server;
    }

    /**
     * As {@link #start(ChatConfig)}, with {@code supervisor} watching the server's essential
     * threads ({@code loomchat server} exits when one dies; see {@link Supervisor}).
     */
    public static ChatServer start(ChatConfig config, Supervisor supervisor) throws IOException {
        ChatServer server = new ChatServer(config, supervisor);
        try {
            server.listen();
            server.serving = true;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen() throws IOException {
        RequestHandlerFactory<SocketChannel> handlers = () -> new ChatHandler(hub, supervisor);
        Threading threading = config.platformThreads() ? Threading.platform() : Threading.virtual();
        listeners.add(bind(new TcpListener(new InetSocketAddress(config.host(), config.port()), handlers, threading,
                config.backlog())));
        if (config.unixPath() != null) {
            Threading unixThreading = config.platformThreads() ? Threading.platform() : Threading.virtual();
            listeners.add(bind(new UnixListener(config.unixPath(), handlers, unixThreading, config.backlog())));
        }
        long keepaliveMillis = Math.clamp(Math.min(config.idleTimeout().toMillis(), config.pingTimeout().toMillis()) / 4,
                10, 1000);
        // A periodic task that throws is never run again: each one is an essential thread.
        timers.scheduleWithFixedDelay(supervisor.essential("keepalive", () -> hub.keepalive(System.nanoTime())),
                keepaliveMillis, keepaliveMillis, TimeUnit.MILLISECONDS);
        if (!config.statsInterval().isZero()) {
            long statsMillis = config.statsInterval().toMillis();
            timers.scheduleAtFixedRate(supervisor.essential("stats", () -> LOG.info("stats {}", stats())),
                    statsMillis, statsMillis, TimeUnit.MILLISECONDS);
        }
        for (BaseServer<SocketChannel> listener : listeners) {
            String name = "loomchat-accept-" + listener.serverAddress();
            acceptThreads.add(Thread.ofPlatform().name(name).start(supervisor.essential(name, () -> {
                try {
                    listener.serveForever();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (!isClosed()) {
                    throw new IllegalStateException("the accept loop ended while the server was open");
                }
            })));
        }
    }

    private static <S extends BaseServer<SocketChannel>> S bind(S listener) throws IOException {
        try {
            listener.serverBind();
            listener.serverActivate();
            return listener;
        } catch (IOException | RuntimeException e) {
            listener.serverClose();
            throw e;
        }
    }

    private boolean isClosed() {
        return closing;
    }

    /** Why the server can no longer serve (an essential thread died), or {@code null} while it can. */
    public String failure() {
        return supervisor.failed();
    }

    Supervisor supervisor() {
        return supervisor;
    }

    /** The bound TCP address (the real port when configured with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listeners.getFirst().serverAddress();
    }

    /** The Unix socket path, if serving one. */
    public Optional<Path> unixPath() {
        return Optional.ofNullable(config.unixPath());
    }

    public ChatConfig config() {
        return config;
    }

    /** The counters, as a {@code stats} request returns them. */
    public Map<String, Long> stats() {
        return hub.stats();
    }

    /** Open connections now. */
    public int connectionCount() {
        return hub.counters().connections.get();
    }

    /**
     * Graceful shutdown: stops accepting, sends {@code shutdown} to every client, waits up to the
     * grace period for their queues to drain, closes the rest, and waits for every handler.
     */
    @Override
    public void close() {
        closeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
            for (BaseServer<SocketChannel> listener : listeners) {
                listener.shutdown();
                closeQuietly(listener.fileno());
            }
            drainSessions(config.shutdownGrace());
            listeners.forEach(BaseServer::serverClose); // joins the handler threads
            for (Thread thread : acceptThreads) {
                thread.join();
            }
            timers.shutdownNow();
            bus.close();
            if (serving) {
                LOG.info("stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeLock.unlock();
        }
    }

    private void drainSessions(Duration grace) throws InterruptedException {
        List<Session> sessions = hub.beginShutdown();
        if (sessions.isEmpty()) {
            return;
        }
        LOG.info("shutting down: notifying {} clients", sessions.size());
        Frame notice = Frame.of(new ServerMessage.Shutdown(SHUTDOWN_MESSAGE));
        for (Session session : sessions) {
            session.send(notice);
            session.finish(REASON_SHUTDOWN);
        }
        if (!hub.awaitNoSessions(grace)) {
            LOG.info("shutting down: closing {} connections that did not drain in {} ms",
                    hub.sessions().size(), grace.toMillis());
            hub.sessions().forEach(Session::closeConnection);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }

    /** The TCP listener: Python-style server with the chat's backlog and address reuse. */
    private static final class TcpListener extends ThreadingTCPServer {
        private final int backlog;

        TcpListener(SocketAddress address, RequestHandlerFactory<SocketChannel> handlers, Threading threading,
                    int backlog) throws IOException {
            super(address, handlers, threading, false);
            this.backlog = backlog;
        }

        @Override
        public int requestQueueSize() {
            return backlog;
        }

        /** A restarted server must rebind at once, not wait out TIME_WAIT. */
        @Override
        public boolean allowReuseAddress() {
            return true;
        }
    }

    /** The Unix listener; reuse removes a stale socket file left by a crash. */
    private static final class UnixListener extends ThreadingUnixStreamServer {
        private final int backlog;

        UnixListener(Path path, RequestHandlerFactory<SocketChannel> handlers, Threading threading, int backlog)
                throws IOException {
            super(path, handlers, threading, false);
            this.backlog = backlog;
        }

        @Override
        public int requestQueueSize() {
            return backlog;
        }

        @Override
        public boolean allowReuseAddress() {
            return true;
        }
    }
}
