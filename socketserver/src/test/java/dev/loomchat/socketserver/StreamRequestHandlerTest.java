package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StreamRequestHandler}'s attributes: {@code wbufsize} (and {@code finish} flushing after
 * {@code handle} threw), {@code rbufsize} (read-ahead or none), {@code timeout} (TCP and AF_UNIX)
 * and {@code disableNagleAlgorithm}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamRequestHandlerTest {

    @TempDir
    Path dir;

    private final HandlerErrors errors = new HandlerErrors();

    private TCPServer server(RequestHandlerFactory<SocketChannel> handler) throws Exception {
        return new TCPServer(loopback(), handler) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        };
    }

    @Test
    void defaultsArePythons() {
        StreamRequestHandler handler = new StreamRequestHandler() {
        };
        assertEquals(-1, handler.rbufsize());
        assertEquals(0, handler.wbufsize());
        assertEquals(null, handler.timeout());
        assertFalse(handler.disableNagleAlgorithm());
    }

    @Test
    void finishFlushesABufferedWfileEvenAfterHandleThrew() throws Exception {
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected int wbufsize() {
                return -1; // buffered: nothing is sent before a flush
            }

            @Override
            protected void handle() throws Exception {
                wfile().write("last words\n".getBytes(StandardCharsets.UTF_8));
                throw new IllegalStateException("handler failed after writing");
            }
        }); BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                InputStream in = Channels.newInputStream(client);
                assertEquals("last words\n", TestNet.readLineString(in));
                assertEquals(-1, in.read());
            }
            await().atMost(PATIENCE).until(() -> errors.count() == 1);
            assertInstanceOf(IllegalStateException.class, errors.errors().get(0));
            serving.stop();
        }
    }

    /**
     * Python: after {@code finish()} the files are closed, a write raises "write to closed file"
     * and nothing more reaches the client. (Python's unbuffered writer, {@code wbufsize} 0,
     * ignores its own close; here every {@code wbufsize} behaves the same.)
     */
    @ParameterizedTest(name = "wbufsize {0}")
    @ValueSource(ints = {-1, 0, 16})
    void afterFinishTheFilesAreClosedAndWritesThrow(int wbufsize) throws Exception {
        List<Exception> afterFinish = new CopyOnWriteArrayList<>();
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected int wbufsize() {
                return wbufsize;
            }

            @Override
            protected void handle() throws Exception {
                wfile().write("in handle\n".getBytes(StandardCharsets.UTF_8));
            }

            @Override
            protected void finish() throws Exception {
                super.finish();
                for (byte[] late : new byte[][] {"late\n".getBytes(StandardCharsets.UTF_8), new byte[64]}) {
                    try {
                        wfile().write(late); // a small write (into a buffer) and one past any buffer
                    } catch (IOException e) {
                        afterFinish.add(e);
                    }
                }
                try {
                    wfile().flush();
                } catch (IOException e) {
                    afterFinish.add(e);
                }
                try {
                    rfile().readline();
                } catch (IOException e) {
                    afterFinish.add(e);
                }
            }
        }); BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                String received = new String(TestNet.readAll(Channels.newInputStream(client)), StandardCharsets.UTF_8);
                assertEquals("in handle\n", received, "nothing written after finish() reached the client");
            }
            await().atMost(PATIENCE).until(() -> afterFinish.size() == 4);
            serving.stop();
        }
        errors.assertNone();
        for (Exception e : afterFinish) {
            assertTrue(e.getMessage().contains("closed"), e.toString());
        }
    }

    @Test
    void aBufferedWfileHoldsWritesUntilFlushed() throws Exception {
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected int wbufsize() {
                return 1024;
            }

            @Override
            protected void handle() throws Exception {
                wfile().write("buffered\n".getBytes(StandardCharsets.UTF_8));
                // written straight to the connection, past the buffer: arrives first
                ByteBuffer direct = ByteBuffer.wrap("direct\n".getBytes(StandardCharsets.UTF_8));
                while (direct.hasRemaining()) {
                    connection().write(direct);
                }
                wfile().flush();
                wfile().write("flushed by finish\n".getBytes(StandardCharsets.UTF_8));
            }
        }); BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                InputStream in = Channels.newInputStream(client);
                assertEquals("direct\n", TestNet.readLineString(in));
                assertEquals("buffered\n", TestNet.readLineString(in));
                assertEquals("flushed by finish\n", TestNet.readLineString(in));
                assertEquals(-1, in.read());
            }
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void rbufsizeZeroReadsNoFurtherThanTheLine() throws Exception {
        assertEquals("second\n", bytesLeftOnTheConnectionAfterOneReadline(0));
    }

    @Test
    void defaultRbufsizeReadsAhead() throws Exception {
        // Both lines arrived in one segment: the buffered rfile took the second one too.
        assertEquals("", bytesLeftOnTheConnectionAfterOneReadline(-1));
    }

    /**
     * The client sends two lines in one write; the handler reads one line through {@code rfile},
     * then reads whatever the connection itself still holds.
     */
    private String bytesLeftOnTheConnectionAfterOneReadline(int rbufsize) throws Exception {
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<String> left = new AtomicReference<>();
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected int rbufsize() {
                return rbufsize;
            }

            @Override
            protected void handle() throws Exception {
                first.set(new String(rfile().readline(), StandardCharsets.UTF_8));
                wfile().write("ack\n".getBytes(StandardCharsets.UTF_8));
                ByteBuffer rest = ByteBuffer.allocate(100);
                while (connection().read(rest) >= 0) {
                    // until the client's EOF
                }
                left.set(new String(rest.array(), 0, rest.position(), StandardCharsets.UTF_8));
            }
        }); BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                Channels.newOutputStream(client).write("first\nsecond\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("ack\n", TestNet.readLineString(Channels.newInputStream(client)));
                client.shutdownOutput();
                assertEquals(-1, Channels.newInputStream(client).read());
            }
            serving.stop();
        }
        errors.assertNone();
        assertEquals("first\n", first.get());
        return left.get();
    }

    @Test
    void aTcpReadTimeoutRaisesSocketTimeoutException() throws Exception {
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected Duration timeout() {
                return Duration.ofMillis(200);
            }

            @Override
            protected void handle() throws Exception {
                rfile().readline(); // the client sends nothing
            }
        }); BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                assertEquals(-1, Channels.newInputStream(client).read(), "the timed-out request is closed");
            }
            await().atMost(PATIENCE).until(() -> errors.count() == 1);
            serving.stop();
        }
        assertInstanceOf(SocketTimeoutException.class, errors.errors().get(0));
    }

    /** Python reports a read timeout through {@code handle_error}, traceback and all: so does the default here. */
    @Test
    void aReadTimeoutIsReportedByTheDefaultHandleErrorWithItsStackTrace() throws Exception {
        assertFalse(ClientDisconnects.isDisconnect(new SocketTimeoutException("Read timed out")),
                "a client too slow to send is not a client that went away");
        try (StandardErrorCapture stderr = new StandardErrorCapture();
             TCPServer server = new TCPServer(loopback(), () -> new StreamRequestHandler() {
                 @Override
                 protected Duration timeout() {
                     return Duration.ofMillis(200);
                 }

                 @Override
                 protected void handle() throws Exception {
                     rfile().readline(); // the client sends nothing
                 }
             });
             BackgroundServing serving = BackgroundServing.start(server);
             SocketChannel client = TestNet.connect(server.serverAddress())) {
            assertEquals(-1, Channels.newInputStream(client).read(), "the timed-out request is closed");
            await().atMost(PATIENCE).until(() -> stderr.text().contains("java.net.SocketTimeoutException"));
            String log = stderr.text();
            assertTrue(log.contains("ERROR") && log.contains("Exception occurred during processing of request from "
                    + client.getLocalAddress()), log);
            assertTrue(log.contains("\tat dev.loomchat.socketserver.LineInputStream.readline"), "with its stack trace: " + log);
            serving.stop();
        }
    }

    @Test
    void aTcpReadTimeoutLeavesTheConnectionUsable() throws Exception {
        AtomicReference<String> afterTimeout = new AtomicReference<>();
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected Duration timeout() {
                return Duration.ofMillis(100);
            }

            @Override
            protected void handle() throws Exception {
                try {
                    rfile().readline();
                } catch (SocketTimeoutException expected) {
                    wfile().write("timed out\n".getBytes(StandardCharsets.UTF_8));
                }
                afterTimeout.set(new String(rfile().readline(), StandardCharsets.UTF_8)); // as in Python
            }
        }); BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                InputStream in = Channels.newInputStream(client);
                assertEquals("timed out\n", TestNet.readLineString(in));
                Channels.newOutputStream(client).write("still here\n".getBytes(StandardCharsets.UTF_8));
                assertEquals(-1, in.read());
            }
            serving.stop();
        }
        errors.assertNone();
        assertEquals("still here\n", afterTimeout.get());
    }

    @Test
    void aUnixReadTimeoutRaisesSocketTimeoutException() throws Exception {
        try (UnixStreamServer server = new UnixStreamServer(dir.resolve("timeout.sock"), () -> new StreamRequestHandler() {
            @Override
            protected Duration timeout() {
                return Duration.ofMillis(200);
            }

            @Override
            protected void handle() throws Exception {
                rfile().readline();
            }
        }) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                assertEquals(-1, Channels.newInputStream(client).read(), "the timed-out request is closed");
            }
            await().atMost(PATIENCE).until(() -> errors.count() == 1);
            serving.stop();
        }
        assertInstanceOf(SocketTimeoutException.class, errors.errors().get(0));
    }

    @Test
    void aReadWithinTheTimeoutSucceeds() throws Exception {
        try (TCPServer server = server(() -> new EchoLineHandler() {
            @Override
            protected Duration timeout() {
                return PATIENCE;
            }
        }); BackgroundServing serving = BackgroundServing.start(server)) {
            TestNet.streamExamine(server.serverAddress());
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void disableNagleAlgorithmSetsTcpNoDelay() throws Exception {
        assertTrue(tcpNoDelayInHandler(true));
        assertFalse(tcpNoDelayInHandler(false));
    }

    private boolean tcpNoDelayInHandler(boolean disableNagle) throws Exception {
        AtomicReference<Boolean> noDelay = new AtomicReference<>();
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected boolean disableNagleAlgorithm() {
                return disableNagle;
            }

            @Override
            protected void handle() throws Exception {
                noDelay.set(connection().getOption(StandardSocketOptions.TCP_NODELAY));
            }
        })) {
            SocketChannel.open(server.serverAddress()).close();
            server.handleRequest();
        }
        errors.assertNone();
        return noDelay.get();
    }

    @Test
    void disableNagleAlgorithmIsIgnoredOnUnixSockets() throws Exception {
        try (UnixStreamServer server = new UnixStreamServer(dir.resolve("nagle.sock"), () -> new EchoLineHandler() {
            @Override
            protected boolean disableNagleAlgorithm() {
                return true;
            }
        }) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            TestNet.streamExamine(server.serverAddress());
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void connectionIsTheRequest() throws Exception {
        AtomicReference<Boolean> same = new AtomicReference<>();
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected void handle() {
                same.set(connection() == request());
            }
        })) {
            SocketChannel.open(server.serverAddress()).close();
            server.handleRequest();
        }
        assertTrue(same.get());
    }
}
