package dev.loomchat.socketserver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Python's {@code StreamRequestHandler}: a handler for stream connections with buffered
 * {@link #rfile()} and {@link #wfile()}.
 *
 * <p>{@link #setup()} applies {@link #timeout()} and {@link #disableNagleAlgorithm()} and makes
 * the files; {@link #finish()} flushes {@code wfile} (ignoring a client that is gone) and closes
 * both files, even after {@code handle} threw. The connection itself is half-closed and closed
 * afterwards by the server ({@link TCPServer#shutdownRequest}).
 *
 * <p>Python's class attributes are overridable getters with Python's defaults:
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

    /** Python's {@code rbufsize}: -1 = default buffer, 0 = unbuffered (no read-ahead), n = n bytes. */
    protected int rbufsize() {
        return -1;
    }

    /** Python's {@code wbufsize}: 0 = unbuffered (the default), -1 = default buffer, n = n bytes. */
    protected int wbufsize() {
        return 0;
    }

    /** Python's {@code timeout}: a read timeout on the connection, {@code null} for none. */
    protected Duration timeout() {
        return null;
    }

    /** Python's {@code disable_nagle_algorithm}: sets {@code TCP_NODELAY} (TCP only). */
    protected boolean disableNagleAlgorithm() {
        return false;
    }

    /** The connection: Python's {@code self.connection} (the same object as {@link #request()}). */
    public final SocketChannel connection() {
        return request();
    }

    /** The buffered input of the connection: Python's {@code self.rfile}. */
    public final LineInputStream rfile() {
        return rfile;
    }

    /** The output of the connection: Python's {@code self.wfile}. */
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
        rfile = new LineInputStream(SocketStreams.input(connection, timeout()), bufferSize(rbufsize(), 1));
        wfile = SocketStreams.output(connection, wbufsize() == 0 ? 0 : bufferSize(wbufsize(), DEFAULT_BUFFER_SIZE));
    }

    @Override
    protected void finish() throws Exception {
        try {
            wfile.flush();
        } catch (IOException e) {
            // The client is gone (ECONNABORTED, EPIPE): nothing left to deliver, as in Python.
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
