package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;

/**
 * Python's {@code socketserver.UnixDatagramServer}: a {@link UDPServer} on an AF_UNIX datagram
 * socket.
 *
 * <p>Not available yet: the JDK supports AF_UNIX stream sockets only
 * ({@code DatagramChannel.open(UNIX)} throws), so this needs a native library (tracked as its own
 * issue). Until then the constructor fails at once with an {@link UnsupportedOperationException}
 * that says so.
 */
public class UnixDatagramServer extends UDPServer {

    static final String NOT_YET = "AF_UNIX datagram servers are not available yet in loomchat: "
            + "the JDK has no AF_UNIX datagram sockets and the native implementation has not landed";

    /** A synchronous server bound to {@code path}. */
    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(path, handlerFactory, RequestProcessing.synchronous(), true);
    }

    /** A server bound to {@code path} that runs requests with {@code processing}. */
    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory,
                              RequestProcessing processing) throws IOException {
        this(path, handlerFactory, processing, true);
    }

    /** The full constructor; see {@link TCPServer}. */
    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory,
                              RequestProcessing processing, boolean bindAndActivate) throws IOException {
        super(UnixDomainSocketAddress.of(path), handlerFactory, processing, bindAndActivate);
    }

    /** Always {@code UNIX}. */
    @Override
    public ProtocolFamily addressFamily() {
        return StandardProtocolFamily.UNIX;
    }

    /** @throws UnsupportedOperationException always, for now (see the class comment) */
    @Override
    protected DatagramChannel openSocket(ProtocolFamily family) {
        throw new UnsupportedOperationException(NOT_YET);
    }
}
