package dev.loomchat.server;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.Limits;
import dev.loomchat.protocol.Protocol;
import dev.loomchat.server.store.HistoryRetention;
import dev.loomchat.server.door.irc.IrcConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Every tunable of the chat server, with its default as a named constant (unit in the name).
 * Immutable; build one with {@link #builder()}.
 *
 * @param host            address to listen on (default 127.0.0.1; the Docker image uses 0.0.0.0)
 * @param port            TCP port, 0 = any free port (default 9999)
 * @param unixPath        an AF_UNIX socket to serve as well, or {@code null}
 * @param password        the server password clients must give in {@code hello}, or {@code null}
 * @param maxLineBytes    longest client line
 * @param msgRate         sustained requests per second per connection; 0 = unlimited
 * @param msgBurst        requests allowed at once (token bucket size)
 * @param maxConnections  open connections at once; more get {@code server_full}
 * @param maxRooms        rooms one client may be in
 * @param historyLength   messages a room keeps for replay
 * @param historyBytes    bytes of history kept in memory across all rooms; beyond it the oldest
 *                        messages of any room are forgotten first
 * @param replayBytes     most bytes of replayed messages one {@code join} or {@code history} reply carries
 * @param idleTimeout     silence before the server pings
 * @param pingTimeout     time after that ping before disconnecting
 * @param outboxFrames    frames a connection's outbound queue holds before the client is a slow consumer
 * @param outboxBytes     bytes a connection's outbound queue holds before the client is a slow consumer
 * @param shutdownGrace   how long a graceful shutdown waits for queues to flush
 * @param statsInterval   how often counters are logged; zero = never
 * @param backlog         listen backlog (Python's {@code request_queue_size})
 * @param platformThreads handlers on platform threads instead of virtual ones (for comparison)
 * @param cluster         {@code redis://HOST:PORT} of the Redis that nodes share rooms through
 *                        (README "Cluster mode"), or {@code null}: a single node, all in memory
 * @param clusterTtl      cluster mode: how long a dead node's nicks and presence outlive it
 * @param maxConnectionsPerAddress connections one source address may have open at once (any door); 0 = no limit
 * @param connectRatePerAddress    new connections per second one source address may make, sustained, in bursts
 *                                 of {@link #connectBurst}; 0 = no limit
 * @param exemptLoopback  loopback addresses are not limited (tests and benchmarks)
 * @param tls             TLS on the JSON-lines door (a TLS listener beside the plain one, or instead), or {@code null}
 * @param dataDir         the history store's directory (README "History store"), or {@code null}:
 *                        history in memory only, ids from 1 (the default here; {@code loomchat
 *                        server} defaults to {@link #defaultDataDir()}). Not used in cluster mode
 * @param historyRetention how long the store keeps messages
 * @param syncWrites      every room message is durable in the store before it is delivered
 * @param irc             the IRC door ({@code --irc}), or {@code null}: no IRC door
 * @param http            the web door's HTTP listener (chat page, WebSocket, health, metrics;
 *                        README "In a browser"), or {@code null}: no HTTP listener (the default)
 * @param httpTls         the web door speaks HTTPS and WSS, with the server's TLS certificate ({@link #tls()})
 * @param httpAllowedOrigins origins whose pages may open the web door's WebSocket besides the
 *                        server's own (same-origin pages are always allowed); empty by default
 * @param requireAccount  guests are refused: every {@code hello} must log in to an account (README "Accounts")
 * @param operators       the folded names of the accounts that are server operators ({@code --operator};
 *                        README "Operators and bans"); empty: none
 */
public record ChatConfig(String host, int port, Path unixPath, String password, int maxLineBytes,
                         int msgRate, int msgBurst, int maxConnections, int maxRooms, int historyLength,
                         long historyBytes, int replayBytes, Duration idleTimeout, Duration pingTimeout, int outboxFrames, int outboxBytes,
                         Duration shutdownGrace, Duration statsInterval, int backlog, boolean platformThreads,
                         java.net.URI cluster, Duration clusterTtl, TlsConfig tls,
                         int maxConnectionsPerAddress, int connectRatePerAddress, boolean exemptLoopback,
                         Path dataDir, HistoryRetention historyRetention, boolean syncWrites, IrcConfig irc,
                         java.net.InetSocketAddress http, java.util.List<String> httpAllowedOrigins, boolean httpTls,
                         boolean requireAccount, java.util.Set<String> operators) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = Protocol.DEFAULT_PORT;
    public static final int DEFAULT_MAX_LINE_BYTES = Limits.DEFAULT_MAX_LINE_BYTES;
    public static final int DEFAULT_MSG_RATE_PER_SECOND = Limits.DEFAULT_MSG_RATE;
    public static final int DEFAULT_MSG_BURST = Limits.DEFAULT_MSG_BURST;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_ROOMS = Limits.DEFAULT_MAX_ROOMS;
    public static final int DEFAULT_HISTORY_LENGTH = Limits.DEFAULT_HISTORY_LENGTH;
    /** Room history in memory, all rooms together: a few hundred busy rooms' worth of long messages. */
    public static final long DEFAULT_HISTORY_BYTES = 64L << 20;
    /** A quarter of the outbound queue: a replay never makes a joiner look like a slow consumer. */
    public static final int DEFAULT_REPLAY_BYTES = Limits.DEFAULT_REPLAY_BYTES;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(Limits.DEFAULT_IDLE_TIMEOUT_SECONDS);
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(Limits.DEFAULT_PING_TIMEOUT_SECONDS);
    /** Per-connection outbound queue: enough for bursts in busy rooms, small enough to bound memory. */
    public static final int DEFAULT_OUTBOX_FRAMES = Limits.DEFAULT_OUTBOX_FRAMES;
    public static final int DEFAULT_OUTBOX_BYTES = Limits.DEFAULT_OUTBOX_BYTES;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(60);
    public static final int DEFAULT_BACKLOG = 4096;
    /** A dead node's nicks are free again after this; its live owner refreshes them 3 times as often. */
    public static final Duration DEFAULT_CLUSTER_TTL = Duration.ofSeconds(10);
    /** As Ergo's default: a household or an office behind one address still fits. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 16;
    public static final int DEFAULT_CONNECT_RATE_PER_ADDRESS = 2;
    /** Keep a year, at most a million messages per room. */
    public static final HistoryRetention DEFAULT_HISTORY_RETENTION = HistoryRetention.DEFAULT;

    public ChatConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(statsInterval, "statsInterval");
        requireRange("port", port, 0, 65535);
        requireRange("maxLineBytes", maxLineBytes, 256, 64 << 20);
        requireRange("msgRate", msgRate, 0, Integer.MAX_VALUE);
        requireRange("msgBurst", msgBurst, 1, Integer.MAX_VALUE);
        requireRange("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        requireRange("maxRooms", maxRooms, 1, Integer.MAX_VALUE);
        requireRange("historyLength", historyLength, 0, 1_000_000);
        requireRange("historyBytes", historyBytes, 0, Long.MAX_VALUE);
        requireRange("outboxFrames", outboxFrames, 1, Integer.MAX_VALUE);
        requireRange("outboxBytes", outboxBytes, 1024, Integer.MAX_VALUE);
        requireRange("replayBytes", replayBytes, 0, outboxBytes / 2);
        requireRange("backlog", backlog, 1, Integer.MAX_VALUE);
        requireRange("maxConnectionsPerAddress", maxConnectionsPerAddress, 0, Integer.MAX_VALUE);
        requireRange("connectRatePerAddress", connectRatePerAddress, 0, 1_000_000);
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("pingTimeout", pingTimeout);
        Objects.requireNonNull(clusterTtl, "clusterTtl");
        if (clusterTtl.toMillis() < 300) {
            throw new IllegalArgumentException("clusterTtl must be at least 300 ms: " + clusterTtl);
        }
        httpAllowedOrigins = httpAllowedOrigins == null ? java.util.List.of() : java.util.List.copyOf(httpAllowedOrigins);
        if (cluster != null && (!"redis".equals(cluster.getScheme()) || cluster.getHost() == null)) {
            throw new IllegalArgumentException("cluster must be redis://HOST:PORT: " + cluster);
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
        Objects.requireNonNull(historyRetention, "historyRetention");
        operators = operators == null ? java.util.Set.of() : java.util.Set.copyOf(operators);
        for (String operator : operators) {
            if (!ContentRules.isValidNick(operator) || !ContentRules.fold(operator).equals(operator)) {
                throw new IllegalArgumentException("an operator is an account name (a valid nick, folded): " + operator);
            }
        }
    }

    /**
     * Where {@code loomchat server} keeps its history unless told ({@code --data}):
     * {@code $XDG_DATA_HOME/loomchat}, else {@code ~/.local/share/loomchat}.
     */
    public static Path defaultDataDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "loomchat");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "loomchat");
    }

    /** The defaults. */
    public static ChatConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The limits as announced in {@code welcome}. */
    public Limits limits() {
        return new Limits(maxLineBytes, Limits.DEFAULT_MAX_TEXT_CHARS, msgRate, msgBurst, maxRooms, historyLength,
                ceilSeconds(idleTimeout), ceilSeconds(pingTimeout)).withOutbox(outboxFrames, outboxBytes)
                .withReplayBytes(replayBytes);
    }

    /** New connections one address may make at once: twice what it may keep open (32 without that limit). */
    public static int connectBurst(int maxConnectionsPerAddress) {
        return maxConnectionsPerAddress == 0 ? 32 : 2 * maxConnectionsPerAddress;
    }

    private static int ceilSeconds(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, (duration.toMillis() + 999) / 1000);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Builds a {@link ChatConfig}; every setter starts from the default. Not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path unixPath;
        private String password;
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
        private int msgRate = DEFAULT_MSG_RATE_PER_SECOND;
        private int msgBurst = DEFAULT_MSG_BURST;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxRooms = DEFAULT_MAX_ROOMS;
        private int historyLength = DEFAULT_HISTORY_LENGTH;
        private long historyBytes = DEFAULT_HISTORY_BYTES;
        private int replayBytes = DEFAULT_REPLAY_BYTES;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
        private int outboxFrames = DEFAULT_OUTBOX_FRAMES;
        private int outboxBytes = DEFAULT_OUTBOX_BYTES;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private Duration statsInterval = DEFAULT_STATS_INTERVAL;
        private int backlog = DEFAULT_BACKLOG;
        private boolean platformThreads;
        private java.net.URI cluster;
        private Duration clusterTtl = DEFAULT_CLUSTER_TTL;
        private TlsConfig tls;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int connectRatePerAddress = DEFAULT_CONNECT_RATE_PER_ADDRESS;
        private boolean exemptLoopback;
        private Path dataDir;
        private HistoryRetention historyRetention = DEFAULT_HISTORY_RETENTION;
        private boolean syncWrites;
        private IrcConfig irc;
        private java.net.InetSocketAddress http;
        private java.util.List<String> httpAllowedOrigins = java.util.List.of();
        private boolean httpTls;
        private boolean requireAccount;
        private java.util.Set<String> operators = java.util.Set.of();

        private Builder() {
        }

        private Builder(ChatConfig c) {
            host = c.host; port = c.port; unixPath = c.unixPath; password = c.password;
            maxLineBytes = c.maxLineBytes; msgRate = c.msgRate; msgBurst = c.msgBurst;
            maxConnections = c.maxConnections; maxRooms = c.maxRooms; historyLength = c.historyLength;
            historyBytes = c.historyBytes; replayBytes = c.replayBytes;
            idleTimeout = c.idleTimeout; pingTimeout = c.pingTimeout; outboxFrames = c.outboxFrames;
            outboxBytes = c.outboxBytes; shutdownGrace = c.shutdownGrace; statsInterval = c.statsInterval;
            backlog = c.backlog; platformThreads = c.platformThreads;
            cluster = c.cluster; clusterTtl = c.clusterTtl;
            tls = c.tls;
            maxConnectionsPerAddress = c.maxConnectionsPerAddress; connectRatePerAddress = c.connectRatePerAddress;
            exemptLoopback = c.exemptLoopback;
            dataDir = c.dataDir; historyRetention = c.historyRetention; syncWrites = c.syncWrites;
            irc = c.irc;
            http = c.http; httpAllowedOrigins = c.httpAllowedOrigins; httpTls = c.httpTls;
            requireAccount = c.requireAccount;
            operators = c.operators;
        }

        public Builder host(String value) { host = value; return this; }
        public Builder port(int value) { port = value; return this; }
        public Builder unixPath(Path value) { unixPath = value; return this; }
        public Builder password(String value) { password = value; return this; }
        public Builder maxLineBytes(int value) { maxLineBytes = value; return this; }
        public Builder msgRate(int value) { msgRate = value; return this; }
        public Builder msgBurst(int value) { msgBurst = value; return this; }
        public Builder maxConnections(int value) { maxConnections = value; return this; }
        public Builder maxRooms(int value) { maxRooms = value; return this; }
        public Builder historyLength(int value) { historyLength = value; return this; }
        public Builder historyBytes(long value) { historyBytes = value; return this; }
        public Builder replayBytes(int value) { replayBytes = value; return this; }
        public Builder idleTimeout(Duration value) { idleTimeout = value; return this; }
        public Builder pingTimeout(Duration value) { pingTimeout = value; return this; }
        public Builder outboxFrames(int value) { outboxFrames = value; return this; }
        public Builder outboxBytes(int value) { outboxBytes = value; return this; }
        public Builder shutdownGrace(Duration value) { shutdownGrace = value; return this; }
        public Builder statsInterval(Duration value) { statsInterval = value; return this; }
        public Builder backlog(int value) { backlog = value; return this; }
        public Builder platformThreads(boolean value) { platformThreads = value; return this; }
        public Builder cluster(java.net.URI value) { cluster = value; return this; }
        public Builder clusterTtl(Duration value) { clusterTtl = value; return this; }
        public Builder tls(TlsConfig value) { tls = value; return this; }
        public Builder maxConnectionsPerAddress(int value) { maxConnectionsPerAddress = value; return this; }
        public Builder connectRatePerAddress(int value) { connectRatePerAddress = value; return this; }
        public Builder exemptLoopback(boolean value) { exemptLoopback = value; return this; }
        public Builder dataDir(Path value) { dataDir = value; return this; }
        public Builder historyRetention(HistoryRetention value) { historyRetention = value; return this; }
        public Builder syncWrites(boolean value) { syncWrites = value; return this; }
        public Builder irc(IrcConfig value) { irc = value; return this; }
        public Builder http(java.net.InetSocketAddress value) { http = value; return this; }
        public Builder httpAllowedOrigins(java.util.List<String> value) { httpAllowedOrigins = value; return this; }
        public Builder httpTls(boolean value) { httpTls = value; return this; }

        public Builder requireAccount(boolean value) { requireAccount = value; return this; }

        /** The server operators' account names (folded here; a name that is no valid nick is refused at build). */
        public Builder operators(java.util.Collection<String> names) {
            java.util.Set<String> folded = new java.util.LinkedHashSet<>();
            for (String name : names) {
                folded.add(ContentRules.isValidNick(name) ? ContentRules.fold(name) : name);
            }
            operators = folded;
            return this;
        }

        public ChatConfig build() {
            return new ChatConfig(host, port, unixPath, password, maxLineBytes, msgRate, msgBurst, maxConnections,
                    maxRooms, historyLength, historyBytes, replayBytes, idleTimeout, pingTimeout, outboxFrames, outboxBytes, shutdownGrace,
                    statsInterval, backlog, platformThreads, cluster, clusterTtl, tls,
                    maxConnectionsPerAddress, connectRatePerAddress, exemptLoopback,
                    dataDir, historyRetention, syncWrites, irc,
                    http, httpAllowedOrigins, httpTls, requireAccount, operators);
        }
    }
}
