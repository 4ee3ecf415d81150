package dev.loomchat.socketserver;

import java.net.SocketAddress;

/**
 * A request handler: one instance handles one request.
 *
 * <p>The server makes a fresh handler per request through its {@link RequestHandlerFactory},
 * then {@linkplain #run runs} it: it sets {@link #request()}, {@link #clientAddress()} and
 * {@link #server()}, calls {@link #setup()}, then {@link #handle()}, and {@link #finish()} always
 * (even when {@code handle} throws). If {@code setup} throws, neither {@code handle} nor
 * {@code finish} runs — as in Python. Unlike Python, nothing runs in the constructor, so
 * subclass fields are initialised before any hook is called.
 *
 * <p>Threading: a handler is confined to the one thread that runs it (a virtual thread under
 * {@link Threading#virtual()}); it needs no synchronisation of its own state. State shared
 * between handlers (captured by the factory) must be thread-safe.
 *
 * @param <R> the request type: a connected {@link java.nio.channels.SocketChannel} for stream
 *            servers, a {@link DatagramRequest} for datagram servers
 */
public abstract class BaseRequestHandler<R> {

    private R request;
    private SocketAddress clientAddress;
    private BaseServer<R> server;

    /**
     * Handles one request (what Python does in the constructor). Called by
     * {@link BaseServer#finishRequest}; a handler instance may be run only once.
     *
     * @throws Exception whatever {@code setup}, {@code handle} or {@code finish} threw; the server
     *                   reports it through {@link BaseServer#handleError}
     */
    final void run(R request, SocketAddress clientAddress, BaseServer<R> server) throws Exception {
        if (this.server != null) {
            throw new IllegalStateException("a request handler handles exactly one request");
        }
        this.request = request;
        this.clientAddress = clientAddress;
        this.server = server;
        setup();
        try {
            handle();
        } finally {
            finish();
        }
    }

    /** Called before {@link #handle()} to prepare the request (a no-op here). */
    protected void setup() throws Exception {
    }

    /** Does the work of serving the request (a no-op here). */
    protected void handle() throws Exception {
    }

    /** Called after {@link #handle()}, even when it threw, to clean up (a no-op here). */
    protected void finish() throws Exception {
    }

    /** The request: a connection or a datagram. */
    public final R request() {
        return request;
    }

    /** The client's address. */
    public final SocketAddress clientAddress() {
        return clientAddress;
    }

    /** The server that received the request. */
    public final BaseServer<R> server() {
        return server;
    }
}
