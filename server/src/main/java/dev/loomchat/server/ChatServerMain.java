package dev.loomchat.server;

import dev.loomchat.server.store.HistoryRetention;
import dev.loomchat.server.store.StoreOpenException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.loomchat.server.door.irc.IrcConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code ./loomchat server}: parses the options (each also settable by an environment variable),
 * starts the {@link ChatServer}, prints {@code listening on HOST:PORT}, and runs until SIGTERM or
 * Ctrl-C. The first signal shuts down gracefully and exits 0; a second one exits at once.
 */
@Command(name = "loomchat server", mixinStandardHelpOptions = true, versionProvider = ChatServerMain.VersionInfo.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs the loomchat JSON-lines chat server. Every option can also be set with the environment "
                + "variable shown in brackets.")
public final class ChatServerMain implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:LOOMCHAT_HOST:-" + ChatConfig.DEFAULT_HOST + "}",
            description = "address to listen on [LOOMCHAT_HOST] (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "${env:LOOMCHAT_PORT:-" + ChatConfig.DEFAULT_PORT + "}",
            description = "TCP port, 0 = any free port [LOOMCHAT_PORT] (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--unix", defaultValue = "${env:LOOMCHAT_UNIX}",
            description = "also serve on this Unix socket path [LOOMCHAT_UNIX]")
    Path unix;

    @Option(names = "--password", defaultValue = "${env:LOOMCHAT_PASSWORD}",
            description = "password clients must give in hello [LOOMCHAT_PASSWORD] (default: none)")
    String password;

    @Option(names = "--max-line-bytes", defaultValue = "${env:LOOMCHAT_MAX_LINE_BYTES:-" + ChatConfig.DEFAULT_MAX_LINE_BYTES + "}",
            description = "longest client line in bytes [LOOMCHAT_MAX_LINE_BYTES] (default: ${DEFAULT-VALUE})")
    int maxLineBytes;

    @Option(names = "--msg-rate", defaultValue = "${env:LOOMCHAT_MSG_RATE:-" + ChatConfig.DEFAULT_MSG_RATE_PER_SECOND + "}",
            description = "requests per second per connection, 0 = unlimited [LOOMCHAT_MSG_RATE] (default: ${DEFAULT-VALUE})")
    int msgRate;

    @Option(names = "--msg-burst", defaultValue = "${env:LOOMCHAT_MSG_BURST:-" + ChatConfig.DEFAULT_MSG_BURST + "}",
            description = "requests allowed at once [LOOMCHAT_MSG_BURST] (default: ${DEFAULT-VALUE})")
    int msgBurst;

    @Option(names = "--max-connections", defaultValue = "${env:LOOMCHAT_MAX_CONNECTIONS:-" + ChatConfig.DEFAULT_MAX_CONNECTIONS + "}",
            description = "open connections at once [LOOMCHAT_MAX_CONNECTIONS] (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--max-rooms", defaultValue = "${env:LOOMCHAT_MAX_ROOMS:-" + ChatConfig.DEFAULT_MAX_ROOMS + "}",
            description = "rooms per client [LOOMCHAT_MAX_ROOMS] (default: ${DEFAULT-VALUE})")
    int maxRooms;

    @Option(names = "--history", defaultValue = "${env:LOOMCHAT_HISTORY:-" + ChatConfig.DEFAULT_HISTORY_LENGTH + "}",
            description = "messages each room keeps for replay [LOOMCHAT_HISTORY] (default: ${DEFAULT-VALUE})")
    int history;

    @Option(names = "--history-bytes", defaultValue = "${env:LOOMCHAT_HISTORY_BYTES:-" + ChatConfig.DEFAULT_HISTORY_BYTES + "}",
            description = "bytes of history kept in memory, all rooms together; the oldest messages go first "
                    + "[LOOMCHAT_HISTORY_BYTES] (default: ${DEFAULT-VALUE})")
    long historyBytes;

    @Option(names = "--replay-bytes", defaultValue = "${env:LOOMCHAT_REPLAY_BYTES:-" + ChatConfig.DEFAULT_REPLAY_BYTES + "}",
            description = "most bytes of history one join or history reply replays; at most half of --outbox-bytes "
                    + "[LOOMCHAT_REPLAY_BYTES] (default: ${DEFAULT-VALUE})")
    int replayBytes;

    @Option(names = "--idle-timeout", converter = DurationConverter.class, defaultValue = "${env:LOOMCHAT_IDLE_TIMEOUT:-60s}",
            description = "silence before the server pings a client [LOOMCHAT_IDLE_TIMEOUT] (default: ${DEFAULT-VALUE})")
    Duration idleTimeout;

    @Option(names = "--ping-timeout", converter = DurationConverter.class, defaultValue = "${env:LOOMCHAT_PING_TIMEOUT:-30s}",
            description = "time to answer that ping before disconnect [LOOMCHAT_PING_TIMEOUT] (default: ${DEFAULT-VALUE})")
    Duration pingTimeout;

    @Option(names = "--outbox-frames", defaultValue = "${env:LOOMCHAT_OUTBOX_FRAMES:-" + ChatConfig.DEFAULT_OUTBOX_FRAMES + "}",
            description = "frames queued per client before it is a slow consumer [LOOMCHAT_OUTBOX_FRAMES] (default: ${DEFAULT-VALUE})")
    int outboxFrames;

    @Option(names = "--outbox-bytes", defaultValue = "${env:LOOMCHAT_OUTBOX_BYTES:-" + ChatConfig.DEFAULT_OUTBOX_BYTES + "}",
            description = "bytes queued per client before it is a slow consumer [LOOMCHAT_OUTBOX_BYTES] (default: ${DEFAULT-VALUE})")
    int outboxBytes;

    @Option(names = "--shutdown-grace", converter = DurationConverter.class, defaultValue = "${env:LOOMCHAT_SHUTDOWN_GRACE:-5s}",
            description = "how long shutdown waits for queues to flush [LOOMCHAT_SHUTDOWN_GRACE] (default: ${DEFAULT-VALUE})")
    Duration shutdownGrace;

    @Option(names = "--stats-interval", converter = DurationConverter.class, defaultValue = "${env:LOOMCHAT_STATS_INTERVAL:-60s}",
            description = "how often counters are logged, 0 = never [LOOMCHAT_STATS_INTERVAL] (default: ${DEFAULT-VALUE})")
    Duration statsInterval;

    @Option(names = "--threads", defaultValue = "${env:LOOMCHAT_THREADS:-virtual}",
            description = "handler threads: virtual or platform [LOOMCHAT_THREADS] (default: ${DEFAULT-VALUE})")
    ThreadKind threads;

    @Option(names = "--cluster", defaultValue = "${env:LOOMCHAT_CLUSTER}", paramLabel = "redis://HOST:PORT",
            description = "share rooms, nicks and history with other nodes through this Redis [LOOMCHAT_CLUSTER] "
                    + "(default: none, a single node keeps everything in memory)")
    java.net.URI cluster;

    @Option(names = "--cluster-ttl", converter = DurationConverter.class,
            defaultValue = "${env:LOOMCHAT_CLUSTER_TTL:-10s}",
            description = "cluster mode: how long a dead node's nicks and members outlive it [LOOMCHAT_CLUSTER_TTL] "
                    + "(default: ${DEFAULT-VALUE})")
    Duration clusterTtl;

    @Option(names = "--max-connections-per-address",
            defaultValue = "${env:LOOMCHAT_MAX_CONNECTIONS_PER_ADDRESS:-" + ChatConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + "}",
            description = "connections one client address may have open, all doors together; 0 = no limit "
                    + "[LOOMCHAT_MAX_CONNECTIONS_PER_ADDRESS] (default: ${DEFAULT-VALUE})")
    int maxConnectionsPerAddress;

    @Option(names = "--connect-rate-per-address",
            defaultValue = "${env:LOOMCHAT_CONNECT_RATE_PER_ADDRESS:-" + ChatConfig.DEFAULT_CONNECT_RATE_PER_ADDRESS + "}",
            description = "new connections per second one client address may make, sustained (bursts of twice "
                    + "--max-connections-per-address); 0 = no limit [LOOMCHAT_CONNECT_RATE_PER_ADDRESS] "
                    + "(default: ${DEFAULT-VALUE})")
    int connectRatePerAddress;

    @Option(names = "--exempt-loopback", defaultValue = "${env:LOOMCHAT_EXEMPT_LOOPBACK:-false}",
            description = "no per-address limits for loopback clients (tests, benchmarks) [LOOMCHAT_EXEMPT_LOOPBACK]")
    boolean exemptLoopback;

    // Accounts (README "Accounts").
    @Option(names = "--require-account", defaultValue = "${env:LOOMCHAT_REQUIRE_ACCOUNT:-false}",
            description = "refuse guests: every client logs in to an account (JSON hello with accountPassword, "
                    + "IRC SASL); accounts can still be registered before logging in [LOOMCHAT_REQUIRE_ACCOUNT]")
    boolean requireAccount;

    @Option(names = "--operator", defaultValue = "${env:LOOMCHAT_OPERATORS}", split = ",", paramLabel = "ACCOUNT",
            description = "an account that is a server operator (kill, ban, unban, reset passwords; operator powers "
                    + "in every room); repeatable or comma-separated; register the account before anyone else can "
                    + "[LOOMCHAT_OPERATORS]")
    java.util.List<String> operators;

    @Option(names = "--tls-cert", defaultValue = "${env:LOOMCHAT_TLS_CERT}", paramLabel = "FILE",
            description = "PEM certificate chain: serve the protocol over TLS on --tls-port too; reread on SIGHUP "
                    + "[LOOMCHAT_TLS_CERT]")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:LOOMCHAT_TLS_KEY}", paramLabel = "FILE",
            description = "PEM private key of --tls-cert (not encrypted) [LOOMCHAT_TLS_KEY]")
    Path tlsKey;

    @Option(names = "--tls-self-signed", defaultValue = "${env:LOOMCHAT_TLS_SELF_SIGNED:-false}",
            description = "serve TLS with a throw-away self-signed certificate made at start: for testing only "
                    + "[LOOMCHAT_TLS_SELF_SIGNED]")
    boolean tlsSelfSigned;

    @Option(names = "--tls-port", defaultValue = "${env:LOOMCHAT_TLS_PORT:-" + TlsConfig.DEFAULT_PORT + "}",
            description = "TCP port of the TLS listener, on --host [LOOMCHAT_TLS_PORT] (default: ${DEFAULT-VALUE})")
    int tlsPort;

    @Option(names = "--tls-only", defaultValue = "${env:LOOMCHAT_TLS_ONLY:-false}",
            description = "no plain TCP listener, only TLS (a --unix socket, being local, stays) [LOOMCHAT_TLS_ONLY]")
    boolean tlsOnly;

    @Option(names = "--tls-handshake-timeout", converter = DurationConverter.class,
            defaultValue = "${env:LOOMCHAT_TLS_HANDSHAKE_TIMEOUT:-10s}",
            description = "a client must complete the TLS handshake within this [LOOMCHAT_TLS_HANDSHAKE_TIMEOUT] "
                    + "(default: ${DEFAULT-VALUE})")
    Duration tlsHandshakeTimeout;

    @Option(names = "--data", defaultValue = "${env:LOOMCHAT_DATA}", paramLabel = "DIR",
            description = "directory of the history store, or none: history in memory only [LOOMCHAT_DATA] "
                    + "(default: $XDG_DATA_HOME/loomchat, else ~/.local/share/loomchat; not used with --cluster)")
    String data;

    @Option(names = "--history-retention", defaultValue = "${env:LOOMCHAT_HISTORY_RETENTION:-365d,1000000}",
            paramLabel = "AGE,COUNT",
            description = "how long the store keeps messages: an age (365d, 12h) and/or a count per room, or forever "
                    + "[LOOMCHAT_HISTORY_RETENTION] (default: ${DEFAULT-VALUE})")
    String historyRetention;

    @Option(names = "--sync", defaultValue = "${env:LOOMCHAT_SYNC:-false}",
            description = "every message is on disk before it is delivered (slower; default: within "
                    + "about 25 ms after) [LOOMCHAT_SYNC]")
    boolean sync;

    @Option(names = "--irc", defaultValue = "${env:LOOMCHAT_IRC}", paramLabel = "HOST:PORT",
            description = "also serve IRC clients on this address, e.g. 127.0.0.1:6667 [LOOMCHAT_IRC] (default: no IRC door)")
    String irc;

    @Option(names = "--irc-tls", defaultValue = "${env:LOOMCHAT_IRC_TLS}", paramLabel = "HOST:PORT",
            description = "the IRC door over TLS as well, e.g. 127.0.0.1:6697 (needs --tls-cert/--tls-key or "
                    + "--tls-self-signed) [LOOMCHAT_IRC_TLS] (default: none)")
    String ircTls;

    @Option(names = "--motd", defaultValue = "${env:LOOMCHAT_MOTD}", paramLabel = "FILE",
            description = "the IRC door's message of the day, a UTF-8 text file [LOOMCHAT_MOTD] (default: none)")
    Path motd;

    @Option(names = "--http", defaultValue = "${env:LOOMCHAT_HTTP}", paramLabel = "HOST:PORT",
            converter = HttpAddressConverter.class,
            description = "also serve the web door here: the chat page, its WebSocket /ws, /healthz and /metrics "
                    + "[LOOMCHAT_HTTP] (default: none, no HTTP listener)")
    java.net.InetSocketAddress http;

    @Option(names = "--http-tls", defaultValue = "${env:LOOMCHAT_HTTP_TLS:-false}",
            description = "the web door speaks HTTPS and WSS, with the server's certificate (--tls-cert/--tls-key or "
                    + "--tls-self-signed) [LOOMCHAT_HTTP_TLS]")
    boolean httpTls;

    @Option(names = "--http-allowed-origin", defaultValue = "${env:LOOMCHAT_HTTP_ALLOWED_ORIGINS}", split = ",",
            paramLabel = "ORIGIN",
            description = "a web origin (https://chat.example.com) whose pages may open the WebSocket too; the "
                    + "server's own origin always may; repeatable or comma-separated [LOOMCHAT_HTTP_ALLOWED_ORIGINS]")
    java.util.List<String> httpAllowedOrigins;

    @Option(names = "--log-level", defaultValue = "${env:LOOMCHAT_LOG_LEVEL:-info}",
            description = "${COMPLETION-CANDIDATES} [LOOMCHAT_LOG_LEVEL] (default: ${DEFAULT-VALUE})")
    LogLevel logLevel;

    /** The levels of slf4j-simple, the shipped logging binding; anything else is refused. */
    enum LogLevel { error, warn, info, debug, trace }

    @Option(names = "--healthcheck",
            description = "do not serve: ping the server at --host/--port (and GET /healthz at --http, if given), "
                    + "exit 0 if it answers, 1 if not")
    boolean healthcheck;

    /** Handler thread kinds for {@code --threads}. */
    enum ThreadKind { virtual, platform }

    public static void main(String[] args) {
        CarrierThreads.configure(); // before the first virtual thread exists
        CommandLine commandLine = new CommandLine(new ChatServerMain());
        commandLine.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("loomchat server: " + e.getMessage() + " (see --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr().println("loomchat server: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        System.exit(commandLine.execute(args));
    }

    ChatConfig config() {
        return ChatConfig.builder().host(host).port(port).unixPath(unix).password(password)
                .maxLineBytes(maxLineBytes).msgRate(msgRate).msgBurst(msgBurst).maxConnections(maxConnections)
                .maxRooms(maxRooms).historyLength(history).historyBytes(historyBytes).replayBytes(replayBytes).idleTimeout(idleTimeout).pingTimeout(pingTimeout)
                .outboxFrames(outboxFrames).outboxBytes(outboxBytes).shutdownGrace(shutdownGrace)
                .statsInterval(statsInterval).platformThreads(threads == ThreadKind.platform)
                .cluster(cluster).clusterTtl(clusterTtl).tls(tlsConfig()).maxConnectionsPerAddress(maxConnectionsPerAddress)
                .connectRatePerAddress(connectRatePerAddress).exemptLoopback(exemptLoopback)
                .dataDir(dataDir()).historyRetention(HistoryRetention.parse(historyRetention)).syncWrites(sync).irc(ircConfig())
                .http(http).httpAllowedOrigins(httpAllowedOrigins == null ? java.util.List.of() : httpAllowedOrigins)
                .httpTls(httpTlsChecked())
                .requireAccount(requireAccount)
                .operators(operators == null ? java.util.List.of() : operators.stream().map(String::trim)
                        .filter(name -> !name.isEmpty()).toList())
                .build();
    }

    private TlsConfig tlsConfig() {
        if (tlsCert == null && tlsKey == null && !tlsSelfSigned) {
            if (tlsOnly) {
                throw new IllegalArgumentException("--tls-only needs --tls-cert and --tls-key, or --tls-self-signed");
            }
            return null;
        }
        if (!tlsSelfSigned && (tlsCert == null || tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key (or --tls-self-signed)");
        }
        if (tlsSelfSigned && (tlsCert != null || tlsKey != null)) {
            throw new IllegalArgumentException("give --tls-cert and --tls-key, or --tls-self-signed, not both");
        }
        return new TlsConfig(tlsCert, tlsKey, tlsSelfSigned, tlsPort, tlsOnly, tlsHandshakeTimeout);
    }

    /** {@code --data}: a directory, {@code none} (no store), or absent (the default directory). */
    private Path dataDir() {
        if (data == null || data.isBlank()) {
            return ChatConfig.defaultDataDir();
        }
        return data.trim().equals("none") ? null : Path.of(data.trim());
    }

    private boolean httpTlsChecked() {
        if (httpTls && http == null) {
            throw new IllegalArgumentException("--http-tls is the web door's TLS: give --http HOST:PORT too");
        }
        if (httpTls && tlsCert == null && !tlsSelfSigned) {
            throw new IllegalArgumentException("--http-tls needs --tls-cert and --tls-key, or --tls-self-signed");
        }
        return httpTls;
    }

    /** The IRC door's settings, or {@code null} without {@code --irc}. */
    private IrcConfig ircConfig() {
        if (irc == null || irc.isBlank()) {
            if (ircTls != null && !ircTls.isBlank()) {
                throw new IllegalArgumentException("--irc-tls is the IRC door's TLS listener: give --irc HOST:PORT too");
            }
            if (motd != null) {
                throw new IllegalArgumentException("--motd is for the IRC door: give --irc HOST:PORT too");
            }
            return null;
        }
        java.util.List<String> lines = null;
        if (motd != null) {
            try {
                lines = java.nio.file.Files.readAllLines(motd, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("cannot read --motd " + motd + ": no such file");
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("cannot read --motd " + motd + ": " + e.getMessage());
            }
        }
        IrcConfig config = new IrcConfig(IrcConfig.parseAddress(irc.trim()), lines, IrcConfig.DEFAULT_REGISTRATION_TIMEOUT,
                null);
        if (ircTls != null && !ircTls.isBlank()) {
            if (tlsCert == null && !tlsSelfSigned) {
                throw new IllegalArgumentException("--irc-tls needs --tls-cert and --tls-key, or --tls-self-signed");
            }
            config = config.withTls(IrcConfig.parseAddress(ircTls.trim()));
        }
        return config;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        // slf4j-simple reads its level once, at the first logger: set it before anything logs.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel.name());
        if (healthcheck) {
            String problem = tlsOnly ? HealthCheck.probe(host, tlsPort, true) : HealthCheck.probe(host, port);
            if (problem == null && http != null && !httpTls) { // over HTTPS the chat probe above is enough
                problem = HealthCheck.probeHttp(http);
            }
            System.out.println(problem == null ? "healthy" : "unhealthy: " + problem);
            return problem == null ? 0 : 1;
        }
        ChatConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("loomchat server: " + e.getMessage());
            return 2;
        }
        ChatServer server;
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        try {
            server = ChatServer.start(config, new Supervisor(cause -> exitFailed(stopping)));
        } catch (ChatServer.TlsSetupException e) {
            System.err.println("loomchat server: tls: " + e.getMessage());
            return 1;
        } catch (StoreOpenException e) {
            System.err.println("loomchat server: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("loomchat server: " + (e.getMessage() != null && e.getMessage().startsWith("cannot serve HTTP")
                    ? e.getMessage()
                    : "cannot listen on " + config.host() + ":" + config.port()
                    + (config.unixPath() == null ? "" : " / " + config.unixPath())
                    + (config.irc() == null ? "" : " / IRC " + irc.trim()) + ": " + e.getMessage()));
            return 1;
        }
        serving = server;
        sun.misc.SignalHandler onSignal = signal -> {
            if (stopping.compareAndSet(false, true)) {
                Thread.ofPlatform().name("loomchat-shutdown").start(() -> {
                    server.close();
                    stopped.countDown();
                });
            } else {
                Runtime.getRuntime().halt(128 + signal.getNumber()); // second signal: exit at once
            }
        };
        Signal.handle(new Signal("TERM"), onSignal);
        Signal.handle(new Signal("INT"), onSignal);
        server.tls().ifPresent(tls -> Signal.handle(new Signal("HUP"), signal -> reloadTls(server)));
        System.out.println("listening on " + hostPort(server.address())
                + (config.tls() != null && config.tls().only() ? " (tls)"
                        : server.tlsAddress().map(a -> " and tls " + hostPort(a)).orElse(""))
                + server.unixPath().map(p -> " and " + p).orElse(""));
        server.tls().ifPresent(tls -> {
            System.out.println("tls certificate: " + tls.describe());
            tls.selfSignedCertificateFile().ifPresent(file -> System.out.println(
                    "tls: self-signed, for testing only: clients trust it with --tls-ca " + file));
        });
        server.ircAddress().ifPresent(a -> System.out.println("IRC door on " + a.getAddress().getHostAddress() + ":"
                + a.getPort()));
        server.ircTlsAddress().ifPresent(a -> System.out.println("IRC door (tls) on " + hostPort(a)));
        server.httpAddress().ifPresent(a -> System.out.println("web chat on " + (config.httpTls() ? "https" : "http") + "://"
                + (a.getHostString().contains(":") ? "[" + a.getHostString() + "]" : a.getHostString()) + ":"
                + a.getPort() + "/"));
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static String hostPort(java.net.InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** SIGHUP: the TLS files are read again; a failure keeps the current certificate. */
    private static void reloadTls(ChatServer server) {
        Thread.ofPlatform().name("loomchat-tls-reload").start(() -> {
            // Made here, not in a static field: slf4j-simple fixes its level at the first logger.
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChatServerMain.class);
            try {
                log.info("tls: reloaded the certificate: {}", server.reloadTls());
            } catch (IOException e) {
                log.warn("tls: reload failed, keeping the current certificate: {}", e.getMessage());
            }
        });
    }

    /** The server this process runs, once started (read by the failure path). */
    private static volatile ChatServer serving;

    /**
     * An essential thread died: shut down as for SIGTERM (clients are told), then exit with
     * {@link Supervisor#EXIT_STATUS}, at the latest a few seconds after the grace period.
     */
    private static void exitFailed(AtomicBoolean stopping) {
        Thread.ofPlatform().name("loomchat-failed").start(() -> {
            ChatServer server = serving;
            Thread watchdog = Thread.ofPlatform().daemon().name("loomchat-failed-watchdog").start(() -> {
                try {
                    Thread.sleep(server == null ? Duration.ofSeconds(5)
                            : server.config().shutdownGrace().plusSeconds(5));
                } catch (InterruptedException e) {
                    return;
                }
                Runtime.getRuntime().halt(Supervisor.EXIT_STATUS);
            });
            if (server != null && stopping.compareAndSet(false, true)) {
                server.close();
            }
            watchdog.interrupt();
            Runtime.getRuntime().halt(Supervisor.EXIT_STATUS);
        });
    }

    /** {@code --version}. */
    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"loomchat server " + Version.current()};
        }
    }
}
