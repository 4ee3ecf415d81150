package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * What the AF_UNIX datagram servers need from junixsocket's native library, and the platform
 * check that makes them fail at construction, with a message that says why, where it is missing.
 */
final class NativeUnixSockets {

    private NativeUnixSockets() {
    }

    private static String platform() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }

    /** @throws UnsupportedOperationException unless AF_UNIX datagram sockets work here */
    static void requireDatagrams() {
        if (!AFUNIXSocket.isSupported() || !AFSocket.supports(AFSocketCapability.CAPABILITY_UNIX_DATAGRAMS)) {
            throw new UnsupportedOperationException("AF_UNIX datagram sockets are not supported on " + platform()
                    + ": the JDK has none, and junixsocket's native library (which provides them) is not"
                    + " available for this platform");
        }
    }

    /**
     * Whether a server receives on the AF_UNIX datagram socket at {@code path}: connecting to a
     * datagram socket succeeds only while one is bound there ({@code ECONNREFUSED} for a stale file).
     */
    static boolean datagramSocketIsLive(Path path) throws IOException {
        try (AFUNIXDatagramChannel probe = AFUNIXDatagramChannel.open()) {
            probe.connect(AFUNIXSocketAddress.of(path));
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    /** junixsocket's address of a bound AF_UNIX peer as the JDK's; other addresses unchanged. */
    static SocketAddress toUnixDomainAddress(SocketAddress address) {
        if (address instanceof AFUNIXSocketAddress unix && unix.hasFilename()) {
            return UnixDomainSocketAddress.of(unix.getPath());
        }
        return address;
    }
}
