package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A {@link UDPServer} that handles each request in a separate OS process: a child JVM handed the
 * request's socket; see {@link Forking}.
 *
 * <p>As in Python, the handler is given by class ({@code new ForkingUDPServer(address, MyHandler.class)}),
 * so that each child can build it; {@link NamedHandlerFactory#ofFactory} names a factory class
 * instead. {@code maxChildren} and {@code blockOnClose} live in the {@link Forking}
 * strategy ({@link Forking#withMaxChildren}, {@link Forking#withBlockOnClose}); pass
 * {@link Forking#preforkedPool(int)} for a pool of long-lived worker processes instead.
 *
 * <p>Every constructor fails at once with an {@link UnsupportedOperationException} saying why
 * where forking cannot work (no native AF_UNIX descriptor passing, or the JVM flag missing).
 */
public class ForkingUDPServer extends UDPServer {

    /** Bound, with a child process per request running a new {@code handlerClass} instance. */
    public ForkingUDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> handlerClass) throws IOException {
        this(serverAddress, NamedHandlerFactory.ofClass(handlerClass), Forking.processPerRequest(), true);
    }

    /** Bound, with requests run as {@code processing} says (per request, or a pre-forked pool). */
    public ForkingUDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> handlerClass, Forking processing)
            throws IOException {
        this(serverAddress, NamedHandlerFactory.ofClass(handlerClass), processing, true);
    }

    /** The full constructor; see {@link TCPServer} for what runs in it. */
    public ForkingUDPServer(SocketAddress serverAddress, NamedHandlerFactory<DatagramRequest> handlerFactory, Forking processing,
            boolean bindAndActivate) throws IOException {
        super(serverAddress, handlerFactory, processing, bindAndActivate);
    }

    /** The forking strategy, which holds {@code maxChildren}, {@code activeChildren} and {@code blockOnClose}. */
    public Forking forking() {
        return (Forking) processing();
    }
}
