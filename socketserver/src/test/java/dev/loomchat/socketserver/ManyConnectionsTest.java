package dev.loomchat.socketserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 5,000 TCP connections held open at once against a {@link ThreadingTCPServer} on virtual
 * threads, all served: the point of the port (one blocking handler per connection without an OS
 * thread each). All clients connect first; the server then holds 5,000 live handler threads, each
 * blocked in {@code readline()}; then every client sends a line and gets its own answer.
 *
 * <p>Budget: 10,000 descriptors in this JVM (client + server side) against the 20,000 allowed.
 * Bounded at 180 s on a busy 2-core box; it takes a few seconds.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManyConnectionsTest {

    static final int CONNECTIONS = 5_000;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void fiveThousandConcurrentConnectionsAreAllServed() throws Exception {
        HandlerErrors errors = new HandlerErrors();
        AtomicInteger peakLiveThreads = new AtomicInteger();
        List<Socket> clients = new ArrayList<>(CONNECTIONS);
        try (ThreadingTCPServer server = new ThreadingTCPServer(TestNet.loopback(), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                byte[] line = rfile().readline();
                wfile().write(("echo " + new String(line, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }
        }) {
            @Override
            public int requestQueueSize() {
                return 4096; // the clients connect in a burst
            }

            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket socket = new Socket(address.getAddress(), address.getPort());
                    socket.setSoTimeout((int) PATIENCE.toMillis());
                    clients.add(socket);
                }
                // every connection accepted and its handler blocked in readline, all at once
                await().atMost(PATIENCE).until(() -> {
                    peakLiveThreads.accumulateAndGet(server.threading().liveThreadCount(), Math::max);
                    return peakLiveThreads.get() >= CONNECTIONS;
                });

                for (int i = 0; i < CONNECTIONS; i++) {
                    clients.get(i).getOutputStream().write(("client " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
                int answered = 0;
                for (int i = 0; i < CONNECTIONS; i++) {
                    InputStream in = clients.get(i).getInputStream();
                    assertEquals("echo client " + i + "\n", TestNet.readLineString(in));
                    answered++;
                }
                assertEquals(CONNECTIONS, answered);
            } finally {
                closeAll(clients);
            }
            await().atMost(PATIENCE).until(() -> server.threading().liveThreadCount() == 0);
            serving.stop();
        }
        assertTrue(peakLiveThreads.get() >= CONNECTIONS, "peak live handler threads " + peakLiveThreads.get());
        errors.assertNone();
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
