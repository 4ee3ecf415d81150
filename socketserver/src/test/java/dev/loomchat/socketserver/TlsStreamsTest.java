package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.socketserver.tls.NotTlsException;
import dev.loomchat.socketserver.tls.TlsStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsStreams} under a {@link StreamRequestHandler}: a TLS echo, a plain client told so in
 * plain text, a client that never handshakes timed out, and no pinned carriers while many TLS
 * clients talk at once. The certificate is a throw-away one made by the JDK's {@code keytool}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsStreamsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    @TempDir
    static Path dir;

    private final HandlerErrors errors = new HandlerErrors();

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trust.getTrustManagers(), null);
    }

    /** Upper-cases each line over TLS; a plain client gets one plain line and the connection ends. */
    static final class TlsUpperHandler extends StreamRequestHandler {
        private final Duration handshakeTimeout;
        private boolean plainClient;

        TlsUpperHandler(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }

        @Override
        protected ConnectionStreams streams() throws IOException {
            try {
                return TlsStreams.serverSide(connection(), serverContext, null, handshakeTimeout);
            } catch (NotTlsException e) {
                plainClient = true;
                return super.streams();
            }
        }

        @Override
        protected void handle() throws IOException {
            if (plainClient) {
                wfile().write("this port speaks TLS\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            for (byte[] line; (line = rfile().readline()).length > 0; ) {
                wfile().write(new String(line, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)
                        .getBytes(StandardCharsets.UTF_8));
                wfile().flush();
            }
        }
    }

    private ThreadingTCPServer server(Duration handshakeTimeout) throws IOException {
        return new ThreadingTCPServer(loopback(), () -> new TlsUpperHandler(handshakeTimeout)) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        };
    }

    private static SSLSocket tlsClient(SocketAddress address) throws IOException {
        InetSocketAddress inet = (InetSocketAddress) address;
        SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(inet.getAddress(), inet.getPort());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        return socket;
    }

    private static String roundTrip(Socket socket, String line) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return TestNet.readLineString(socket.getInputStream());
    }

    @Test
    void aTlsClientTalksThroughTheHandlersFiles() throws Exception {
        try (ThreadingTCPServer server = server(Duration.ofSeconds(30));
             BackgroundServing serving = BackgroundServing.start(server);
             SSLSocket client = tlsClient(server.serverAddress())) {
            assertEquals("HELLO OVER TLS\n", roundTrip(client, "hello over tls"));
            assertEquals("AGAIN\n", roundTrip(client, "again"));
            assertTrue(client.getSession().getProtocol().startsWith("TLSv1."), client.getSession().getProtocol());
            client.close();
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void aPlainClientIsAnsweredInPlainText() throws Exception {
        try (ThreadingTCPServer server = server(Duration.ofSeconds(30));
             BackgroundServing serving = BackgroundServing.start(server);
             Socket client = new Socket()) {
            client.connect(server.serverAddress());
            client.setSoTimeout((int) PATIENCE.toMillis());
            assertEquals("this port speaks TLS\n", roundTrip(client, "hello in clear"));
            assertEquals(-1, client.getInputStream().read(), "then the server closes");
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void aClientThatNeverHandshakesIsTimedOut() throws Exception {
        try (ThreadingTCPServer server = server(Duration.ofMillis(300));
             BackgroundServing serving = BackgroundServing.start(server);
             Socket silent = new Socket();
             Socket partial = new Socket()) {
            silent.connect(server.serverAddress());
            partial.connect(server.serverAddress());
            partial.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // a handshake record begun, never ended
            for (Socket client : List.of(silent, partial)) {
                client.setSoTimeout((int) PATIENCE.toMillis());
                assertEquals(-1, client.getInputStream().read(), "the server closes the connection");
            }
            await().atMost(PATIENCE).until(() -> errors.count() == 2);
            for (Exception error : errors.errors()) {
                assertInstanceOf(SocketTimeoutException.class, error);
            }
            serving.stop();
        }
    }

    @Test
    void tlsHandshakesAndReadsDoNotPinCarriers() throws Exception {
        try (ThreadingTCPServer server = server(Duration.ofSeconds(60));
             BackgroundServing serving = BackgroundServing.start(server)) {
            VirtualThreadPinningTest.Workload workload = () -> {
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<String>> replies = new ArrayList<>();
                    for (int i = 0; i < 32; i++) {
                        int n = i;
                        replies.add(clients.submit(() -> {
                            try (SSLSocket client = tlsClient(server.serverAddress())) {
                                return roundTrip(client, "client " + n);
                            }
                        }));
                    }
                    for (int i = 0; i < replies.size(); i++) {
                        assertEquals("CLIENT " + i + "\n", replies.get(i).get());
                    }
                }
            };
            workload.run(); // warm-up: class initialisation pins once per class (see VirtualThreadPinningTest)
            List<VirtualThreadPinningTest.Pinned> pinned = VirtualThreadPinningTest.pinnedDuring(workload);
            // What this test is about: pins inside a TLS handshake, read or write. (Pins elsewhere in
            // the package, say closing a socket on a loaded machine, are VirtualThreadPinningTest's.)
            List<VirtualThreadPinningTest.Pinned> inTls = pinned.stream()
                    .filter(p -> p.truncated() || p.frames().stream().anyMatch(
                            f -> f.startsWith("sun.security.ssl.") || f.contains("TlsStreams")))
                    .toList();
            assertTrue(inTls.isEmpty(), "pinned in TLS: " + inTls);
            serving.stop();
        }
        errors.assertNone();
    }
}
