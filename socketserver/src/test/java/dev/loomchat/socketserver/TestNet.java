package dev.loomchat.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Client-side helpers for the socketserver tests: loopback addresses and Python's
 * {@code stream_examine}/{@code dgram_examine}.
 *
 * <p>Reads have no timeout of their own: every test class carries a JUnit {@code @Timeout}, whose
 * interrupt closes a blocked {@link SocketChannel} and fails the test instead of hanging it.
 */
final class TestNet {

    /** An upper bound for anything a test waits for; generous, the CI box is a busy 2-core machine. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Python's {@code poll_interval=0.01} in {@code run_server}. */
    static final Duration POLL = Duration.ofMillis(10);

    static final byte[] TEST_STR = "hello world\n".getBytes(StandardCharsets.UTF_8);

    private TestNet() {
    }

    /** 127.0.0.1, port 0. */
    static InetSocketAddress loopback() {
        try {
            return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A connected blocking client channel: TCP or AF_UNIX, whichever {@code address} is. */
    static SocketChannel connect(SocketAddress address) throws IOException {
        return SocketChannel.open(address);
    }

    /** Bytes up to and including the first {@code '\n'}, or up to EOF. */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }

    static String readLineString(InputStream in) throws IOException {
        return new String(readLine(in), StandardCharsets.UTF_8);
    }

    /** Everything until EOF. */
    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** Python's {@code stream_examine}: send a line, expect it echoed. */
    static void streamExamine(SocketAddress address) throws IOException {
        try (SocketChannel channel = connect(address)) {
            OutputStream out = Channels.newOutputStream(channel);
            InputStream in = Channels.newInputStream(channel);
            out.write(TEST_STR);
            byte[] answer = readLine(in);
            assertEquals(new String(TEST_STR, StandardCharsets.UTF_8), new String(answer, StandardCharsets.UTF_8));
        }
    }

    /** Python's {@code dgram_examine}: send a datagram, expect it echoed. */
    static void dgramExamine(SocketAddress address) throws IOException {
        InetSocketAddress server = (InetSocketAddress) address;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            socket.send(new DatagramPacket(TEST_STR, TEST_STR.length, server));
            byte[] buffer = new byte[8192];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            assertEquals(new String(TEST_STR, StandardCharsets.UTF_8),
                    new String(Arrays.copyOf(buffer, reply.getLength()), StandardCharsets.UTF_8));
        }
    }

    /**
     * Python's {@code dgram_examine} for AF_UNIX: a client bound to its own path beside the
     * server's (an unbound client could not be answered) sends a datagram and expects it echoed.
     */
    static void unixDgramExamine(SocketAddress address) throws IOException {
        Path server = ((UnixDomainSocketAddress) address).getPath();
        Path clientPath = server.resolveSibling("client-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        try (AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open()) {
            client.bind(AFUNIXSocketAddress.of(clientPath));
            client.send(ByteBuffer.wrap(TEST_STR), AFUNIXSocketAddress.of(server));
            ByteBuffer reply = ByteBuffer.allocate(8192);
            client.receive(reply);
            assertEquals(new String(TEST_STR, StandardCharsets.UTF_8),
                    new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(clientPath);
        }
    }

    /** Number of open file descriptors of this process (Linux). */
    static int openFileDescriptors() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    /** The java executable of this JVM: what forking servers start their children with. */
    static String javaCommand() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    /** Whether {@code thread} is blocked in a selector's wait (seen in its stack). */
    static boolean isWaitingOnASelector(Thread thread) {
        return java.util.Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().endsWith("SelectorImpl") && f.getMethodName().contains("select"));
    }
}
