package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * Python's {@code ForkingUDPServer}: a {@link UDPServer} that handles each request in a child process (Python's {@code ForkingMixIn}).
 *
 * <p>Not available yet (see {@link Forking}): every constructor throws
 * {@link UnsupportedOperationException} with a message that says why.
 */
public class ForkingUDPServer extends UDPServer {

    /** Bound, with a child process per request. */
    public ForkingUDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(serverAddress, handlerFactory, Forking.processPerRequest(), true);
    }

    /** With a child process per request; with {@code bindAndActivate} false the socket is created but not bound. */
    public ForkingUDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory, boolean bindAndActivate)
            throws IOException {
        this(serverAddress, handlerFactory, Forking.processPerRequest(), bindAndActivate);
    }

    /** The full constructor; see {@link TCPServer} for what runs in it. */
    public ForkingUDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory, Forking processing,
            boolean bindAndActivate) throws IOException {
        super(serverAddress, handlerFactory, processing, bindAndActivate);
    }
}
