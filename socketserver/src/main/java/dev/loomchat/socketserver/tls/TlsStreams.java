package dev.loomchat.socketserver.tls;

import dev.loomchat.socketserver.ConnectionStreams;
import dev.loomchat.socketserver.StreamRequestHandler;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The server side of TLS over an accepted connection: what Python does with
 * {@code ssl.SSLContext.wrap_socket(sock, server_side=True)}, for a handler's
 * {@link StreamRequestHandler#streams()}:
 *
 * <pre>{@code
 * protected ConnectionStreams streams() throws IOException {
 *     return TlsStreams.serverSide(connection(), sslContext, null, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>The handshake runs on the handler's thread (never on the accept loop, so a slow client
 * delays only itself) and must complete within the handshake timeout. The JDK's TLS socket
 * locks with {@code ReentrantLock}s, so a virtual thread blocked in a handshake or a TLS read
 * does not pin its carrier.
 */
public final class TlsStreams {

    /** The first byte of a TLS record that carries a handshake message (RFC 8446 section 5.1). */
    static final int HANDSHAKE_RECORD = 0x16;

    private TlsStreams() {
    }

    /**
     * Handshakes as the server on {@code connection} and returns the decrypted streams; closing
     * either closes the connection.
     *
     * @param parameters protocols, cipher suites, client authentication; {@code null} for the
     *                   context's defaults
     * @param handshakeTimeout how long the client may take to begin and complete the handshake
     * @throws NotTlsException if the client's first byte does not begin a TLS handshake
     * @throws java.net.SocketTimeoutException if the handshake does not complete in time
     * @throws javax.net.ssl.SSLException if the handshake fails
     * @throws EOFException if the client closes before sending anything
     */
    public static ConnectionStreams serverSide(SocketChannel connection, SSLContext context, SSLParameters parameters,
                                               Duration handshakeTimeout) throws IOException {
        Socket socket = connection.socket();
        socket.setSoTimeout((int) Math.clamp(handshakeTimeout.toMillis(), 1, Integer.MAX_VALUE));
        InputStream plain = socket.getInputStream();
        int first = plain.read();
        if (first < 0) {
            throw new EOFException("closed before the TLS handshake");
        }
        if (first != HANDSHAKE_RECORD) {
            throw new NotTlsException(first);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, new ByteArrayInputStream(new byte[] {(byte) first}), true);
        if (parameters != null) {
            tls.setSSLParameters(parameters);
        }
        tls.startHandshake();
        socket.setSoTimeout(0);
        return new ConnectionStreams(tls.getInputStream(), tls.getOutputStream());
    }
}
