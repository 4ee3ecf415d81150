package dev.loomchat.examples;

import dev.loomchat.socketserver.UnixDatagramServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code udp-upper} over an AF_UNIX datagram socket ({@link UnixDatagramServer}). A client must
 * bind its own socket to a path to get the answer (an unbound sender has no address to reply to).
 */
@Command(name = "unix-dgram-upper",
        description = {"UnixDatagramServer: answers every datagram in upper case.",
                "Clients bind their own path to be answered."})
final class UnixDgramUpper implements Callable<Integer> {

    @Mixin
    private HelpOption help = new HelpOption();

    @Spec
    private CommandSpec spec;

    @Option(names = "--path", required = true, description = "the socket file to create")
    private Path path;

    @Option(names = "--remove-stale", description = "remove a stale socket file left at --path by a server that"
            + " crashed (allowReuseAddress); a live server's path is never taken")
    private boolean removeStale;

    @Override
    public Integer call() throws Exception {
        return Serving.serveUntilStopped(CannotStart.orExplain(spec, this::newServer));
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
