package dev.loomchat.examples;

import dev.loomchat.socketserver.BaseServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Runs an example server until Ctrl-C, the way every example does it. */
final class Serving {

    private Serving() {
    }

    /**
     * Prints {@code listening on ADDRESS}, serves until the JVM is asked to stop (Ctrl-C,
     * SIGTERM) or {@code server.shutdown()} is called, then closes the server.
     */
    static int serveUntilStopped(BaseServer<?> server) throws IOException {
        try (server) {
            Thread stopper = new Thread(() -> stop(server), "example-shutdown");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                System.out.println("listening on " + describe(server.serverAddress()));
                System.out.flush();
                server.serveForever();
            } finally {
                removeShutdownHook(stopper);
            }
        }
        return 0;
    }

    /** What Ctrl-C does: stops the request loop and closes the server. */
    static void stop(BaseServer<?> server) {
        server.shutdown();
        server.serverClose();
    }

    /**
     * Unregisters the hook of a server that stopped without Ctrl-C, so that serving several
     * servers in one JVM (the tests) does not pile up hooks that hold closed servers.
     */
    private static void removeShutdownHook(Thread stopper) {
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is what stopped the server.
        }
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address.toString();
    }
}
