package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.tls.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The web door over TLS (issue 21): HTTPS for the page and health, WSS for the chat, the server's certificate. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebDoorTlsTest {

    @TempDir
    Path dir;

    @Test
    void theWebDoorServesHttpsAndWss() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "web");
        try (ChatServer server = ChatServer.start(TestServers.config()
                .http(new InetSocketAddress("127.0.0.1", 0)).httpTls(true)
                .tls(TlsConfig.fromFiles(pair.certificate(), pair.key()).withPort(0)).build())) {
            InetSocketAddress address = server.httpAddress().orElseThrow();
            String base = "127.0.0.1:" + address.getPort();
            HttpClient https = HttpClient.newBuilder().sslContext(pair.trustingIt())
                    .connectTimeout(Duration.ofSeconds(20)).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://" + base + "/healthz"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create("https://" + base + "/"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("loomchat"), page.body());

            try (WsTestClient web = WsTestClient.connect(https, URI.create("wss://" + base + "/ws"));
                 TestClient tcp = TestClient.welcomed(server, "tcp")) {
                web.hello("secureweb");
                web.join("#wss");
                tcp.join("#wss");
                web.say("#wss", "over wss");
                assertEquals("over wss", tcp.await(ServerMessage.ChatMessage.class).text());
            }

            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
            assertThrows(IOException.class, () -> untrusting.send(
                    HttpRequest.newBuilder(URI.create("https://" + base + "/healthz")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()), "a client that does not trust the certificate is refused");
        }
    }
}
