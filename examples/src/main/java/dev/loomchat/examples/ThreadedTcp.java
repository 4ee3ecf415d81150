package dev.loomchat.examples;

import dev.loomchat.socketserver.StreamRequestHandler;
import dev.loomchat.socketserver.ThreadingTCPServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * Python's "asynchronous mix-ins" example: a {@link ThreadingTCPServer} (virtual threads) on
 * port 0 served from a background thread, three clients, each answer naming the thread that
 * served it.
 */
@Command(name = "threaded-tcp", defaultValueProvider = ThreadedTcp.AnyFreePort.class,
        description = "ThreadingTCPServer in a background thread; three clients; each answer names its thread.")
final class ThreadedTcp implements Callable<Integer> {

    @Mixin
    private HelpOption help = new HelpOption();

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network = new NetworkOptions();

    /**
     * Port 0 by default, unlike the other examples. (Setting the field in a constructor is not
     * enough: picocli applies the option's annotated default, 9999, when --port is not given.)
     */
    static final class AnyFreePort implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec argSpec) {
            return argSpec instanceof OptionSpec option && option.longestName().equals("--port") ? "0" : null;
        }
    }

    /** Answers a line with "THREAD-NAME: line". */
    static final class ThreadedTCPRequestHandler extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            String data = new String(rfile().readline(), StandardCharsets.UTF_8).strip();
            String response = Thread.currentThread() + ": " + data + "\n";
            wfile().write(response.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String client(InetSocketAddress server, String message) throws Exception {
        try (Socket socket = new Socket(server.getAddress(), server.getPort());
             PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            out.println(message);
            return in.readLine();
        }
    }

    @Override
    public Integer call() throws Exception {
        return run(System.out);
    }

    /** Runs the server and the three clients, printing to {@code out}. */
    int run(PrintStream out) throws Exception {
        try (var server = CannotStart.orExplain(spec,
                () -> new ThreadingTCPServer(network.address(), ThreadedTCPRequestHandler::new))) {
            Thread serverThread = Thread.ofPlatform().name("server").daemon(true).start(() -> {
                try {
                    server.serveForever();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            out.println("Server loop running in thread: " + serverThread.getName()
                    + " on " + Serving.describe(address));
            for (int i = 1; i <= 3; i++) {
                out.println("Received: " + client(address, "Hello World " + i));
            }
            server.shutdown();
        }
        return 0;
    }
}
