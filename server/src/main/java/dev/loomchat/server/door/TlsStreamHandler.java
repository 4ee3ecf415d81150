package dev.loomchat.server.door;

import dev.loomchat.server.tls.ServerTls;
import dev.loomchat.socketserver.ConnectionStreams;
import dev.loomchat.socketserver.StreamRequestHandler;
import java.io.IOException;

/**
 * A door's handler that may sit on a TLS listener: there, the TLS handshake comes first, on the
 * handler's own thread ({@link TlsAcceptance}), and {@code rfile}/{@code wfile} are the TLS
 * streams; on a plain listener they are the socket's own.
 */
public abstract class TlsStreamHandler extends StreamRequestHandler {

    /** The TLS listener's, or {@code null} on a plain one. */
    private final ServerTls tls;
    /** How the TLS handshake went, or {@code null} on a plain listener. */
    private TlsAcceptance acceptance;

    protected TlsStreamHandler(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    protected ConnectionStreams streams() throws IOException {
        if (tls == null) {
            return super.streams();
        }
        acceptance = TlsAcceptance.accept(tls, connection());
        return acceptance.secured() ? acceptance.streams() : super.streams();
    }

    /** Whether this handler's listener speaks TLS. */
    protected final boolean onTlsListener() {
        return tls != null;
    }

    /**
     * How a failed TLS handshake went (a plain-text client, or another failure), or {@code null}
     * if there was none to fail: a plain listener, or a handshake that succeeded.
     */
    protected TlsAcceptance failedHandshake() {
        return acceptance != null && !acceptance.secured() ? acceptance : null;
    }
}
