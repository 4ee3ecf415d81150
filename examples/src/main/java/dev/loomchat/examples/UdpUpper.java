package dev.loomchat.examples;

import dev.loomchat.socketserver.DatagramRequestHandler;
import dev.loomchat.socketserver.UDPServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Python's {@code MyUDPHandler}: answers every datagram in upper case ({@link UDPServer}). */
@Command(name = "udp-upper",
        description = "UDPServer: answers every datagram in upper case.")
final class UdpUpper implements Callable<Integer> {

    @Mixin
    private HelpOption help = new HelpOption();

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network = new NetworkOptions();

    /** Writes the packet back upper-cased; the handler's finish() sends it. */
    static final class MyUDPHandler extends DatagramRequestHandler {
        @Override
        protected void handle() throws Exception {
            String data = new String(packet(), StandardCharsets.UTF_8);
            System.out.println(Serving.describe(clientAddress()) + " wrote: " + data.strip());
            wfile().write(data.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public Integer call() throws Exception {
        return Serving.serveUntilStopped(CannotStart.orExplain(spec, this::newServer));
    }

    /** The bound server for the parsed options. */
    UDPServer newServer() throws IOException {
        return new UDPServer(network.address(), MyUDPHandler::new);
    }
}
