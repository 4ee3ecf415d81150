package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Port of CPython's {@code test_socketserver.SocketWriterTest}: with the default
 * {@code wbufsize} 0, {@code wfile} is unbuffered — a write is on the wire without a flush — and
 * a large write is sent in full.
 *
 * <p>Adapted: Java has no {@code fileno()} on streams, so {@code test_basics} checks that
 * {@code wfile} is not a buffering stream and writes straight to the connection; the
 * {@code SIGUSR1} that {@code test_write} sends to interrupt the writer (EINTR) has no Java
 * equivalent and is left out — the full-length write is kept.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketWriterTest {

    /** Python's {@code SOCK_MAX_SIZE}: 16 MiB + 1. */
    static final int SOCK_MAX_SIZE = 16 * 1024 * 1024 + 1;

    private final HandlerErrors errors = new HandlerErrors();

    private TCPServer server(java.util.function.Supplier<StreamRequestHandler> handler) throws Exception {
        return new TCPServer(loopback(), handler::get) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        };
    }

    @Test
    @DisplayName("SocketWriterTest.test_basics")
    void defaultWfileIsUnbufferedAndWritesToTheConnection() throws Exception {
        AtomicReference<OutputStream> wfile = new AtomicReference<>();
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                wfile.set(wfile());
                wfile().write("unbuffered\n".getBytes(StandardCharsets.UTF_8));
            }
        })) {
            CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> {
                try {
                    server.handleRequest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                assertEquals("unbuffered\n", TestNet.readLineString(Channels.newInputStream(client)));
            }
            handled.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        assertNotNull(wfile.get());
        assertFalse(wfile.get() instanceof BufferedOutputStream, "wbufsize 0 means no buffer: " + wfile.get());
        assertFalse(wfile.get() instanceof FilterOutputStream, "wbufsize 0 means no buffer: " + wfile.get());
        errors.assertNone();
    }

    @Test
    @DisplayName("SocketWriterTest.test_write")
    void writeArrivesWithoutFlushAndALargeWriteIsSentInFull() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        AtomicReference<Boolean> bigWriteReturned = new AtomicReference<>(false);
        try (TCPServer server = server(() -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                wfile().write("write data\n".getBytes(StandardCharsets.UTF_8)); // no flush
                received.set(new String(rfile().readline(), StandardCharsets.UTF_8));
                wfile().write(new byte[SOCK_MAX_SIZE]);
                bigWriteReturned.set(true);
            }
        })) {
            CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> {
                try {
                    server.handleRequest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                InputStream in = Channels.newInputStream(client);
                OutputStream out = Channels.newOutputStream(client);
                // The handler only goes on to read once this line arrived: no flush was needed.
                assertEquals("write data\n", TestNet.readLineString(in));
                out.write("client response\n".getBytes(StandardCharsets.UTF_8));
                byte[] first = in.readNBytes(100);
                assertEquals(100, first.length);
                byte[] rest = in.readAllBytes(); // until the server closes the connection
                assertEquals(SOCK_MAX_SIZE - 100, rest.length);
                assertArrayEquals(new byte[100], first);
            }
            handled.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        assertEquals("client response\n", received.get());
        assertTrue(bigWriteReturned.get(), "the 16 MiB + 1 write returned normally");
        errors.assertNone();
    }
}
