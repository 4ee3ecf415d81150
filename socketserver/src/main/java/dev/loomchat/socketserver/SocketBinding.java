package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The socket plumbing {@link TCPServer} and {@link UDPServer} share (Python shares it by
 * inheritance): the reuse options before bind, and closing with removal of an AF_UNIX socket
 * file the server bound. Thread-safe: {@link #close} may race with itself.
 */
final class SocketBinding {

    private final NetworkChannel socket;
    // Set once bound to a Unix path; only the first close removes the file, so a repeated
    // close cannot delete the file of a newer server bound to the same path.
    private final AtomicBoolean boundUnixFile = new AtomicBoolean();
    private final ReentrantLock closeLock = new ReentrantLock();

    SocketBinding(NetworkChannel socket) {
        this.socket = socket;
    }

    /**
     * Applies {@code allowReuseAddress()}/{@code allowReusePort()} before binding: the
     * socket options for IP (set explicitly: the JDK turns SO_REUSEADDR on by default), removal of
     * a stale socket file for AF_UNIX, where the options do not exist.
     */
    void beforeBind(ProtocolFamily family, SocketAddress address, boolean reuseAddress, boolean reusePort)
            throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            if (reuseAddress) {
                UnixSocketFiles.removeStale(address);
            }
        } else {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
            if (reusePort) {
                socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
        }
    }

    /** Records a successful bind. */
    void bound(ProtocolFamily family) {
        boundUnixFile.set(family == StandardProtocolFamily.UNIX);
    }

    /**
     * Closes the socket and removes the socket file it bound, if any. Idempotent; a caller racing
     * another close returns only once the file is gone: Ctrl-C closes the server from a shutdown
     * hook while the serving thread closes it too, and the JVM halts as soon as the hook returns.
     */
    void close(SocketAddress address) {
        closeLock.lock();
        try {
            try {
                socket.close();
            } catch (IOException e) {
                // The socket is released even when close reports an error.
            }
            if (boundUnixFile.getAndSet(false)) {
                UnixSocketFiles.removeBound(address);
            }
        } finally {
            closeLock.unlock();
        }
    }
}
