package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** {@link UnixDatagramServer} over a real AF_UNIX datagram socket (junixsocket). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnixDatagramServerTest {

    @TempDir
    Path dir;

    private final HandlerErrors errors = new HandlerErrors();

    private UnixDatagramServer server(Path path, RequestProcessing processing, boolean reuse) throws IOException {
        return new UnixDatagramServer(path, UpperDatagramHandler::new, processing) {
            @Override
            public boolean allowReuseAddress() {
                return reuse;
            }

            @Override
            public void handleError(DatagramRequest request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        };
    }

    /** A client socket bound to its own path, so that the server can answer it. */
    private AFUNIXDatagramChannel client(String name) throws IOException {
        AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open();
        client.bind(AFUNIXSocketAddress.of(dir.resolve(name)));
        return client;
    }

    private static String exchange(AFUNIXDatagramChannel client, Path server, String text) throws IOException {
        client.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(server));
        ByteBuffer reply = ByteBuffer.allocate(8192);
        client.receive(reply);
        return new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
    }

    @Test
    void aClientBoundToItsOwnPathGetsTheUpperCasedReply() throws Exception {
        Path path = dir.resolve("upper.sock");
        try (UnixDatagramServer server = server(path, RequestProcessing.synchronous(), false);
             BackgroundServing serving = BackgroundServing.start(server);
             AFUNIXDatagramChannel client = client("c.sock")) {
            assertEquals(UnixDomainSocketAddress.of(path), server.serverAddress());
            assertEquals("HELLO UNIX", exchange(client, path, "hello unix"));
            serving.stop();
        }
        assertFalse(Files.exists(path), "serverClose removed the socket file");
        errors.assertNone();
    }

    @Test
    void aThousandDatagramsFromTenClientsAreAllAnswered() throws Exception {
        Path path = dir.resolve("many.sock");
        int clients = 10;
        int perClient = 100;
        try (UnixDatagramServer server = server(path, Threading.virtual(), false);
             BackgroundServing serving = BackgroundServing.start(server);
             ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<Integer>> answered = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                answered.add(pool.submit(() -> {
                    int ok = 0;
                    try (AFUNIXDatagramChannel client = client("client-" + id + ".sock")) {
                        for (int i = 0; i < perClient; i++) {
                            String text = "client " + id + " datagram " + i;
                            if (exchange(client, path, text).equals(text.toUpperCase(java.util.Locale.ROOT))) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : answered) {
                total += f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            assertEquals(clients * perClient, total, "every datagram answered, correctly");
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void theSenderOfAnUnboundClientIsTheEmptyPathAndTheServerGoesOn() throws Exception {
        Path path = dir.resolve("unbound.sock");
        try (UnixDatagramServer server = server(path, RequestProcessing.synchronous(), false);
             BackgroundServing serving = BackgroundServing.start(server)) {
            try (AFUNIXDatagramChannel unbound = AFUNIXDatagramChannel.open()) {
                unbound.send(ByteBuffer.wrap("who am i".getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(path));
            }
            await().atMost(PATIENCE).until(() -> errors.count() == 1);
            assertEquals(UnixDomainSocketAddress.of(""), errors.all().get(0).clientAddress(),
                    "Python's '' for an unbound sender; the reply cannot be sent");
            try (AFUNIXDatagramChannel client = client("after.sock")) {
                assertEquals("STILL SERVING", exchange(client, path, "still serving"));
            }
            serving.stop();
        }
    }

    /** A socket file left behind by a server that died. */
    private static Path staleSocketFile(Path path) throws IOException {
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path));
        return path;
    }

    @Test
    void aStaleSocketFileMakesTheConstructorFailWithAClearError() throws Exception {
        Path path = staleSocketFile(dir.resolve("stale.sock"));
        BindException e = assertThrows(BindException.class,
                () -> server(path, RequestProcessing.synchronous(), false).close());
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("allowReuseAddress"),
                e.getMessage());
        assertTrue(Files.exists(path), "a server that did not bind the file leaves it alone");
    }

    @Test
    void allowReuseAddressReplacesAStaleSocketFile() throws Exception {
        Path path = staleSocketFile(dir.resolve("stale.sock"));
        try (UnixDatagramServer server = server(path, RequestProcessing.synchronous(), true);
             BackgroundServing serving = BackgroundServing.start(server);
             AFUNIXDatagramChannel client = client("c.sock")) {
            assertEquals("REPLACED", exchange(client, path, "replaced"));
            serving.stop();
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void aLiveServersPathIsNeverTakenOverEvenWithAllowReuseAddress() throws Exception {
        Path path = dir.resolve("live.sock");
        try (UnixDatagramServer live = server(path, RequestProcessing.synchronous(), false)) {
            BindException e = assertThrows(BindException.class,
                    () -> server(path, RequestProcessing.synchronous(), true).close());
            assertTrue(e.getMessage().contains("receiving"), e.getMessage());
            assertTrue(live.fileno().isOpen());
            assertTrue(Files.exists(path), "the live server keeps its file");
        }
    }

    @Test
    void serverCloseRemovesTheSocketFileAndIsIdempotent() throws Exception {
        Path path = dir.resolve("close.sock");
        UnixDatagramServer server = server(path, RequestProcessing.synchronous(), false);
        assertTrue(Files.exists(path));
        assertInstanceOf(AFUNIXDatagramChannel.class, server.socket());
        server.serverClose();
        server.serverClose();
        assertFalse(Files.exists(path));
        assertFalse(server.fileno().isOpen());
    }
}
