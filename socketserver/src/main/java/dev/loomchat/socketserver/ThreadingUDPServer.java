package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A {@link UDPServer} that runs each request on its own thread: a new virtual thread by default, or
 * as the given {@link Threading} says ({@link Threading#platform()}, daemon threads,
 * {@code blockOnClose}).
 */
public class ThreadingUDPServer extends UDPServer {

    /** Bound, with a new virtual thread per request. */
    public ThreadingUDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(serverAddress, handlerFactory, Threading.virtual(), true);
    }

    /** With a new virtual thread per request; with {@code bindAndActivate} false the socket is created but not bound. */
    public ThreadingUDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory, boolean bindAndActivate)
            throws IOException {
        this(serverAddress, handlerFactory, Threading.virtual(), bindAndActivate);
    }

    /** The full constructor; see {@link TCPServer} for what runs in it. */
    public ThreadingUDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory, Threading processing,
            boolean bindAndActivate) throws IOException {
        super(serverAddress, handlerFactory, processing, bindAndActivate);
    }

    /** The threading strategy, which holds {@code daemonThreads} and {@code blockOnClose}. */
    public Threading threading() {
        return (Threading) processing();
    }
}
