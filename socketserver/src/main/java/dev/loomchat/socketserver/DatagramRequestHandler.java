package dev.loomchat.socketserver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A handler for datagrams: {@link #rfile()} reads the received packet,
 * {@link #wfile()} collects the reply, and {@link #finish()} sends what was written back to the
 * client address as one datagram — always, even an empty one, and even after {@code handle}
 * threw, as in Python.
 *
 * <p>The server socket is non-blocking (the request loop selects on it); if the kernel's send
 * buffer is momentarily full the reply is retried for up to {@value #SEND_RETRY_MILLIS} ms, then
 * dropped, as UDP may drop it anyway.
 */
public abstract class DatagramRequestHandler extends BaseRequestHandler<DatagramRequest> {

    static final long SEND_RETRY_MILLIS = 1000;

    private LineInputStream rfile;
    private ByteArrayOutputStream wfile;

    /** The received bytes. */
    public final byte[] packet() {
        return request().packet();
    }

    /** The server socket, shared by every request. Do not close it. */
    public final DatagramChannel socket() {
        return request().socket();
    }

    /** The packet as a stream. */
    public final LineInputStream rfile() {
        return rfile;
    }

    /** The reply being written. */
    public final ByteArrayOutputStream wfile() {
        return wfile;
    }

    @Override
    protected void setup() throws Exception {
        rfile = new LineInputStream(new ByteArrayInputStream(packet()), StreamRequestHandler.DEFAULT_BUFFER_SIZE);
        wfile = new ByteArrayOutputStream();
    }

    @Override
    protected void finish() throws Exception {
        ByteBuffer reply = ByteBuffer.wrap(wfile.toByteArray());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEND_RETRY_MILLIS);
        while (socket().send(reply, clientAddress()) == 0 && reply.hasRemaining()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("reply to " + clientAddress() + " dropped: send buffer full");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
