package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's socket attributes and defaults: {@code allow_reuse_address} (off by default — the JDK
 * turns {@code SO_REUSEADDR} on for server sockets, so the server must turn it off),
 * {@code allow_reuse_port}, {@code request_queue_size}, {@code max_packet_size}, and what
 * {@code allowReuseAddress} means for a stale AF_UNIX socket file.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketOptionsTest {

    @TempDir
    Path dir;

    @Test
    void tcpServerLeavesSoReuseAddrOffByDefault() throws Exception {
        try (TCPServer server = new TCPServer(loopback(), EchoLineHandler::new)) {
            assertFalse(server.allowReuseAddress());
            assertFalse(server.allowReusePort());
            assertFalse(server.socket().getOption(StandardSocketOptions.SO_REUSEADDR),
                    "SO_REUSEADDR is off on the socket, as in Python (the JDK's default is on)");
        }
    }

    /**
     * Binds an unbound server to a port chosen by the kernel. With SO_REUSEADDR or SO_REUSEPORT on,
     * Linux may pick a port that then clashes with a busy one: a bind to port 0 failed with
     * "Address already in use" here, on a busy box, with the JDK's default SO_REUSEADDR left on.
     * So a failed bind is retried on a new port.
     */
    private static <S extends TCPServer> S bindToSomePort(S unbound) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                unbound.serverBind();
                unbound.serverActivate();
                return unbound;
            } catch (BindException e) {
                if (attempt == 10) {
                    unbound.serverClose();
                    throw e;
                }
            }
        }
    }

    @Test
    void tcpServerSetsSoReuseAddrWhenAllowed() throws Exception {
        try (TCPServer server = bindToSomePort(new TCPServer(loopback(), EchoLineHandler::new, false) {
            @Override
            public boolean allowReuseAddress() {
                return true;
            }
        })) {
            assertTrue(server.socket().getOption(StandardSocketOptions.SO_REUSEADDR));
            assertTrue(((java.net.InetSocketAddress) server.serverAddress()).getPort() > 0);
        }
    }

    @Test
    void tcpServerSetsSoReusePortWhenAllowed() throws Exception {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            Assumptions.assumeTrue(probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT),
                    "SO_REUSEPORT supported here");
        }
        try (TCPServer server = bindToSomePort(new TCPServer(loopback(), EchoLineHandler::new, false) {
            @Override
            public boolean allowReusePort() {
                return true;
            }
        })) {
            assertTrue(server.socket().getOption(StandardSocketOptions.SO_REUSEPORT));
            // and a second server may bind the very same port
            try (TCPServer twin = new TCPServer(server.serverAddress(), EchoLineHandler::new) {
                @Override
                public boolean allowReusePort() {
                    return true;
                }
            }) {
                assertEquals(server.serverAddress(), twin.serverAddress());
            }
        }
    }

    @Test
    void udpServerLeavesSoReuseAddrOffByDefault() throws Exception {
        try (UDPServer server = new UDPServer(loopback(), EchoDatagramHandler::new)) {
            assertFalse(server.allowReuseAddress());
            assertFalse(server.socket().getOption(StandardSocketOptions.SO_REUSEADDR));
        }
    }

    @Test
    void udpServerSetsSoReuseAddrWhenAllowed() throws Exception {
        try (UDPServer server = new UDPServer(loopback(), EchoDatagramHandler::new) {
            @Override
            public boolean allowReuseAddress() {
                return true;
            }
        }) {
            assertTrue(server.socket().getOption(StandardSocketOptions.SO_REUSEADDR));
        }
    }

    @Test
    void pythonsQueueAndPacketSizes() throws Exception {
        try (TCPServer tcp = new TCPServer(loopback(), EchoLineHandler::new);
             UDPServer udp = new UDPServer(loopback(), EchoDatagramHandler::new)) {
            assertEquals(5, tcp.requestQueueSize());
            assertEquals(8192, udp.maxPacketSize());
            assertEquals(null, tcp.timeout(), "BaseServer.timeout is None");
            assertEquals(null, udp.timeout());
        }
    }

    @Test
    void serverAddressIsTheBoundAddressWithPortZeroResolved() throws Exception {
        try (TCPServer tcp = new TCPServer(loopback(), EchoLineHandler::new);
             UDPServer udp = new UDPServer(loopback(), EchoDatagramHandler::new)) {
            assertEquals(tcp.socket().getLocalAddress(), tcp.serverAddress());
            assertEquals(udp.socket().getLocalAddress(), udp.serverAddress());
            assertTrue(((java.net.InetSocketAddress) tcp.serverAddress()).getPort() > 0);
            assertTrue(((java.net.InetSocketAddress) udp.serverAddress()).getPort() > 0);
        }
    }

    /** A socket file left behind by a server that died (the JDK does not remove it on close). */
    private static Path staleSocketFile(Path path) throws IOException {
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.readAttributes(path, BasicFileAttributes.class).isOther(), "a socket file is left");
        return path;
    }

    @Test
    void aStaleUnixSocketFileMakesTheConstructorFail() throws Exception {
        Path path = staleSocketFile(dir.resolve("stale.sock"));
        assertThrows(BindException.class, () -> new UnixStreamServer(path, EchoLineHandler::new).close());
        assertTrue(Files.exists(path), "a server that did not bind the file leaves it alone");
    }

    @Test
    void allowReuseAddressReplacesAStaleUnixSocketFile() throws Exception {
        Path path = staleSocketFile(dir.resolve("stale.sock"));
        try (UnixStreamServer server = new UnixStreamServer(path, EchoLineHandler::new) {
            @Override
            public boolean allowReuseAddress() {
                return true;
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            TestNet.streamExamine(server.serverAddress());
            serving.stop();
        }
        assertFalse(Files.exists(path), "removed by serverClose");
    }

    @Test
    void allowReuseAddressNeverDeletesARegularFile() throws Exception {
        Path path = Files.writeString(dir.resolve("not-a-socket"), "precious");
        assertThrows(IOException.class, () -> new UnixStreamServer(path, EchoLineHandler::new) {
            @Override
            public boolean allowReuseAddress() {
                return true;
            }
        }.close());
        assertEquals("precious", Files.readString(path));
    }

    @Test
    void aUnixServerBindsToItsPathAndReportsIt() throws Exception {
        Path path = dir.resolve("bound.sock");
        try (UnixStreamServer server = new UnixStreamServer(path, EchoLineHandler::new)) {
            assertEquals(StandardProtocolFamily.UNIX, server.addressFamily());
            assertEquals(UnixDomainSocketAddress.of(path), server.serverAddress());
            assertTrue(Files.exists(path));
            try (SocketChannel client = SocketChannel.open(server.serverAddress())) {
                assertTrue(client.isConnected());
            }
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void aRepeatedServerCloseLeavesTheSocketFileOfANewerServerAlone() throws Exception {
        Path path = dir.resolve("reused.sock");
        UnixStreamServer first = new UnixStreamServer(path, EchoLineHandler::new);
        first.serverClose();
        assertFalse(Files.exists(path));
        try (UnixStreamServer second = new UnixStreamServer(path, EchoLineHandler::new);
             BackgroundServing serving = BackgroundServing.start(second)) {
            first.close(); // closing the old server again, e.g. try-with-resources after serverClose()
            assertTrue(Files.exists(path), "the newer server's socket file is still there");
            TestNet.streamExamine(UnixDomainSocketAddress.of(path));
            serving.stop();
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void addressFamilyFollowsTheAddress() throws Exception {
        try (TCPServer tcp = new TCPServer(loopback(), EchoLineHandler::new)) {
            assertEquals(StandardProtocolFamily.INET, tcp.addressFamily());
        }
    }
}
