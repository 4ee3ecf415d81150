package dev.loomchat.examples;

import dev.loomchat.socketserver.StreamRequestHandler;
import dev.loomchat.socketserver.Threading;
import dev.loomchat.socketserver.ThreadingTCPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The smallest chat: a {@link ThreadingTCPServer} whose handlers broadcast every line they read
 * to every connected client, prefixed with the sender's address. (The real chat server adds
 * per-client outboxes, so a slow reader cannot hold up a sender; this example does not.)
 */
@Command(name = "echo-chat",
        description = "ThreadingTCPServer that broadcasts every line to every connected client.")
final class EchoChat implements Callable<Integer> {

    @Mixin
    private HelpOption help = new HelpOption();

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network = new NetworkOptions();

    /** The connected clients' outputs; each guarded by its own lock so lines never interleave. */
    static final class Clients {
        private final Map<OutputStream, ReentrantLock> outputs = new ConcurrentHashMap<>();

        void add(OutputStream out) {
            outputs.put(out, new ReentrantLock());
        }

        void remove(OutputStream out) {
            outputs.remove(out);
        }

        void broadcast(byte[] line) {
            outputs.forEach((out, lock) -> {
                lock.lock();
                try {
                    out.write(line);
                } catch (IOException e) {
                    remove(out); // that client is gone; its own handler ends on EOF
                } finally {
                    lock.unlock();
                }
            });
        }
    }

    /** Registers the client, broadcasts each of its lines, unregisters it at EOF. */
    static final class BroadcastHandler extends StreamRequestHandler {
        private final Clients clients;

        BroadcastHandler(Clients clients) {
            this.clients = clients;
        }

        @Override
        protected void handle() throws Exception {
            String who = Serving.describe(clientAddress());
            clients.add(wfile());
            try {
                clients.broadcast(("* " + who + " joined\n").getBytes(StandardCharsets.UTF_8));
                for (byte[] line = rfile().readline(); line.length > 0; line = rfile().readline()) {
                    String text = new String(line, StandardCharsets.UTF_8).stripTrailing();
                    clients.broadcast((who + ": " + text + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } finally {
                clients.remove(wfile());
                clients.broadcast(("* " + who + " left\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        return Serving.serveUntilStopped(CannotStart.orExplain(spec, this::newServer));
    }

    /** The bound server for the parsed options, with its own set of clients. */
    ThreadingTCPServer newServer() throws IOException {
        Clients clients = new Clients();
        // Daemon threads: Ctrl-C must not wait for connected clients to leave.
        return new ThreadingTCPServer(network.address(), () -> new BroadcastHandler(clients),
                Threading.virtual().withDaemonThreads(true), true);
    }
}
