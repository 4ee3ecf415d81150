package dev.loomchat.examples;

import dev.loomchat.socketserver.StreamRequestHandler;
import dev.loomchat.socketserver.TCPServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Python's classic {@code MyTCPHandler}: reads one line and answers it in upper case, one
 * client at a time ({@link TCPServer}, synchronous).
 */
@Command(name = "tcp-upper",
        description = "TCPServer: answers one line per connection in upper case.")
final class TcpUpper implements Callable<Integer> {

    @Mixin
    private HelpOption help = new HelpOption();

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network = new NetworkOptions();

    /** Reads a line, prints it, writes it back upper-cased. */
    static final class MyTCPHandler extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            byte[] data = rfile().readline();
            String line = new String(data, StandardCharsets.UTF_8);
            System.out.println(Serving.describe(clientAddress()) + " wrote: " + line.strip());
            wfile().write(line.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public Integer call() throws Exception {
        return Serving.serveUntilStopped(CannotStart.orExplain(spec, this::newServer));
    }

    /** The bound server for the parsed options. */
    TCPServer newServer() throws IOException {
        return new TCPServer(network.address(), MyTCPHandler::new);
    }
}
