package dev.loomchat.server.door;

import dev.loomchat.server.tls.ServerTls;
import dev.loomchat.socketserver.ConnectionStreams;
import dev.loomchat.socketserver.tls.NotTlsException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLException;

/**
 * How a TLS listener's handshake went, for a door's handler: secured (the decrypted streams),
 * a plain-text client (the door answers it in plain text, in its own wire format, and closes), or
 * failed (a bad or timed-out handshake: the door just closes). The handshake is
 * {@link ServerTls#accept}; this only sorts its outcomes, the same way for every door.
 *
 * @param streams the decrypted streams when {@link #secured()}, else {@code null}
 * @param failure why the handshake failed, or {@code null}
 */
public record TlsAcceptance(ConnectionStreams streams, boolean plainClient, String failure) {

    /** Handshakes as the server on {@code connection}; only an I/O error other than the handshake's throws. */
    public static TlsAcceptance accept(ServerTls tls, SocketChannel connection) throws IOException {
        try {
            return new TlsAcceptance(tls.accept(connection), false, null);
        } catch (NotTlsException e) {
            return new TlsAcceptance(null, true, null);
        } catch (SSLException | SocketTimeoutException | EOFException e) {
            return new TlsAcceptance(null, false, String.valueOf(e.getMessage()));
        }
    }

    public boolean secured() {
        return streams != null;
    }
}
