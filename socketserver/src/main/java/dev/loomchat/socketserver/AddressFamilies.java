package dev.loomchat.socketserver;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;

/** The address family a server address calls for: {@code addressFamily()}'s default. */
final class AddressFamilies {

    private AddressFamilies() {
    }

    static ProtocolFamily of(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        if (address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address) {
            return StandardProtocolFamily.INET6;
        }
        return StandardProtocolFamily.INET;
    }
}
