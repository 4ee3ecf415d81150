package dev.loomchat.socketserver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A handler for stream connections, with {@link #rfile()} and {@link #wfile()} over the
 * connection.
 *
 * <p>{@link #setup()} applies {@link #timeout()} and {@link #disableNagleAlgorithm()} and makes
 * the files; {@link #finish()} flushes {@code wfile} (ignoring a client that is gone) and closes
 * both files, even after {@code handle} threw. After that, reading {@code rfile} or writing or
 * flushing {@code wfile} throws an {@link IOException} and nothing more reaches the client (Python
 * raises {@code ValueError}; its unbuffered writer alone ignores the close, here every
 * {@code wbufsize} refuses). The connection itself is half-closed and closed afterwards by the
 * server ({@link TCPServer#shutdownRequest}).
 *
 * <p>Python's class attributes are overridable getters with its defaults:
 * {@link #rbufsize()} -1 (buffered), {@link #wbufsize()} 0 (unbuffered: every write is sent at
 * once, no flush needed), {@link #timeout()} {@code null}, {@link #disableNagleAlgorithm()}
 * {@code false}.
 *
 * <p>Threading: {@code rfile} and {@code wfile} belong to the handler's thread, but the
 * connection allows one thread to read while another writes; a handler that hands writing to a
 * second thread gives that thread its own stream over {@link #connection()}.
 */
public abstract class StreamRequestHandler extends BaseRequestHandler<SocketChannel> {

    /** The buffer size used when {@link #rbufsize()} or {@link #wbufsize()} is negative. */
    public static final int DEFAULT_BUFFER_SIZE = 8192;

    private LineInputStream rfile;
    private OutputStream wfile;

    /** The read buffer: -1 = default buffer, 0 = unbuffered (no read-ahead), n = n bytes. */
    protected int rbufsize() {
        return -1;
    }

    /** The write buffer: 0 = unbuffered (the default), -1 = default buffer, n = n bytes. */
    protected int wbufsize() {
        return 0;
    }

    /**
     * A read timeout on the connection, {@code null} for none: a read that waits longer throws
     * {@link java.net.SocketTimeoutException}, which the server reports with {@code handleError}.
     */
    protected Duration timeout() {
        return null;
    }

    /** Whether to set {@code TCP_NODELAY} (TCP only). */
    protected boolean disableNagleAlgorithm() {
        return false;
    }

    /** The connection (the same object as {@link #request()}). */
    public final SocketChannel connection() {
        return request();
    }

    /** The input of the connection, buffered as {@link #rbufsize()} says; closed by {@link #finish()}. */
    public final LineInputStream rfile() {
        return rfile;
    }

    /** The output of the connection, buffered as {@link #wbufsize()} says; closed by {@link #finish()}. */
    public final OutputStream wfile() {
        return wfile;
    }

    @Override
    protected void setup() throws Exception {
        SocketChannel connection = connection();
        boolean tcp = !(connection.getLocalAddress() instanceof UnixDomainSocketAddress);
        if (disableNagleAlgorithm() && tcp) {
            connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        ConnectionStreams streams = streams();
        rfile = new LineInputStream(streams.input(), bufferSize(rbufsize(), 1));
        wfile = streams.output();
    }

    /**
     * The streams {@code rfile} reads and {@code wfile} writes, made by {@link #setup()}: by
     * default the connection's own, with {@link #timeout()} on reads and {@link #wbufsize()}'s
     * buffer on writes. Override to put a layer in between, such as TLS
     * ({@link dev.loomchat.socketserver.tls.TlsStreams#serverSide}); the handler then reads and writes plain text as before.
     */
    protected ConnectionStreams streams() throws IOException {
        SocketChannel connection = connection();
        return new ConnectionStreams(SocketStreams.input(connection, timeout()),
                SocketStreams.output(connection, wbufsize() == 0 ? 0 : bufferSize(wbufsize(), DEFAULT_BUFFER_SIZE)));
    }

    @Override
    protected void finish() throws Exception {
        try {
            wfile.flush();
        } catch (IOException e) {
            // The client is gone (ECONNABORTED, EPIPE), or handle() closed wfile: as in Python.
        }
        wfile.close();
        rfile.close();
    }

    private static int bufferSize(int requested, int whenZero) {
        if (requested < 0) {
            return DEFAULT_BUFFER_SIZE;
        }
        return requested == 0 ? whenZero : requested;
    }
}
