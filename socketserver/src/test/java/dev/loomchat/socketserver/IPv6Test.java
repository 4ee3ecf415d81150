package dev.loomchat.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP and UDP servers over IPv6 ({@code ::1}): the address family follows the address. Skipped
 * (not failed) where the machine has no IPv6 loopback.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IPv6Test {

    private final HandlerErrors errors = new HandlerErrors();
    private InetSocketAddress ipv6Loopback;

    @BeforeEach
    void requireIpv6Loopback() throws IOException {
        InetAddress loopback = InetAddress.getByName("::1");
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.INET6);
             DatagramChannel udpProbe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(loopback, 0));
            udpProbe.bind(new InetSocketAddress(loopback, 0));
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
        }
        ipv6Loopback = new InetSocketAddress(loopback, 0);
    }

    @Test
    void tcpServerServesOverIpv6() throws Exception {
        try (TCPServer server = new TCPServer(ipv6Loopback, EchoLineHandler::new) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            assertEquals(StandardProtocolFamily.INET6, server.addressFamily());
            assertInstanceOf(Inet6Address.class, ((InetSocketAddress) server.serverAddress()).getAddress());
            TestNet.streamExamine(server.serverAddress());
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void threadingTcpServerServesOverIpv6() throws Exception {
        try (ThreadingTCPServer server = new ThreadingTCPServer(ipv6Loopback, EchoLineHandler::new) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            for (int i = 0; i < 3; i++) {
                TestNet.streamExamine(server.serverAddress());
            }
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void udpServerServesOverIpv6() throws Exception {
        try (UDPServer server = new UDPServer(ipv6Loopback, EchoDatagramHandler::new) {
            @Override
            public void handleError(DatagramRequest request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            assertEquals(StandardProtocolFamily.INET6, server.addressFamily());
            assertInstanceOf(Inet6Address.class, ((InetSocketAddress) server.serverAddress()).getAddress());
            TestNet.dgramExamine(server.serverAddress());
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void threadingUdpServerServesOverIpv6() throws Exception {
        try (ThreadingUDPServer server = new ThreadingUDPServer(ipv6Loopback, EchoDatagramHandler::new) {
            @Override
            public void handleError(DatagramRequest request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            for (int i = 0; i < 3; i++) {
                TestNet.dgramExamine(server.serverAddress());
            }
            serving.stop();
        }
        errors.assertNone();
    }
}
