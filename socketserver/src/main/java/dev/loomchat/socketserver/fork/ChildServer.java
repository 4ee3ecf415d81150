package dev.loomchat.socketserver.fork;

import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.ReceivedRequest;
import dev.loomchat.socketserver.RequestHandlerFactory;
import dev.loomchat.socketserver.RequestProcessing;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;

/**
 * The server a handler sees in a child JVM
 * ({@link dev.loomchat.socketserver.BaseRequestHandler#server()}): Python's child has a copy of
 * the whole server object; a child JVM has this stand-in, which knows the server's
 * address and handles the one request it was handed the way the parent's class would —
 * {@code finishRequest}, {@code handleError} (logged in the child, as Python's child prints it)
 * and {@code shutdownRequest} (half-close and close a connection; close the child's copy of a
 * datagram socket). Overrides of those hooks in the parent's server class do not reach the child.
 */
final class ChildServer<R> extends BaseServer<R> {

    private final SelectableChannel channel;

    ChildServer(SocketAddress serverAddress, RequestHandlerFactory<R> handlerFactory, SelectableChannel channel) {
        super(serverAddress, handlerFactory, RequestProcessing.synchronous());
        this.channel = channel;
    }

    /** The channel of the request this child was handed. */
    @Override
    public SelectableChannel fileno() {
        return channel;
    }

    /** @throws UnsupportedOperationException always: a child serves only the request it was handed */
    @Override
    public ReceivedRequest<R> getRequest() {
        throw new UnsupportedOperationException("a forked child handles only the request it was handed");
    }

    /**
     * As {@link dev.loomchat.socketserver.TCPServer#shutdownRequest} for a connection; closes the
     * child's copy of a datagram socket.
     */
    @Override
    public void shutdownRequest(R request) {
        if (request instanceof SocketChannel connection) {
            try {
                connection.shutdownOutput();
            } catch (IOException e) {
                // The client is gone already.
            }
        }
        closeRequest(request);
    }

    @Override
    public void closeRequest(R request) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }
}
