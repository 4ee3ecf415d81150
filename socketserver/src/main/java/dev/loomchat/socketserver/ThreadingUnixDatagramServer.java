package dev.loomchat.socketserver;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link UnixDatagramServer} that runs each request on its own thread: a new virtual thread by default, or
 * as the given {@link Threading} says ({@link Threading#platform()}, daemon threads,
 * {@code blockOnClose}).
 */
public class ThreadingUnixDatagramServer extends UnixDatagramServer {

    /** Bound, with a new virtual thread per request. */
    public ThreadingUnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(path, handlerFactory, Threading.virtual(), true);
    }

    /** With a new virtual thread per request; with {@code bindAndActivate} false the socket is created but not bound. */
    public ThreadingUnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory, boolean bindAndActivate)
            throws IOException {
        this(path, handlerFactory, Threading.virtual(), bindAndActivate);
    }

    /** The full constructor; see {@link TCPServer} for what runs in it. */
    public ThreadingUnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory, Threading processing,
            boolean bindAndActivate) throws IOException {
        super(path, handlerFactory, processing, bindAndActivate);
    }

    /** The threading strategy, which holds {@code daemonThreads} and {@code blockOnClose}. */
    public Threading threading() {
        return (Threading) processing();
    }
}
