package dev.loomchat.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
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

    @Option(names = "--http", defaultValue = "${env:LOOMCHAT_HTTP}", paramLabel = "HOST:PORT",
            converter = HttpAddressConverter.class,
            description = "also serve the web door here: the chat page, its WebSocket /ws, /healthz and /metrics "
                    + "[LOOMCHAT_HTTP] (default: none, no HTTP listener)")
    java.net.InetSocketAddress http;

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
                .cluster(cluster).clusterTtl(clusterTtl)
                .http(http).httpAllowedOrigins(httpAllowedOrigins == null ? java.util.List.of() : httpAllowedOrigins)
                .build();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        // slf4j-simple reads its level once, at the first logger: set it before anything logs.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel.name());
        if (healthcheck) {
            String problem = HealthCheck.probe(host, port);
            if (problem == null && http != null) {
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
        } catch (IOException e) {
            System.err.println("loomchat server: " + (e.getMessage() != null && e.getMessage().startsWith("cannot serve HTTP")
                    ? e.getMessage()
                    : "cannot listen on " + config.host() + ":" + config.port()
                    + (config.unixPath() == null ? "" : " / " + config.unixPath()) + ": " + e.getMessage()));
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
        System.out.println("listening on " + server.address().getAddress().getHostAddress() + ":"
                + server.address().getPort() + server.unixPath().map(p -> " and " + p).orElse(""));
        server.httpAddress().ifPresent(a -> System.out.println("web chat on http://"
                + (a.getHostString().contains(":") ? "[" + a.getHostString() + "]" : a.getHostString()) + ":"
                + a.getPort() + "/"));
        System.out.flush();
        stopped.await();
        return 0;
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
