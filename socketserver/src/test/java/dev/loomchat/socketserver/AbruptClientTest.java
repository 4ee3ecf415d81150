package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that vanish — reset (RST) while the server reads or writes, half-close, EOF in the
 * middle of a line, connect-and-reset — never take the server down, and what reaches
 * {@code handleError} is only ever a {@linkplain ClientDisconnects#isDisconnect disconnect},
 * which the default {@code handleError} logs as one DEBUG line instead of a stack trace
 * (a client that vanishes is normal, not an error storm in the log).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AbruptClientTest {

    private static final int BIG = 32 * 1024 * 1024; // far more than loopback socket buffers hold

    private final HandlerErrors errors = new HandlerErrors();
    private final List<String> partialLines = new CopyOnWriteArrayList<>();

    /** Echoes complete lines until EOF; answers "big" with 32 MiB; records a partial last line. */
    private TCPServer server(RequestProcessing processing) throws Exception {
        return new TCPServer(loopback(), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                for (byte[] line = rfile().readline(); line.length > 0; line = rfile().readline()) {
                    String text = new String(line, StandardCharsets.UTF_8);
                    if (!text.endsWith("\n")) {
                        partialLines.add(text);
                    } else if (text.equals("big\n")) {
                        byte[] chunk = new byte[64 * 1024];
                        for (int sent = 0; sent < BIG; sent += chunk.length) {
                            wfile().write(chunk);
                        }
                    } else {
                        wfile().write(line);
                    }
                }
            }
        }, processing) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
                super.handleError(request, clientAddress, error); // the real path: DEBUG line or ERROR + trace
            }
        };
    }

    private static Socket connect(SocketAddress address) throws Exception {
        InetSocketAddress inet = (InetSocketAddress) address;
        Socket socket = new Socket(inet.getAddress(), inet.getPort());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Closes with RST instead of FIN. */
    private static void reset(Socket socket) throws Exception {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private void awaitErrors(int count) {
        await().atMost(PATIENCE).until(() -> errors.count() >= count);
    }

    @ParameterizedTest(name = "threaded = {0}")
    @ValueSource(booleans = {false, true})
    void vanishingClientsNeitherStopTheServerNorLogStackTraces(boolean threaded) throws Exception {
        try (TCPServer server = server(threaded ? Threading.virtual() : RequestProcessing.synchronous());
             BackgroundServing serving = BackgroundServing.start(server)) {
            SocketAddress address = server.serverAddress();

            // 1. RST while the handler waits for the rest of a line
            try (Socket client = connect(address)) {
                OutputStream out = client.getOutputStream();
                out.write("hello\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("hello\n", TestNet.readLineString(client.getInputStream())); // handler now reads again
                out.write("abc".getBytes(StandardCharsets.UTF_8));
                reset(client);
            }
            awaitErrors(1);

            // 2. RST while the handler is writing a large answer
            try (Socket client = connect(address)) {
                client.getOutputStream().write("big\n".getBytes(StandardCharsets.UTF_8));
                assertTrue(client.getInputStream().read() >= 0, "the answer started");
                reset(client);
            }
            awaitErrors(2);

            // 3. half-close: the client stops sending but still reads its answer
            try (Socket client = connect(address)) {
                client.getOutputStream().write("last line\n".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                InputStream in = client.getInputStream();
                assertEquals("last line\n", TestNet.readLineString(in));
                assertEquals(-1, in.read(), "the server closes its side after the client's EOF");
            }

            // 4. EOF in the middle of a line
            try (Socket client = connect(address)) {
                client.getOutputStream().write("no newline".getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(PATIENCE).until(() -> partialLines.contains("no newline"));

            // 5. connect and reset at once, and connect and close at once
            reset(connect(address));
            connect(address).close();

            // the server is still serving
            for (int i = 0; i < 3; i++) {
                TestNet.streamExamine(address);
            }
            if (server.processing() instanceof Threading threading) {
                await().atMost(PATIENCE).until(() -> threading.liveThreadCount() == 0);
            }
            serving.stop();
        }
        List<Exception> notDisconnects = errors.errors().stream().filter(e -> !ClientDisconnects.isDisconnect(e)).toList();
        assertEquals(List.of(), notDisconnects, "only disconnects reached handleError (all: " + errors.errors() + ")");
        assertTrue(errors.count() >= 2, "the two resets were reported as disconnects: " + errors.errors());
    }
}
