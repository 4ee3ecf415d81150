package dev.loomchat.examples;

import dev.loomchat.socketserver.UnixDatagramServer;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code udp-upper} over an AF_UNIX datagram socket ({@link UnixDatagramServer}). A client must
 * bind its own socket to a path to get the answer (an unbound sender has no address to reply to).
 */
@Command(name = "unix-dgram-upper", mixinStandardHelpOptions = true,
        description = {"UnixDatagramServer: answers every datagram in upper case.",
                "Clients bind their own path to be answered."})
final class UnixDgramUpper implements Callable<Integer> {

    @Option(names = "--path", required = true, description = "the socket file to create")
    private Path path;

    @Option(names = "--remove-stale", description = "remove a stale socket file left at --path by a server that"
            + " crashed (allowReuseAddress); a live server's path is never taken")
    private boolean removeStale;

    @Override
    public Integer call() throws Exception {
        UnixDatagramServer server;
        try {
            server = newServer();
        } catch (BindException e) {
            System.err.println("unix-dgram-upper: " + e.getMessage()
                    + (removeStale ? "" : "\n  (a stale file from a crashed server? --remove-stale removes it)"));
            return 1;
        }
        return Serving.serveUntilStopped(server);
    }

    /** The bound server for the parsed options. */
    UnixDatagramServer newServer() throws IOException {
        boolean reuse = removeStale;
        return new UnixDatagramServer(path, UdpUpper.MyUDPHandler::new) {
            @Override
            public boolean allowReuseAddress() {
                return reuse;
            }
        };
    }
}
