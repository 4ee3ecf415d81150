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
     * SIGTERM), then shuts the server down and closes it.
     */
    static int serveUntilStopped(BaseServer<?> server) throws IOException {
        Thread stopper = new Thread(() -> {
            server.shutdown();
            server.serverClose();
        }, "example-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        System.out.println("listening on " + describe(server.serverAddress()));
        System.out.flush();
        try (server) {
            server.serveForever();
        }
        return 0;
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address.toString();
    }
}
