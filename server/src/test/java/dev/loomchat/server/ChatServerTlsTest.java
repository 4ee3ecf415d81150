package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.tls.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON-lines door over TLS (issue 21): TLS and plain clients in one room, TLS 1.2/1.3 only
 * (checked with {@code openssl s_client} where it is installed), the wrong-port mismatches in both
 * directions, handshakes that never complete, certificate reload, and no pinned carriers.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChatServerTlsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ChatServer start(TestCertificates.Pair pair, Duration handshakeTimeout) throws IOException {
        return ChatServer.start(TestServers.config()
                .tls(TlsConfig.fromFiles(pair.certificate(), pair.key()).withPort(0).withHandshakeTimeout(handshakeTimeout))
                .build());
    }

    private static SSLSocket tlsSocket(SSLContext context, InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        return socket;
    }

    private static TestClient tlsClient(SSLContext context, ChatServer server, String nick) throws IOException {
        TestClient client = TestClient.over(tlsSocket(context, server.tlsAddress().orElseThrow()));
        client.hello(nick);
        return client;
    }

    private static X509Certificate served(SSLSocket socket) throws IOException {
        socket.startHandshake();
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    @Test
    void tlsAndPlainClientsChatInOneRoom() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "server");
        try (ChatServer server = start(pair, Duration.ofSeconds(10));
             TestClient secure = tlsClient(pair.trustingIt(), server, "secure");
             TestClient plain = TestClient.welcomed(server, "plain")) {
            assertTrue(server.tlsAddress().orElseThrow().getPort() != server.address().getPort());
            secure.join("#mixed");
            plain.join("#mixed");
            secure.send(new ClientMessage.Say("#mixed", "sent over tls", secure.ref()));
            assertEquals("sent over tls", plain.await(ServerMessage.ChatMessage.class).text());
            plain.send(new ClientMessage.Say("#mixed", "sent in clear", plain.ref()));
            ServerMessage.ChatMessage got = secure.await(ServerMessage.ChatMessage.class);
            while (!got.text().equals("sent in clear")) {
                got = secure.await(ServerMessage.ChatMessage.class);
            }
            assertEquals("plain", got.from());
        }
    }

    @Test
    void tlsOnlyServesNoPlainListener() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config()
                .tls(TlsConfig.throwAway().withPort(0).withOnly(true)).build())) {
            assertEquals(server.tlsAddress().orElseThrow(), server.address());
            Path certificate = server.tls().orElseThrow().selfSignedCertificateFile().orElseThrow();
            assertTrue(Files.readString(certificate).startsWith("-----BEGIN CERTIFICATE-----"));
        }
    }

    @Test
    void aPlainClientOnTheTlsPortIsToldSoInPlainText() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "server");
        try (ChatServer server = start(pair, Duration.ofSeconds(10));
             TestClient plain = TestClient.connect(server.tlsAddress().orElseThrow())) {
            plain.send(new ClientMessage.Hello("plainly", null, "tests", 1, "r1"));
            plain.nextError(ErrorCode.TLS_REQUIRED);
            assertInstanceOf(Decoded.End.class, plain.read(), "then the server closes");
        }
    }

    @Test
    void aTlsClientOnThePlainPortFailsAtOnceInsteadOfHanging() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "server");
        try (ChatServer server = start(pair, Duration.ofSeconds(10));
             SSLSocket socket = tlsSocket(pair.trustingIt(), server.address())) {
            IOException e = assertThrows(IOException.class, socket::startHandshake);
            assertFalse(e instanceof SocketTimeoutException, "the handshake hung until the timeout: " + e);
            assertInstanceOf(SSLException.class, e);
        }
    }

    @Test
    void handshakesThatNeverCompleteAreTimedOutAndDelayNoOne() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "server");
        try (ChatServer server = start(pair, Duration.ofMillis(500));
             Socket silent = new Socket();
             Socket partial = new Socket()) {
            InetSocketAddress tls = server.tlsAddress().orElseThrow();
            silent.connect(tls);
            partial.connect(tls);
            partial.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02}); // a record begun, never ended
            try (TestClient meanwhile = tlsClient(pair.trustingIt(), server, "meanwhile")) {
                meanwhile.join("#busy"); // served while the two others hang in their handshakes
            }
            for (Socket socket : List.of(silent, partial)) {
                socket.setSoTimeout((int) PATIENCE.toMillis());
                assertEquals(-1, socket.getInputStream().read(), "the server closes a handshake that never completes");
            }
        }
    }

    @Test
    void onlyTls12And13AreServed() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "server");
        try (ChatServer server = start(pair, Duration.ofSeconds(10))) {
            InetSocketAddress address = server.tlsAddress().orElseThrow();
            try (SSLSocket socket = tlsSocket(pair.trustingIt(), address)) {
                socket.startHandshake();
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
            try (SSLSocket socket = tlsSocket(pair.trustingIt(), address)) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                assertEquals("TLSv1.2", socket.getSession().getProtocol());
            }
            if (OpenSsl.installed()) {
                String connect = "127.0.0.1:" + address.getPort();
                OpenSsl.Result ok = OpenSsl.sClient(connect, pair.certificate(), "-tls1_3",
                        "{\"type\":\"hello\",\"nick\":\"ossl\"}\n{\"type\":\"quit\"}\n");
                assertTrue(ok.output().contains("\"type\":\"welcome\""), ok.output());
                assertTrue(ok.output().contains("Verification: OK") || ok.output().contains("Verify return code: 0"),
                        ok.output());
                OpenSsl.Result old = OpenSsl.sClient(connect, pair.certificate(), "-tls1_1", "");
                assertFalse(old.output().contains("\"type\":\"welcome\""), old.output());
                assertTrue(old.output().contains("alert") || old.output().contains("no protocols available"),
                        old.output());
            }
        }
    }

    @Test
    void aReloadedCertificateServesNewHandshakesAndOpenConnectionsGoOn() throws Exception {
        TestCertificates.Pair first = TestCertificates.write(dir, "first");
        TestCertificates.Pair second = TestCertificates.write(dir, "second");
        Path certificate = Files.copy(first.certificate(), dir.resolve("live.crt"));
        Path key = Files.copy(first.key(), dir.resolve("live.key"));
        try (ChatServer server = ChatServer.start(TestServers.config()
                .tls(TlsConfig.fromFiles(certificate, key).withPort(0)).build());
             SSLSocket before = tlsSocket(first.trustingIt(), server.tlsAddress().orElseThrow())) {
            assertEquals(first.x509(), served(before));
            TestClient old = TestClient.over(before);
            old.hello("before");

            Files.copy(second.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(server.reloadTls().contains("SHA-256"));
            try (SSLSocket after = tlsSocket(second.trustingIt(), server.tlsAddress().orElseThrow())) {
                assertEquals(second.x509(), served(after));
            }
            old.join("#still-here"); // the connection made before the reload is untouched

            Files.writeString(key, "broken\n");
            assertThrows(IOException.class, server::reloadTls, "a broken key file is refused");
            try (SSLSocket later = tlsSocket(second.trustingIt(), server.tlsAddress().orElseThrow())) {
                assertEquals(second.x509(), served(later), "the last good certificate stays");
            }
        }
    }

    @Test
    void aBadKeyStopsTheServerFromStartingWithOneLine() throws Exception {
        TestCertificates.Pair one = TestCertificates.write(dir, "one");
        TestCertificates.Pair other = TestCertificates.write(dir, "other");
        ChatServer.TlsSetupException e = assertThrows(ChatServer.TlsSetupException.class,
                () -> ChatServer.start(TestServers.config()
                        .tls(TlsConfig.fromFiles(one.certificate(), other.key()).withPort(0)).build()));
        assertTrue(e.getMessage().contains("is not the key of the certificate"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void tlsConnectionsDoNotPinCarriers() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "server");
        SSLContext trusting = pair.trustingIt();
        try (ChatServer server = start(pair, Duration.ofSeconds(30))) {
            chatOverTls(server, trusting, "warm"); // class initialisation pins once per class
            List<String> pinned = new CopyOnWriteArrayList<>();
            try (RecordingStream recording = new RecordingStream()) {
                recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                recording.onEvent("jdk.VirtualThreadPinned", event -> {
                    List<String> frames = new ArrayList<>();
                    if (event.getStackTrace() != null) {
                        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                            frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
                        }
                    }
                    pinned.add(String.join(" < ", frames));
                });
                recording.startAsync();
                chatOverTls(server, trusting, "pin");
                recording.stop();
            }
            assertEquals(List.of(), pinned.stream().filter(s -> s.contains("dev.loomchat")).toList());
        }
    }

    /** 16 TLS clients join one room and each says a line that all of them receive. */
    private static void chatOverTls(ChatServer server, SSLContext trusting, String prefix) throws Exception {
        int n = 16;
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                TestClient client = tlsClient(trusting, server, prefix + i);
                client.join("#" + prefix);
                clients.add(client);
            }
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> counts = new ArrayList<>();
                for (TestClient client : clients) {
                    counts.add(readers.submit(() -> {
                        int seen = 0;
                        while (seen < n) {
                            if (client.next() instanceof ServerMessage.ChatMessage) {
                                seen++;
                            }
                        }
                        return seen;
                    }));
                }
                for (TestClient client : clients) {
                    client.send(new ClientMessage.Say("#" + prefix, "hi from " + client.nick(), client.ref()));
                }
                for (Future<Integer> count : counts) {
                    assertEquals(n, count.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
                }
            }
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }

    /** {@code openssl s_client}, when the machine has it. */
    static final class OpenSsl {
        record Result(int exit, String output) {
        }

        static boolean installed() {
            return TestCertificates.opensslInstalled();
        }

        static Result sClient(String connect, Path caFile, String version, String input) throws Exception {
            Process process = new ProcessBuilder("openssl", "s_client", "-connect", connect, "-CAfile", caFile.toString(),
                    version, "-verify_return_error", "-ign_eof").redirectErrorStream(true).start();
            try (var out = process.getOutputStream()) {
                out.write(input.getBytes(StandardCharsets.UTF_8));
            }
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                Future<byte[]> all = Executors.newVirtualThreadPerTaskExecutor().submit(in::readAllBytes);
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                output = all.get(30, TimeUnit.SECONDS);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
    }
}
