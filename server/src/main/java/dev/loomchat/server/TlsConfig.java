package dev.loomchat.server;

import dev.loomchat.protocol.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * TLS for the JSON-lines door: where the certificate comes from, and where its listener is.
 *
 * @param certificate      PEM certificate chain file, or {@code null} with {@code selfSigned}
 * @param key              PEM private key file, or {@code null} with {@code selfSigned}
 * @param selfSigned       make a throw-away self-signed certificate at start (for testing only)
 * @param port             the TLS listener's port on the server's host; 0 = any free port
 * @param only             no plain TCP listener (the Unix socket, being local, stays if configured)
 * @param handshakeTimeout how long a client may take to complete the handshake
 */
public record TlsConfig(Path certificate, Path key, boolean selfSigned, int port, boolean only,
                        Duration handshakeTimeout) {

    public static final int DEFAULT_PORT = Protocol.DEFAULT_TLS_PORT;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public TlsConfig {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (selfSigned && (certificate != null || key != null)) {
            throw new IllegalArgumentException("give either a certificate and key or self-signed, not both");
        }
        if (!selfSigned && (certificate == null || key == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and its key (or self-signed)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TLS port must be in [0, 65535]: " + port);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    /** TLS from PEM files on the default port, beside the plain listener. */
    public static TlsConfig fromFiles(Path certificate, Path key) {
        return new TlsConfig(certificate, key, false, DEFAULT_PORT, false, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** A self-signed certificate (for testing) on the default port, beside the plain listener. */
    public static TlsConfig throwAway() {
        return new TlsConfig(null, null, true, DEFAULT_PORT, false, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public TlsConfig withPort(int value) {
        return new TlsConfig(certificate, key, selfSigned, value, only, handshakeTimeout);
    }

    public TlsConfig withOnly(boolean value) {
        return new TlsConfig(certificate, key, selfSigned, port, value, handshakeTimeout);
    }

    public TlsConfig withHandshakeTimeout(Duration value) {
        return new TlsConfig(certificate, key, selfSigned, port, only, value);
    }
}
