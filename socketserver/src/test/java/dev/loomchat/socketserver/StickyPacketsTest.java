package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seeds' "sticky packet" problem: TCP is a byte stream, so several messages can arrive in one
 * read and one message can arrive over several. Line framing through {@code rfile().readline()}
 * delivers exactly the messages sent either way. (The same with a deterministic split of the
 * bytes is in {@link LineInputStreamTest}.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StickyPacketsTest {

    private final HandlerErrors errors = new HandlerErrors();
    private final List<String> received = new CopyOnWriteArrayList<>();

    /** Records every line, and acknowledges each with "ok N". */
    private ThreadingTCPServer lineRecordingServer() throws Exception {
        return new ThreadingTCPServer(loopback(), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                for (byte[] line = rfile().readline(); line.length > 0; line = rfile().readline()) {
                    received.add(new String(line, StandardCharsets.UTF_8));
                    wfile().write(("ok " + received.size() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        };
    }

    @Test
    void severalMessagesInOneSendAndOneMessageInSeveralSendsAreFramedExactly() throws Exception {
        try (ThreadingTCPServer server = lineRecordingServer(); BackgroundServing serving = BackgroundServing.start(server)) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                client.setTcpNoDelay(true); // every write leaves as its own segment
                client.setSoTimeout((int) PATIENCE.toMillis());
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();

                // three messages, one send
                out.write("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertEquals("ok 1\n", TestNet.readLineString(in));
                assertEquals("ok 2\n", TestNet.readLineString(in));
                assertEquals("ok 3\n", TestNet.readLineString(in));

                // one message, four sends; the server has nothing to answer until the newline
                for (String part : new String[] {"fo", "ur, in ", "pieces", "\n"}) {
                    out.write(part.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                assertEquals("ok 4\n", TestNet.readLineString(in));

                // the end of one message and the start of the next in one send
                out.write("fi".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("ve\nsi".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("x\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertEquals("ok 5\n", TestNet.readLineString(in));
                assertEquals("ok 6\n", TestNet.readLineString(in));
            }
            await().atMost(PATIENCE).until(() -> server.threading().liveThreadCount() == 0);
            serving.stop();
        }
        assertEquals(List.of("one\n", "two\n", "three\n", "four, in pieces\n", "five\n", "six\n"), received);
        errors.assertNone();
    }

    @Test
    void aMessageSplitWhileTheHandlerWaitsIsDeliveredWhole() throws Exception {
        try (ThreadingTCPServer server = lineRecordingServer(); BackgroundServing serving = BackgroundServing.start(server)) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                client.setTcpNoDelay(true);
                client.setSoTimeout((int) PATIENCE.toMillis());
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                // the handler is surely blocked in readline once it has answered a first line,
                // so each later part reaches a waiting reader on its own
                out.write("sync\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("ok 1\n", TestNet.readLineString(in));
                StringBuilder big = new StringBuilder();
                for (int i = 0; i < 50_000; i++) {
                    big.append((char) ('a' + i % 26));
                }
                byte[] message = (big + "\n").getBytes(StandardCharsets.UTF_8);
                for (int off = 0; off < message.length; off += 1000) {
                    out.write(message, off, Math.min(1000, message.length - off));
                    out.flush();
                }
                assertEquals("ok 2\n", TestNet.readLineString(in));
            }
            serving.stop();
        }
        assertEquals(2, received.size());
        assertEquals(50_001, received.get(1).length(), "longer than the 8 KiB rfile buffer, still one line");
        errors.assertNone();
    }
}
