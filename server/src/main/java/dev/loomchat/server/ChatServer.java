package dev.loomchat.server;

import dev.loomchat.server.bus.LocalRoomBus;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.redis.RedisRoomBus;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.ServerCounters;
import dev.loomchat.server.door.lines.LinesListeners;
import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.Threading;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
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
 * The chat server: the {@link ChatCore} on its {@link RoomBus} (in memory, or Redis in cluster
 * mode), and the JSON-lines door's listeners onto it (TCP, optionally a Unix socket: one virtual
 * thread per connection each), plus the timers (keepalive, stats).
 *
 * <p>{@link #start} binds and starts serving on background threads. {@link #close()} is the
 * graceful shutdown: stop accepting, send {@code shutdown} to every client, let the queues flush
 * within {@link ChatConfig#shutdownGrace()}, close every connection, wait for every handler.
 *
 * <p>Threading: all methods are safe from any thread; {@code close} is idempotent.
 */
public final class ChatServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);

    private final ChatConfig config;
    private final ScheduledExecutorService timers;
    private final RoomBus bus;
    private final ChatCore core;
    private final List<BaseServer<SocketChannel>> listeners = new ArrayList<>();
    private final List<Thread> acceptThreads = new ArrayList<>();
    private final ReentrantLock closeLock = new ReentrantLock();
    private boolean closed; // guarded by closeLock

    private ChatServer(ChatConfig config) {
        this.config = config;
        // First: a cluster node whose Redis cannot be reached fails here, before anything starts.
        this.bus = config.cluster() == null ? new LocalRoomBus()
                : new RedisRoomBus(config.cluster(), config.clusterTtl(), Math.max(config.historyLength(), 1));
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("loomchat-timers").daemon(true).factory());
        this.core = new ChatCore(config, new ServerCounters(), timers, bus, Version.current());
    }

    /**
     * Binds the TCP listener (and the Unix one, if configured) and starts serving.
     *
     * @throws IOException if an address cannot be bound; nothing is left open then
     */
    public static ChatServer start(ChatConfig config) throws IOException {
        ChatServer server = new ChatServer(config);
        try {
            server.listen();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen() throws IOException {
        listeners.add(bind(LinesListeners.tcp(core, new InetSocketAddress(config.host(), config.port()), threading(),
                config.backlog())));
        if (config.unixPath() != null) {
            listeners.add(bind(LinesListeners.unix(core, config.unixPath(), threading(), config.backlog())));
        }
        long keepaliveMillis = Math.clamp(Math.min(config.idleTimeout().toMillis(), config.pingTimeout().toMillis()) / 4,
                10, 1000);
        timers.scheduleWithFixedDelay(() -> core.keepalive(System.nanoTime()), keepaliveMillis, keepaliveMillis,
                TimeUnit.MILLISECONDS);
        if (!config.statsInterval().isZero()) {
            long statsMillis = config.statsInterval().toMillis();
            timers.scheduleAtFixedRate(() -> LOG.info("stats {}", stats()), statsMillis, statsMillis,
                    TimeUnit.MILLISECONDS);
        }
        for (BaseServer<SocketChannel> listener : listeners) {
            acceptThreads.add(Thread.ofPlatform().name("loomchat-accept-" + listener.serverAddress()).start(() -> {
                try {
                    listener.serveForever();
                } catch (IOException e) {
                    LOG.error("accept loop on {} failed", listener.serverAddress(), e);
                }
            }));
        }
    }

    private Threading threading() {
        return config.platformThreads() ? Threading.platform() : Threading.virtual();
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
        return core.stats();
    }

    /** Open connections now. */
    public int connectionCount() {
        return core.counters().connections();
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
            for (BaseServer<SocketChannel> listener : listeners) {
                listener.shutdown();
                closeQuietly(listener.fileno());
            }
            core.shutdown(config.shutdownGrace());
            listeners.forEach(BaseServer::serverClose); // joins the handler threads
            for (Thread thread : acceptThreads) {
                thread.join();
            }
            timers.shutdownNow();
            bus.close();
            LOG.info("stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeLock.unlock();
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }
}
