package dev.loomchat.socketserver;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.channels.SocketChannel;

/**
 * Python's {@code ForkingUnixStreamServer}: a {@link UnixStreamServer} that handles each request in a child process (Python's {@code ForkingMixIn}).
 *
 * <p>Not available yet (see {@link Forking}): every constructor throws
 * {@link UnsupportedOperationException} with a message that says why.
 */
public class ForkingUnixStreamServer extends UnixStreamServer {

    /** Bound and listening, with a child process per request. */
    public ForkingUnixStreamServer(Path path, RequestHandlerFactory<SocketChannel> handlerFactory) throws IOException {
        this(path, handlerFactory, Forking.processPerRequest(), true);
    }

    /** With a child process per request; with {@code bindAndActivate} false the socket is created but not bound. */
    public ForkingUnixStreamServer(Path path, RequestHandlerFactory<SocketChannel> handlerFactory, boolean bindAndActivate)
            throws IOException {
        this(path, handlerFactory, Forking.processPerRequest(), bindAndActivate);
    }

    /** The full constructor; see {@link TCPServer} for what runs in it. */
    public ForkingUnixStreamServer(Path path, RequestHandlerFactory<SocketChannel> handlerFactory, Forking processing,
            boolean bindAndActivate) throws IOException {
        super(path, handlerFactory, processing, bindAndActivate);
    }
}
