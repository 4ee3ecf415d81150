package dev.loomchat.server.door.web;

import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.tls.ServerTls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The web door's HTTP listener (Helidon WebServer, a virtual thread per connection):
 *
 * <ul>
 *   <li>{@code /} the chat page and its assets, from the jar ({@code web/} on the class path);</li>
 *   <li>{@code /ws} the WebSocket endpoint, one {@link ChatSocket} per connection on the
 *       server's {@link ChatCore}; the upgrade is refused with 403 unless the page's
 *       {@code Origin} is the server's own or an allowed one (a request without {@code Origin},
 *       from a program rather than a browser, is let in);</li>
 *   <li>{@code /healthz} 200 while serving, 503 while the server drains for shutdown (or fails);</li>
 *   <li>{@code /metrics} Prometheus text ({@link ChatMetrics}).</li>
 * </ul>
 *
 * <p>Every response carries the {@link SecurityHeaders}. Helidon logs through
 * {@code java.util.logging}, warnings only ({@link HelidonLogging}).
 *
 * <p>Threading: {@link #start} once; {@link #close} from any thread, idempotent.
 */
public final class WebDoor implements AutoCloseable {

    private final WebServer server;
    private final ChatMetrics metrics;
    private final String host;
    private final boolean secure;

    private WebDoor(WebServer server, ChatMetrics metrics, String host, boolean secure) {
        this.server = server;
        this.metrics = metrics;
        this.host = host;
        this.secure = secure;
    }

    /** Whether the listener speaks HTTPS (and WSS). */
    public boolean secure() {
        return secure;
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param allowedOrigins origins whose pages may open the WebSocket as well as the server's own
     *                       (empty: the server's own only, checked against the request's Host)
     * @param unhealthy      true while {@code /healthz} must answer 503 (draining, failing)
     * @throws java.io.UncheckedIOException or another runtime exception if the address cannot be bound
     */
    public static WebDoor start(ChatCore core, InetSocketAddress address, List<String> allowedOrigins,
                                BooleanSupplier unhealthy) {
        return start(core, address, allowedOrigins, unhealthy, null);
    }

    /**
     * As {@link #start(ChatCore, InetSocketAddress, List, BooleanSupplier)}, over TLS (HTTPS and
     * WSS, TLS 1.3 and 1.2) when {@code tls} is given: its certificate, reloaded with it.
     */
    public static WebDoor start(ChatCore core, InetSocketAddress address, List<String> allowedOrigins,
                                BooleanSupplier unhealthy, ServerTls tls) {
        new HelidonLogging().initialization();
        ChatMetrics metrics = new ChatMetrics(core);
        int maxMessageBytes = core.config().maxLineBytes();
        WsConfig ws = WsConfig.builder()
                .maxFrameLength(maxMessageBytes)
                .origins(origins(address, allowedOrigins, tls != null ? "https" : "http"))
                .build();
        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(new SecurityHeaders())
                .get("/healthz", (req, res) -> health(res, unhealthy.getAsBoolean(),
                        core.stats().getOrDefault("storeDegraded", 0L) != 0))
                .get("/metrics", (req, res) -> {
                    res.headers().contentType(io.helidon.common.media.type.MediaTypes.create(ChatMetrics.contentType()));
                    res.send(metrics.scrape());
                })
                .get("/ws", WebDoor::notAnUpgrade)
                .register("/", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                        .location("web").welcome("index.html").build()));
        WebServer server;
        try {
            var builder = WebServer.builder();
            if (tls != null) {
                builder.tls(io.helidon.common.tls.Tls.builder().sslContext(tls.context())
                        .enabledProtocols(ServerTls.PROTOCOLS).build());
            }
            server = builder
                    .host(address.getHostString())
                    .port(address.getPort())
                    .shutdownHook(false) // the application shuts down in order (ChatServer.close)
                    .shutdownGracePeriod(java.time.Duration.ofMillis(500))
                    .addProtocol(ws)
                    .routing(routing)
                    .addRouting(WsRouting.builder().endpoint("/ws", () -> new ChatSocket(core)))
                    .build()
                    .start();
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        return new WebDoor(server, metrics, address.getHostString(), tls != null);
    }

    /**
     * Helidon's check: with no list, an {@code Origin} must match the request's {@code Host}
     * (same origin); with a list, it must be in it, so the server's own origins are added
     * ({@code http://HOST:PORT} of the listener, and {@code localhost} for a loopback one). With
     * port 0 the port is not known before binding, so only the listed origins are allowed then.
     */
    static Set<String> origins(InetSocketAddress address, List<String> allowed, String scheme) {
        Set<String> origins = new LinkedHashSet<>();
        if (allowed.isEmpty()) {
            return origins;
        }
        for (String origin : allowed) {
            origins.add(origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin);
        }
        int port = address.getPort();
        if (port != 0) {
            String host = address.getHostString();
            origins.add(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
            InetAddress ip = address.getAddress();
            if (ip != null && ip.isLoopbackAddress()) {
                origins.add(scheme + "://localhost:" + port);
                origins.add(scheme + "://127.0.0.1:" + port);
            }
        }
        return origins;
    }

    /**
     * 503 while draining or failing; otherwise 200, saying when the history store is degraded
     * (chat goes on in memory then, so the server is still healthy enough to keep: README
     * "History store").
     */
    private static void health(ServerResponse res, boolean unhealthy, boolean storeDegraded) {
        res.headers().contentType(io.helidon.common.media.type.MediaTypes.TEXT_PLAIN);
        if (unhealthy) {
            res.status(Status.SERVICE_UNAVAILABLE_503).send("draining\n");
        } else {
            res.send(storeDegraded ? "ok, history store degraded (not writing to disk)\n" : "ok\n");
        }
    }

    /** A plain GET of {@code /ws}, or an upgrade Helidon did not take: say what is expected. */
    private static void notAnUpgrade(ServerRequest req, ServerResponse res) {
        res.status(Status.UPGRADE_REQUIRED_426);
        res.header(HeaderNames.UPGRADE, "websocket");
        res.headers().contentType(io.helidon.common.media.type.MediaTypes.TEXT_PLAIN);
        res.send("/ws is the chat's WebSocket endpoint (PROTOCOL.md, \"WebSocket\")\n");
    }

    /** The bound address (the real port when configured with port 0). */
    public InetSocketAddress address() {
        return new InetSocketAddress(host, server.port());
    }

    /** Stops the listener: open connections are closed (the core has already drained them). */
    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            metrics.close();
        }
    }
}
