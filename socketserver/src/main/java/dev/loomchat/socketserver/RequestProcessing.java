package dev.loomchat.socketserver;

import java.net.SocketAddress;

/**
 * How a server runs each request: Java's answer to Python's mix-ins.
 *
 * <p>Python changes {@code process_request} by mixing {@code ThreadingMixIn} or
 * {@code ForkingMixIn} into a server class. Java has no mix-ins, so the server is given a
 * strategy instead: {@link #synchronous()} (the default, {@code BaseServer.process_request}),
 * {@link Threading#virtual()} / {@link Threading#platform()} ({@code ThreadingMixIn}) or
 * {@link Forking} ({@code ForkingMixIn}). The named classes ({@link ThreadingTCPServer}, ...)
 * just wire one.
 *
 * <p>A strategy instance may keep per-server state (live threads or children), so it belongs to
 * one server: the factory methods return fresh instances. Its methods are called by the server:
 * {@link #processRequest} on the thread running {@code serveForever}/{@code handleRequest};
 * {@link #serverClose} from {@link BaseServer#serverClose()}.
 */
public interface RequestProcessing {

    /**
     * Runs one verified request. The implementation owns the
     * request from here: it must eventually call {@link BaseServer#finishRequest} and
     * {@link BaseServer#shutdownRequest} (or hand the request to something that does). An
     * exception thrown here is reported with {@link BaseServer#handleError} and the request is
     * shut down by the server.
     */
    <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) throws Exception;

    /**
     * Called by {@link BaseServer#serverActivate()} once the socket is bound: a strategy that
     * needs the bound server ahead of the first request (a pre-forked pool starts its workers)
     * prepares here. A no-op by default.
     */
    default void serverActivate(BaseServer<?> server) throws java.io.IOException {
    }

    /** Called once per {@code serveForever} loop iteration, from {@link BaseServer#serviceActions()}. */
    default void serviceActions(BaseServer<?> server) {
    }

    /** Called when {@code handleRequest} times out, from {@link BaseServer#handleTimeout()}. */
    default void handleTimeout(BaseServer<?> server) {
    }

    /** Called by {@link BaseServer#serverClose()} after the socket is closed: join or reap workers. */
    default void serverClose(BaseServer<?> server) {
    }

    /**
     * Runs every request on the serving thread, one at a time: Python's plain
     * {@code BaseServer.process_request} ({@code finish_request} then {@code shutdown_request}).
     */
    static RequestProcessing synchronous() {
        return Synchronous.INSTANCE;
    }
}
