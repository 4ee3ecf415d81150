package dev.loomchat.socketserver;

/**
 * Makes a fresh request handler for each request.
 *
 * <p>Usually a constructor reference ({@code MyHandler::new}) or a lambda that captures the
 * application state the handlers share ({@code () -> new EchoHandler(counters)}). The server calls it
 * once per request, on the thread that will run the handler.
 *
 * @param <R> the request type of the server (a connected {@link java.nio.channels.SocketChannel}
 *            for stream servers, a {@link DatagramRequest} for datagram servers)
 */
@FunctionalInterface
public interface RequestHandlerFactory<R> {

    /** Returns a new, unused handler. */
    BaseRequestHandler<R> newHandler();
}
