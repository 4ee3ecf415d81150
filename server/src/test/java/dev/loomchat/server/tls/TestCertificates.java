package dev.loomchat.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Certificates for TLS tests: PEM files made with the server's own self-signed maker. */
public final class TestCertificates {

    /** A certificate file, its key file, and the certificate itself. */
    public record Pair(Path certificate, Path key, X509Certificate x509) {
        /** A client context that trusts exactly this certificate. */
        public SSLContext trustingIt() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("server", x509);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
    }

    private TestCertificates() {
    }

    /** Whether {@code openssl} is on the PATH (tests that use it say so and do less without it). */
    public static boolean opensslInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    /** A valid certificate for 127.0.0.1 and localhost, written to {@code dir/NAME.crt} and {@code NAME.key}. */
    public static Pair write(Path dir, String name) throws IOException {
        return write(dir, name, Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plus(Duration.ofDays(2)));
    }

    /** As {@link #write(Path, String)}, valid from {@code notBefore} to {@code notAfter}. */
    public static Pair write(Path dir, String name, Instant notBefore, Instant notAfter) throws IOException {
        SelfSignedCertificate made = SelfSignedCertificate.make("127.0.0.1", notBefore, notAfter);
        Path certificate = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Files.writeString(certificate, PemFiles.toPem(made.certificate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(made.keys().getPrivate(), null)); // "PRIVATE KEY"
        }
        Files.writeString(key, pem.toString());
        return new Pair(certificate, key, made.certificate());
    }
}
