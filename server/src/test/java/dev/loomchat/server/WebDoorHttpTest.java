package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ServerMessage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The web door's HTTP side: the page and its headers, {@code /healthz} through a shutdown, {@code /metrics}. */
class WebDoorHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    /** One sample line of Prometheus's text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? "
                    + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( [0-9]+)?");

    static HttpResponse<String> get(ChatServer server, String path) throws Exception {
        InetSocketAddress http = server.httpAddress().orElseThrow();
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsAssetsComeFromTheJarWithTheSecurityHeaders() throws Exception {
        try (ChatServer server = ChatServer.start(WebDoorWebSocketTest.config().build())) {
            HttpResponse<String> page = get(server, "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script type=\"module\" src=\"js/main.js\"></script>"));
            String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
            for (String asset : new String[] {"/js/main.js", "/js/connection.js", "/js/commands.js", "/js/view.js",
                    "/js/nickcolors.js", "/app.css"}) {
                HttpResponse<String> response = get(server, asset);
                assertEquals(200, response.statusCode(), asset);
                assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElseThrow(), asset);
                assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow(), asset);
            }
            assertTrue(get(server, "/js/main.js").headers().firstValue("Content-Type").orElseThrow().contains("javascript"));
            assertEquals("public, max-age=86400", get(server, "/icon.svg").headers().firstValue("Cache-Control").orElseThrow());
            assertEquals(404, get(server, "/nothing-here").statusCode());
            HttpResponse<String> plainWs = get(server, "/ws");
            assertEquals(426, plainWs.statusCode());
            assertEquals("no-store", plainWs.headers().firstValue("Cache-Control").orElseThrow());
        }
    }

    @Test
    void healthzIs200WhileServingAnd503WhileDrainingForShutdown() throws Exception {
        ChatServer server = ChatServer.start(WebDoorWebSocketTest.config().shutdownGrace(Duration.ofSeconds(30)).build());
        Thread closer = null;
        try (WsTestClient lingering = WsTestClient.slowToClose(server)) {
            lingering.hello("lingering");
            HttpResponse<String> healthy = get(server, "/healthz");
            assertEquals(200, healthy.statusCode());
            assertEquals("ok\n", healthy.body());
            assertEquals("no-store", healthy.headers().firstValue("Cache-Control").orElseThrow());

            // The drain waits for this client to answer the close frame, which it holds back.
            closer = Thread.ofPlatform().start(server::close);
            lingering.next(ServerMessage.Shutdown.class);
            assertEquals(1001, lingering.awaitClose().code());
            HttpResponse<String> draining = get(server, "/healthz");
            assertEquals(503, draining.statusCode());
            assertEquals("draining\n", draining.body());
            assertTrue(closer.isAlive(), "still draining");
            lingering.answerClose.complete(null);
            closer.join(Duration.ofSeconds(30));
            assertTrue(!closer.isAlive(), "the shutdown ended once the client answered");
        } finally {
            server.close();
        }
    }

    @Test
    void metricsParseAsPrometheusTextAndTheirCountersMoveWhenClientsChat() throws Exception {
        try (ChatServer server = ChatServer.start(WebDoorWebSocketTest.config().build())) {
            Map<String, Double> before = metrics(server);
            assertEquals(0.0, before.get("loomchat_connections{door=\"web\"}"));
            assertEquals(0.0, before.get("loomchat_connections{door=\"lines\"}"));
            assertTrue(before.get("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}") != null
                    || before.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{area=\"heap\"")), "heap");
            assertTrue(before.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_")), "gc");
            assertTrue(before.keySet().stream().anyMatch(k -> k.startsWith("jvm_threads_live_threads")), "threads");
            assertTrue(before.keySet().stream().anyMatch(k -> k.startsWith("jvm_threads_virtual_")), "virtual threads");

            try (WsTestClient web = WsTestClient.welcomed(server, "webby");
                 TestClient tcp = TestClient.welcomed(server, "tcpy")) {
                web.join("#m");
                tcp.join("#m");
                web.say("#m", "counted");
                tcp.await(ServerMessage.ChatMessage.class);
                Map<String, Double> during = metrics(server);
                assertEquals(1.0, during.get("loomchat_connections{door=\"web\"}"));
                assertEquals(1.0, during.get("loomchat_connections{door=\"lines\"}"));
                assertEquals(1.0, during.get("loomchat_rooms"));
                assertEquals(2.0, during.get("loomchat_room_members"));
                assertEquals(2.0, during.get("loomchat_sessions_welcomed"));
                assertTrue(during.get("loomchat_messages_in_total") >= 1.0);
                assertTrue(during.get("loomchat_frames_in_total") > before.get("loomchat_frames_in_total"));
                assertTrue(during.get("loomchat_frames_out_total") > before.get("loomchat_frames_out_total"));
                assertTrue(during.get("loomchat_bytes_in_total") > 0 && during.get("loomchat_bytes_out_total") > 0);
                assertEquals(0.0, during.get("loomchat_disconnects_total{reason=\"slow_consumer\"}"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics(server).get("loomchat_connections{door=\"web\"}") == 0.0);
        }
    }

    /** The samples of {@code /metrics} by name and labels, every line checked against the text format. */
    static Map<String, Double> metrics(ChatServer server) throws Exception {
        HttpResponse<String> response = get(server, "/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), () -> "not Prometheus text: " + line);
            samples.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)),
                    Double.parseDouble(sample.group(3).replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
        }
        return samples;
    }
}
