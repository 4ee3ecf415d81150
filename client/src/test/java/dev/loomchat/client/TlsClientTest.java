package dev.loomchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.ChatServer;
import dev.loomchat.server.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's {@code --tls}, {@code --tls-ca} and {@code --tls-insecure} against a server with a
 * self-signed certificate: a verified chat, an untrusted certificate, and both wrong-port
 * mismatches; and against a bare JDK TLS listener, an expired certificate and one that names
 * another host. Each failure is one line and exit 1.
 */
class TlsClientTest {

    private static ChatServer server;
    private static Path certificate;
    private static int tlsPort;
    private static int plainPort;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        server = ChatServer.start(ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0)
                .tls(TlsConfig.throwAway().withPort(0)).build());
        certificate = server.tls().orElseThrow().selfSignedCertificateFile().orElseThrow();
        tlsPort = server.tlsAddress().orElseThrow().getPort();
        plainPort = server.address().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aVerifiedTlsClientChatsWithAPlainOne() throws Exception {
        try (var secure = PipedClient.welcomed(tlsPort, "secure", "--tls-ca", certificate.toString(), "--room", "#t");
             var plain = PipedClient.welcomed(plainPort, "plain", "--room", "#t")) {
            secure.awaitLine("history #t 0");
            plain.awaitLine("history #t 0");
            secure.line("over tls");
            plain.awaitLine("message #t secure: over tls");
            plain.line("in clear");
            secure.awaitLine("message #t plain: in clear");
            assertEquals("", secure.err.text());
            secure.assertFinishesWith(0);
            plain.assertFinishesWith(0);
        }
    }

    @Test
    void anUntrustedCertificateIsOneLineAndExitOne() throws Exception {
        try (var client = PipedClient.start(tlsPort, "--nick", "wary", "--tls")) {
            assertEquals(1, client.exitStatus());
            assertEquals(List.of("loomchat: cannot connect to 127.0.0.1:" + tlsPort + ": the server's certificate is"
                    + " not trusted: give its CA with --tls-ca FILE (or --tls-insecure to skip the check, for testing only)"),
                    client.err.lines());
        }
    }

    @Test
    void insecureChatsButWarnsOnEveryStart() throws Exception {
        try (var client = PipedClient.welcomed(tlsPort, "reckless", "--tls-insecure")) {
            client.assertFinishesWith(0);
            assertEquals(List.of("loomchat: warning: --tls-insecure: the server's certificate is not checked, so anyone"
                    + " on the network path can read and change this chat"), client.err.lines());
        }
    }

    @Test
    void aHostNameTheCertificateDoesNotNameIsRefused() throws Exception {
        String error = clientErrorAgainst("wrongname", "ip:127.0.0.9", "-1d", 2);
        assertTrue(error.contains("the server's certificate does not name the host you connected to"), error);
    }

    @Test
    void aTlsClientOnThePlainPortIsOneLine() throws Exception {
        try (var client = PipedClient.start(plainPort, "--nick", "wrongport", "--tls-insecure")) {
            assertEquals(1, client.exitStatus());
            assertTrue(client.err.text().contains("is 127.0.0.1:" + plainPort + " a plain (non-TLS) port? (try without --tls)"),
                    client.err.text());
        }
    }

    @Test
    void aPlainClientOnTheTlsPortIsOneLine() throws Exception {
        try (var client = PipedClient.start(tlsPort, "--nick", "cleartext")) {
            assertEquals(1, client.exitStatus());
            assertEquals(List.of("loomchat: the server refused the connection: tls_required: this port speaks TLS:"
                    + " connect with TLS (loomchat client --tls)"), client.err.lines());
        }
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        String error = clientErrorAgainst("expired", "ip:127.0.0.1", "-3d", 1);
        assertTrue(error.contains("the server's certificate has expired"), error);
    }

    /**
     * What the client says (it must exit 1) against a one-shot JDK TLS server on 127.0.0.1 whose
     * certificate names {@code san}, is valid {@code days} from {@code start}, and is signed by a
     * CA that the client is given with {@code --tls-ca} (a trust anchor's own dates are not
     * checked, so the leaf must be a separate certificate).
     */
    private static String clientErrorAgainst(String name, String san, String start, int days) throws Exception {
        Path ca = dir.resolve(name + "-ca.p12");
        Path keystore = dir.resolve(name + ".p12");
        Path caPem = dir.resolve(name + "-ca.pem");
        Path csr = dir.resolve(name + ".csr");
        Path leaf = dir.resolve(name + ".crt");
        String[] store = {"-storetype", "PKCS12", "-storepass", "changeit"};
        keytool(store, "-genkeypair", "-keystore", ca.toString(), "-alias", "ca", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=test CA " + name, "-ext", "bc:c", "-validity", "10");
        keytool(store, "-exportcert", "-rfc", "-keystore", ca.toString(), "-alias", "ca", "-file", caPem.toString());
        keytool(store, "-genkeypair", "-keystore", keystore.toString(), "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name);
        keytool(store, "-certreq", "-keystore", keystore.toString(), "-alias", "server", "-file", csr.toString());
        keytool(store, "-gencert", "-keystore", ca.toString(), "-alias", "ca", "-infile", csr.toString(),
                "-outfile", leaf.toString(), "-rfc", "-ext", "SAN=" + san, "-startdate", start,
                "-validity", Integer.toString(days));
        keytool(store, "-importcert", "-noprompt", "-keystore", keystore.toString(), "-alias", "ca",
                "-file", caPem.toString());
        keytool(store, "-importcert", "-keystore", keystore.toString(), "-alias", "server", "-file", leaf.toString());
        return clientErrorAgainst(name, keystore, caPem);
    }

    private static String clientErrorAgainst(String name, Path keystore, Path caPem) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (var socket = listener.accept()) {
                    socket.getInputStream().read(); // runs the handshake, which the client aborts
                } catch (IOException e) {
                    // the client refused the certificate: expected
                }
            });
            try (var client = PipedClient.start(listener.getLocalPort(), "--nick", name, "--tls-ca", caPem.toString())) {
                assertEquals(1, client.exitStatus(), () -> client.err.text());
                acceptor.join();
                return client.err.text();
            }
        }
    }

    private static void keytool(String[] store, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of(store));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool: " + output);
    }
}
