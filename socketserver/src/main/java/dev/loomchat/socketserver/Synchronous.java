package dev.loomchat.socketserver;

import java.net.SocketAddress;

/** {@link RequestProcessing#synchronous()}: stateless, so one instance serves every server. */
final class Synchronous implements RequestProcessing {

    static final Synchronous INSTANCE = new Synchronous();

    private Synchronous() {
    }

    @Override
    public <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) throws Exception {
        // As in Python: if finishRequest throws, the caller reports it and shuts the request down,
        // so the request is closed exactly once either way.
        server.finishRequest(request, clientAddress);
        server.shutdownRequest(request);
    }

    @Override
    public String toString() {
        return "synchronous";
    }
}
