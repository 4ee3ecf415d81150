package dev.loomchat.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading PEM files, and what the operator is told when they are wrong. */
class PemFilesTest {

    @TempDir
    Path dir;

    @Test
    void aCertificateAndItsKeyAreRead() throws IOException {
        TestCertificates.Pair pair = TestCertificates.write(dir, "server");
        assertEquals(pair.x509(), PemFiles.certificates(pair.certificate()).getFirst());
        assertEquals("EC", PemFiles.privateKey(pair.key()).getAlgorithm());
        ServerTls tls = ServerTls.fromFiles(pair.certificate(), pair.key(), Duration.ofSeconds(5));
        assertTrue(tls.describe().contains("SHA-256 "), tls.describe());
    }

    @Test
    void keysInEveryCommonPemFormAreRead() throws Exception {
        Assumptions.assumeTrue(TestCertificates.opensslInstalled(), "needs openssl to make the keys operators have");
        // PKCS#8 "PRIVATE KEY" (openssl's default now) with RSA, and a traditional "EC PRIVATE KEY"
        // after an "EC PARAMETERS" block, as "openssl ecparam -genkey" writes it.
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.crt",
                "-subj", "/CN=localhost", "-days", "1");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key");
        openssl("req", "-x509", "-new", "-key", "ec.key", "-out", "ec.crt", "-subj", "/CN=ec.localhost", "-days", "1");
        assertTrue(Files.readString(dir.resolve("ec.key")).contains("-----BEGIN EC PARAMETERS-----"));
        ServerTls rsa = ServerTls.fromFiles(dir.resolve("rsa.crt"), dir.resolve("rsa.key"), Duration.ofSeconds(5));
        assertTrue(rsa.describe().startsWith("CN=localhost"), rsa.describe());
        ServerTls ec = ServerTls.fromFiles(dir.resolve("ec.crt"), dir.resolve("ec.key"), Duration.ofSeconds(5));
        assertTrue(ec.describe().startsWith("CN=ec.localhost"), ec.describe());
    }

    private void openssl(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl"));
        command.addAll(java.util.List.of(args));
        Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertEquals(0, openssl.waitFor(), () -> readQuietly(dir.resolve("openssl.log")));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws IOException {
        TestCertificates.Pair one = TestCertificates.write(dir, "one");
        TestCertificates.Pair other = TestCertificates.write(dir, "other");
        IOException e = assertThrows(IOException.class,
                () -> ServerTls.fromFiles(one.certificate(), other.key(), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("is not the key of the certificate"), e.getMessage());
    }

    @Test
    void missingOrWrongFilesSayWhichFile() throws IOException {
        TestCertificates.Pair pair = TestCertificates.write(dir, "server");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not pem at all\n");
        IOException noCert = assertThrows(IOException.class,
                () -> ServerTls.fromFiles(garbage, pair.key(), Duration.ofSeconds(5)));
        assertTrue(noCert.getMessage().contains("garbage.pem"), noCert.getMessage());
        IOException noKey = assertThrows(IOException.class,
                () -> ServerTls.fromFiles(pair.certificate(), garbage, Duration.ofSeconds(5)));
        assertTrue(noKey.getMessage().contains("garbage.pem"), noKey.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> ServerTls.fromFiles(dir.resolve("absent.crt"), pair.key(), Duration.ofSeconds(5)));
        assertTrue(missing.getMessage().contains("absent.crt"), missing.getMessage());
    }

    @Test
    void aSelfSignedCertificateIsWrittenForClientsToTrust() throws IOException {
        ServerTls tls = ServerTls.selfSigned("127.0.0.1", Duration.ofSeconds(5));
        Path file = tls.selfSignedCertificateFile().orElseThrow();
        assertTrue(PemFiles.certificates(file).getFirst().getSubjectX500Principal().getName().contains("testing only"));
        assertThrows(IOException.class, tls::reload, "a self-signed certificate has no files to reread");
    }
}
