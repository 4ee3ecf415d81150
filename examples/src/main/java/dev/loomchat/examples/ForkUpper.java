package dev.loomchat.examples;

import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.DatagramRequestHandler;
import dev.loomchat.socketserver.Forking;
import dev.loomchat.socketserver.ForkingTCPServer;
import dev.loomchat.socketserver.ForkingUDPServer;
import dev.loomchat.socketserver.ForkingUnixDatagramServer;
import dev.loomchat.socketserver.ForkingUnixStreamServer;
import dev.loomchat.socketserver.NamedHandlerFactory;
import dev.loomchat.socketserver.StreamRequestHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The upper-case seed servers with Python's {@code ForkingMixIn}: each request is handled in a
 * child process ({@link ForkingTCPServer} and friends), or with {@code --pool N} by a pool of N
 * pre-forked worker processes. The handlers print who they are, so the child PIDs show.
 */
@Command(name = "fork-upper",
        description = {"ForkingTCPServer: answers in upper case, each request in a child process.",
                "--udp for datagrams (ForkingUDPServer), --path for AF_UNIX (ForkingUnixStreamServer,"
                        + " ForkingUnixDatagramServer), --pool N for a pre-forked pool of N worker processes."})
final class ForkUpper implements Callable<Integer> {

    @Mixin
    private HelpOption help = new HelpOption();

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network = new NetworkOptions();

    @Option(names = "--udp", description = "datagrams (ForkingUDPServer / ForkingUnixDatagramServer) instead of connections")
    private boolean udp;

    @Option(names = "--path", description = "an AF_UNIX socket at this path instead of --host/--port")
    private Path path;

    @Option(names = "--pool", paramLabel = "N", description = "a pre-forked pool of N worker processes instead of a process per request")
    private Integer pool;

    @Option(names = "--max-children", defaultValue = "40",
            description = "per request: most child processes alive at once (default: ${DEFAULT-VALUE})")
    private int maxChildren;

    /** {@code tcp-upper}'s handler, saying which process it runs in. */
    static final class ForkedTCPHandler extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            String line = new String(rfile().readline(), StandardCharsets.UTF_8);
            System.out.println(Serving.describe(clientAddress()) + " wrote: " + line.strip()
                    + "  (child process " + ProcessHandle.current().pid() + ")");
            wfile().write(line.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code udp-upper}'s handler, saying which process it runs in. */
    static final class ForkedUDPHandler extends DatagramRequestHandler {
        @Override
        protected void handle() throws Exception {
            String data = new String(packet(), StandardCharsets.UTF_8);
            System.out.println(Serving.describe(clientAddress()) + " wrote: " + data.strip()
                    + "  (child process " + ProcessHandle.current().pid() + ")");
            wfile().write(data.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public Integer call() throws Exception {
        BaseServer<?> server = CannotStart.orExplain(spec, this::newServer);
        System.out.println("server process " + ProcessHandle.current().pid() + " ("
                + (pool == null ? "a child process per request" : "a pool of " + pool + " worker processes") + ")");
        return Serving.serveUntilStopped(server);
    }

    /** The bound server for the parsed options. */
    BaseServer<?> newServer() throws IOException {
        Forking forking = pool == null
                ? Forking.processPerRequest().withMaxChildren(maxChildren)
                : Forking.preforkedPool(pool);
        if (udp) {
            var handler = NamedHandlerFactory.ofClass(ForkedUDPHandler.class);
            return path == null
                    ? new ForkingUDPServer(network.address(), handler, forking, true)
                    : new ForkingUnixDatagramServer(path, handler, forking, true);
        }
        var handler = NamedHandlerFactory.ofClass(ForkedTCPHandler.class);
        return path == null
                ? new ForkingTCPServer(network.address(), handler, forking, true)
                : new ForkingUnixStreamServer(path, handler, forking, true);
    }
}
