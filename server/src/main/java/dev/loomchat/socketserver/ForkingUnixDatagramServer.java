package dev.loomchat.socketserver;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Python's {@code ForkingUnixDatagramServer}: a {@link UnixDatagramServer} that handles each request in a child process (Python's {@code ForkingMixIn}).
 *
 * <p>Not available yet (see {@link Forking}): every constructor throws
 * {@link UnsupportedOperationException} with a message that says why.
 */
public class ForkingUnixDatagramServer extends UnixDatagramServer {

    /** Bound, with a child process per request. */
    public ForkingUnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(path, handlerFactory, Forking.processPerRequest(), true);
    }

    /** With a child process per request; with {@code bindAndActivate} false the socket is created but not bound. */
    public ForkingUnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory, boolean bindAndActivate)
            throws IOException {
        this(path, handlerFactory, Forking.processPerRequest(), bindAndActivate);
    }

    /** The full constructor; see {@link TCPServer} for what runs in it. */
    public ForkingUnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory, Forking processing,
            boolean bindAndActivate) throws IOException {
        super(path, handlerFactory, processing, bindAndActivate);
    }
}
