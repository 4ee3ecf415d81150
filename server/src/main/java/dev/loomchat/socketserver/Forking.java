package dev.loomchat.socketserver;

import java.net.SocketAddress;

/**
 * A process per request: Python's {@code ForkingMixIn}.
 *
 * <p>Not available yet: the JVM cannot {@code fork()} itself, so forking needs child JVMs that
 * receive the accepted socket by file-descriptor passing (tracked as its own issue). Until then
 * {@link #processPerRequest()} fails at once with an {@link UnsupportedOperationException} that
 * says so, and so do the {@code Forking*Server} constructors.
 */
public final class Forking implements RequestProcessing {

    /** Python's {@code max_children}. */
    public static final int DEFAULT_MAX_CHILDREN = 40;

    static final String NOT_YET = "forking servers (a process per request) are not available yet in loomchat: "
            + "the JVM cannot fork itself and the child-JVM implementation has not landed; "
            + "use Threading.virtual() instead";

    private Forking() {
    }

    /**
     * A child process per request.
     *
     * @throws UnsupportedOperationException always, for now (see the class comment)
     */
    public static Forking processPerRequest() {
        throw new UnsupportedOperationException(NOT_YET);
    }

    @Override
    public <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) {
        throw new UnsupportedOperationException(NOT_YET);
    }
}
