package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Python's {@code ForkingTCPServer}: a {@link TCPServer} that handles each request in a child process (Python's {@code ForkingMixIn}).
 *
 * <p>Not available yet (see {@link Forking}): every constructor throws
 * {@link UnsupportedOperationException} with a message that says why.
 */
public class ForkingTCPServer extends TCPServer {

    /** Bound and listening, with a child process per request. */
    public ForkingTCPServer(SocketAddress serverAddress, RequestHandlerFactory<SocketChannel> handlerFactory) throws IOException {
        this(serverAddress, handlerFactory, Forking.processPerRequest(), true);
    }

    /** With a child process per request; with {@code bindAndActivate} false the socket is created but not bound. */
    public ForkingTCPServer(SocketAddress serverAddress, RequestHandlerFactory<SocketChannel> handlerFactory, boolean bindAndActivate)
            throws IOException {
        this(serverAddress, handlerFactory, Forking.processPerRequest(), bindAndActivate);
    }

    /** The full constructor; see {@link TCPServer} for what runs in it. */
    public ForkingTCPServer(SocketAddress serverAddress, RequestHandlerFactory<SocketChannel> handlerFactory, Forking processing,
            boolean bindAndActivate) throws IOException {
        super(serverAddress, handlerFactory, processing, bindAndActivate);
    }
}
