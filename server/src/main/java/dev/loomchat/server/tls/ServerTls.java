package dev.loomchat.server.tls;

import dev.loomchat.socketserver.ConnectionStreams;
import dev.loomchat.socketserver.tls.TlsStreams;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The server's TLS: a certificate and key, the {@link SSLContext} made from them (TLS 1.3 and
 * 1.2 only, the JDK's default cipher suites), and the handshake over an accepted connection.
 *
 * <p>From PEM files ({@link #fromFiles}), which {@link #reload} reads again while serving (new
 * handshakes get the new certificate; open connections are not touched), or a throw-away
 * self-signed certificate ({@link #selfSigned}), written to a file that clients can be told to
 * trust.
 *
 * <p>Threading: {@link #accept} from any thread; {@link #reload} from one thread at a time.
 */
public final class ServerTls {

    /** The protocol versions served: TLS 1.3 and 1.2; older ones are refused in the handshake. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Path certificateFile;
    private final Path keyFile;
    private final Path selfSignedFile;
    private final ReloadableKeyManager keys;
    private final SSLContext context;
    private final SSLParameters parameters;
    private final Duration handshakeTimeout;

    private ServerTls(Path certificateFile, Path keyFile, Path selfSignedFile, ReloadableKeyManager.Identity identity,
                      Duration handshakeTimeout) throws IOException {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.selfSignedFile = selfSignedFile;
        this.keys = new ReloadableKeyManager(identity);
        this.handshakeTimeout = handshakeTimeout;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
        parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
    }

    /**
     * TLS with the certificate chain in {@code certificateFile} and the private key in
     * {@code keyFile} (both PEM).
     *
     * @throws IOException if either cannot be read, or the key is not the certificate's; the
     *                     message is one line for the operator
     */
    public static ServerTls fromFiles(Path certificateFile, Path keyFile, Duration handshakeTimeout) throws IOException {
        return new ServerTls(certificateFile, keyFile, null, read(certificateFile, keyFile), handshakeTimeout);
    }

    /**
     * TLS with a new self-signed certificate for {@code host} (and the loopback names), for
     * trying TLS out: its PEM is written to {@link #selfSignedCertificateFile()}, deleted at exit.
     */
    public static ServerTls selfSigned(String host, Duration handshakeTimeout) throws IOException {
        SelfSignedCertificate made = SelfSignedCertificate.make(host);
        Path dir = Files.createTempDirectory("loomchat-tls-");
        Path file = dir.resolve("self-signed-certificate.pem");
        Files.writeString(file, PemFiles.toPem(made.certificate()));
        file.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return new ServerTls(null, null, file,
                new ReloadableKeyManager.Identity(made.keys().getPrivate(), new X509Certificate[] {made.certificate()}),
                handshakeTimeout);
    }

    /** For tests: TLS with this key and certificate. */
    static ServerTls of(PrivateKey key, X509Certificate certificate, Duration handshakeTimeout) throws IOException {
        return new ServerTls(null, null, null, new ReloadableKeyManager.Identity(key, new X509Certificate[] {certificate}),
                handshakeTimeout);
    }

    private static ReloadableKeyManager.Identity read(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        if (!belongTogether(key, chain.getFirst().getPublicKey())) {
            throw new IOException("the key " + keyFile + " is not the key of the certificate " + certificateFile);
        }
        return new ReloadableKeyManager.Identity(key, chain.toArray(X509Certificate[]::new));
    }

    /** Signs a random challenge with the key and checks it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey certified) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new IOException("unsupported key algorithm " + key.getAlgorithm());
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Reads the certificate and key files again; new handshakes use them, open connections keep
     * theirs. On any error the current ones stay.
     *
     * @return the new certificate, described
     * @throws IOException if the files cannot be read or do not match (nothing changes then)
     */
    public String reload() throws IOException {
        if (certificateFile == null) {
            throw new IOException("the certificate is self-signed, not read from files: nothing to reload");
        }
        keys.replace(read(certificateFile, keyFile));
        return describe();
    }

    /**
     * Handshakes as the server on {@code connection}, within the handshake timeout, and returns
     * the decrypted streams (see {@link TlsStreams#serverSide}).
     */
    public ConnectionStreams accept(SocketChannel connection) throws IOException {
        return TlsStreams.serverSide(connection, context, parameters, handshakeTimeout);
    }

    /** The context, for a door whose server makes its own TLS sockets (the web door). */
    public SSLContext context() {
        return context;
    }

    /** The file holding the self-signed certificate, if this is one. */
    public Optional<Path> selfSignedCertificateFile() {
        return Optional.ofNullable(selfSignedFile);
    }

    /** The current certificate's subject, expiry and SHA-256 fingerprint, in one line. */
    public String describe() {
        X509Certificate certificate = keys.current().chain()[0];
        Instant expiry = certificate.getNotAfter().toInstant();
        String fingerprint;
        try {
            fingerprint = HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            fingerprint = "?";
        }
        return certificate.getSubjectX500Principal().getName() + ", expires " + expiry
                + (expiry.isBefore(Instant.now()) ? " (EXPIRED: clients will refuse it)" : "")
                + ", SHA-256 " + fingerprint;
    }
}
