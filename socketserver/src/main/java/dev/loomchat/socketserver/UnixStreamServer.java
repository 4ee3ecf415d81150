package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link TCPServer} on an AF_UNIX stream
 * socket at a file-system path, through the JDK's own Unix-domain channels.
 *
 * <p>Differences from Python, both on the user's side: {@link #serverClose()} removes the socket
 * file the server created, and {@link #allowReuseAddress()} {@code true} removes a stale socket
 * file left by a crashed server before binding (by default a leftover file makes the constructor
 * fail with "Address already in use", as in Python).
 */
public class UnixStreamServer extends TCPServer {

    /** A synchronous server bound to {@code path}. */
    public UnixStreamServer(Path path, RequestHandlerFactory<SocketChannel> handlerFactory) throws IOException {
        this(path, handlerFactory, RequestProcessing.synchronous(), true);
    }

    /** A server bound to {@code path} that runs requests with {@code processing}. */
    public UnixStreamServer(Path path, RequestHandlerFactory<SocketChannel> handlerFactory,
                            RequestProcessing processing) throws IOException {
        this(path, handlerFactory, processing, true);
    }

    /** The full constructor; see {@link TCPServer}. */
    public UnixStreamServer(Path path, RequestHandlerFactory<SocketChannel> handlerFactory,
                            RequestProcessing processing, boolean bindAndActivate) throws IOException {
        super(UnixDomainSocketAddress.of(path), handlerFactory, processing, bindAndActivate);
    }

    /** Always {@code UNIX}. */
    @Override
    public ProtocolFamily addressFamily() {
        return StandardProtocolFamily.UNIX;
    }
}
