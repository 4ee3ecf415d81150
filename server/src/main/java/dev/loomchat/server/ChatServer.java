package dev.loomchat.server;

import dev.loomchat.server.bus.LocalRoomBus;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.redis.RedisRoomBus;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.ServerCounters;
import dev.loomchat.server.door.irc.IrcDoor;
import dev.loomchat.server.door.lines.LinesListeners;
import dev.loomchat.server.tls.ServerTls;
import dev.loomchat.server.account.AccountService;
import dev.loomchat.server.account.Argon2idHasher;
import dev.loomchat.server.account.LoginThrottle;
import dev.loomchat.server.chat.BanStore;
import dev.loomchat.server.store.AccountRecords;
import dev.loomchat.server.store.MemoryAccountRecords;
import dev.loomchat.server.store.SqliteMessageStore;
import dev.loomchat.server.store.StoreOpenException;
import dev.loomchat.server.door.web.WebDoor;
import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.Threading;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * mode), and the JSON-lines door's listeners onto it (TCP, optionally TLS and a Unix socket: one virtual
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
    /** The history store, or {@code null} (in memory, or cluster mode). */
    private final SqliteMessageStore store;
    /** The accounts that own nicks: in the store, in Redis in cluster mode, or in memory. */
    private final AccountService accounts;
    private final ChatCore core;
    private final List<BaseServer<SocketChannel>> listeners = new ArrayList<>();
    /** The TLS listener's certificate and handshakes, or null without TLS. */
    private ServerTls tls;
    private BaseServer<SocketChannel> tlsListener;
    private final List<Thread> acceptThreads = new ArrayList<>();
    /** The IRC door's listener, or {@code null} without {@code --irc}. */
    private BaseServer<SocketChannel> ircListener;
    private BaseServer<SocketChannel> ircTlsListener;
    private final ReentrantLock closeLock = new ReentrantLock();
    private final Supervisor supervisor;
    /** The web door's HTTP listener, if {@code --http} was given. */
    private volatile WebDoor webDoor;
    private boolean closed; // guarded by closeLock
    /** Set when close() begins, before the accept loops are told to stop: their ending is expected then. */
    private volatile boolean closing;
    /** Started serving: only then does close() say "stopped" (a failed start says its error, nothing more). */
    private volatile boolean serving;

    private ChatServer(ChatConfig config, Supervisor supervisor) throws StoreOpenException {
        this.config = config;
        this.supervisor = supervisor;
        // First: a store that cannot be opened, or a cluster node whose Redis cannot be reached,
        // fails here, before anything starts.
        if (config.cluster() == null) {
            this.store = config.dataDir() == null ? null : SqliteMessageStore.open(config.dataDir(),
                    config.historyRetention(), config.syncWrites(), supervisor::essential);
            this.bus = new LocalRoomBus(store);
        } else {
            if (config.dataDir() != null) {
                LOG.info("cluster mode: history is kept in Redis, the data directory is not used");
            }
            this.store = null;
            this.bus = new RedisRoomBus(config.cluster(), config.clusterTtl(), Math.max(config.historyLength(), 1),
                    supervisor::essential);
        }
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("loomchat-timers").daemon(true).factory());
        // In cluster mode the accounts live in the Redis every node shares (README "Accounts").
        AccountRecords accountRecords = store != null ? store.accounts()
                : bus instanceof RedisRoomBus redisBus ? redisBus.accounts() : new MemoryAccountRecords();
        this.accounts = new AccountService(accountRecords, new Argon2idHasher(), new LoginThrottle());
        // Bans live in the store; without one in memory (--data none), in Redis in cluster mode.
        this.core = new ChatCore(config, new ServerCounters(), timers, bus, Version.current(), supervisor::failed,
                accounts, store != null ? store.bans()
                        : bus instanceof RedisRoomBus redisBus ? redisBus.bans() : BanStore.memory(),
                System::currentTimeMillis);
        for (String operator : config.operators()) {
            if (!accounts.isRegistered(operator)) {
                LOG.warn("operator {} has no account yet: register it before anyone else does", operator);
            }
        }
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
        TlsConfig tlsConfig = config.tls();
        if (tlsConfig != null) {
            tls = loadTls(tlsConfig);
        }
        if (tlsConfig == null || !tlsConfig.only()) {
            listeners.add(bind(LinesListeners.tcp(core, new InetSocketAddress(config.host(), config.port()),
                    threading(), config.backlog())));
        }
        if (tls != null) {
            tlsListener = bind(LinesListeners.tls(core, new InetSocketAddress(config.host(), tlsConfig.port()), tls,
                    threading(), config.backlog()));
            listeners.add(tlsListener);
        }
        if (config.unixPath() != null) {
            listeners.add(bind(LinesListeners.unix(core, config.unixPath(), threading(), config.backlog())));
        }
        if (config.irc() != null) {
            IrcDoor ircDoor = new IrcDoor(core, config.irc(), timers, Version.current());
            ircListener = bind(ircDoor.listener(threading(), config.backlog()));
            listeners.add(ircListener);
            if (config.irc().tlsAddress() != null) {
                if (tls == null) {
                    throw new TlsSetupException("the IRC door's TLS listener needs a certificate", null);
                }
                ircTlsListener = bind(ircDoor.tlsListener(config.irc().tlsAddress(), tls, threading(), config.backlog()));
                listeners.add(ircTlsListener);
            }
        }
        if (config.http() != null) {
            try {
                if (config.httpTls() && tls == null) {
                    throw new TlsSetupException("the web door's HTTPS needs a certificate", null);
                }
                webDoor = WebDoor.start(core, config.http(), config.httpAllowedOrigins(),
                        () -> closing || supervisor.failed() != null, config.httpTls() ? tls : null);
            } catch (RuntimeException e) {
                throw new IOException("cannot serve HTTP on " + config.http().getHostString() + ":"
                        + config.http().getPort() + ": " + (e.getMessage() == null ? e : e.getMessage()), e);
            }
        }
        long keepaliveMillis = Math.clamp(Math.min(config.idleTimeout().toMillis(), config.pingTimeout().toMillis()) / 4,
                10, 1000);
        // A periodic task that throws is never run again: each one is an essential thread.
        timers.scheduleWithFixedDelay(supervisor.essential("keepalive", () -> core.keepalive(System.nanoTime())),
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
                    if (closing) {
                        return; // closed before its loop began (ClosedChannelException): not a failure
                    }
                    throw new UncheckedIOException(e);
                }
                if (!closing) {
                    throw new IllegalStateException("the accept loop ended while the server was open");
                }
            })));
        }
    }

    private ServerTls loadTls(TlsConfig tlsConfig) throws TlsSetupException {
        try {
            return tlsConfig.selfSigned() ? ServerTls.selfSigned(config.host(), tlsConfig.handshakeTimeout())
                    : ServerTls.fromFiles(tlsConfig.certificate(), tlsConfig.key(), tlsConfig.handshakeTimeout());
        } catch (IOException e) {
            throw new TlsSetupException(e.getMessage(), e);
        }
    }

    /** The TLS certificate or key could not be loaded: the server does not start. */
    public static final class TlsSetupException extends IOException {
        TlsSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The TLS listener's address, if serving TLS. */
    public Optional<InetSocketAddress> tlsAddress() {
        return Optional.ofNullable(tlsListener).map(l -> (InetSocketAddress) l.serverAddress());
    }

    /** The TLS certificate (subject, expiry, fingerprint) and, if self-signed, the file holding it. */
    public Optional<ServerTls> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * Reads the TLS certificate and key files again: new handshakes get the new certificate,
     * open connections keep theirs ({@code SIGHUP} in {@code loomchat server}).
     *
     * @return the new certificate, described
     * @throws IOException if there is no TLS, or the files cannot be read (the old certificate stays)
     */
    public String reloadTls() throws IOException {
        if (tls == null) {
            throw new IOException("no TLS listener");
        }
        return tls.reload();
    }

    /** Why the server can no longer serve (an essential thread died), or {@code null} while it can. */
    public String failure() {
        return supervisor.failed();
    }

    Supervisor supervisor() {
        return supervisor;
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

    /** The bound TCP address (the real port when configured with port 0); the TLS one with {@code --tls-only}. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listeners.getFirst().serverAddress();
    }

    /** The IRC door's bound address (the real port when configured with port 0), if it has one. */
    public Optional<InetSocketAddress> ircAddress() {
        return Optional.ofNullable(ircListener).map(listener -> (InetSocketAddress) listener.serverAddress());
    }

    /** The IRC door's TLS address, if it has one. */
    public Optional<InetSocketAddress> ircTlsAddress() {
        return Optional.ofNullable(ircTlsListener).map(listener -> (InetSocketAddress) listener.serverAddress());
    }

    /** The web door's bound HTTP address (the real port when configured with port 0), if serving one. */
    public Optional<InetSocketAddress> httpAddress() {
        WebDoor door = webDoor;
        return door == null ? Optional.empty() : Optional.of(door.address());
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
            closing = true;
            for (BaseServer<SocketChannel> listener : listeners) {
                listener.shutdown();
                closeQuietly(listener.fileno());
            }
            core.shutdown(config.shutdownGrace()); // /healthz answers 503 meanwhile
            if (webDoor != null) {
                webDoor.close();
            }
            listeners.forEach(BaseServer::serverClose); // joins the handler threads
            for (Thread thread : acceptThreads) {
                thread.join();
            }
            timers.shutdownNow();
            bus.close();
            if (store != null) {
                store.close(); // after every handler: nothing is appended any more
            }
            if (serving) {
                LOG.info("stopped");
            }
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
