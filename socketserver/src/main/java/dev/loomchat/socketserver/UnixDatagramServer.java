package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.BindException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A {@link UDPServer} on an AF_UNIX datagram
 * socket at a file-system path.
 *
 * <p>The JDK has AF_UNIX stream sockets only ({@code DatagramChannel.open(UNIX)} throws), so the
 * socket is junixsocket's {@link AFUNIXDatagramChannel}, a {@link DatagramChannel} over the
 * native socket. Everything else is {@link UDPServer}'s: each datagram is a
 * {@link DatagramRequest}, and {@link DatagramRequestHandler} replies to the client's bound path
 * unchanged. Client addresses are {@link UnixDomainSocketAddress}es, as for
 * {@link UnixStreamServer}; a client that sent from an unbound socket has the empty path (Python's
 * {@code ''}) and cannot be answered.
 *
 * <h2>The socket file</h2>
 * {@link #serverClose()} removes the socket file the server bound (Python leaves it behind).
 * A file already at the path makes the constructor fail with a {@link BindException} naming the
 * path, as Python's {@code EADDRINUSE} does — junixsocket alone would silently take the path
 * over, even from a running server. With {@link #allowReuseAddress()} {@code true} a stale socket
 * file (one no server receives on any more: a datagram socket can be connected to only while it
 * is bound) is removed first; a live server's path is still refused.
 *
 * <p>Constructing one fails at once with an {@link UnsupportedOperationException} where
 * junixsocket's native library does not support AF_UNIX datagrams on this platform.
 */
public class UnixDatagramServer extends UDPServer {

    /** A synchronous server bound to {@code path}. */
    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(path, handlerFactory, RequestProcessing.synchronous(), true);
    }

    /** A server bound to {@code path} that runs requests with {@code processing}. */
    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory,
                              RequestProcessing processing) throws IOException {
        this(path, handlerFactory, processing, true);
    }

    /** The full constructor; see {@link TCPServer}. */
    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory,
                              RequestProcessing processing, boolean bindAndActivate) throws IOException {
        super(UnixDomainSocketAddress.of(path), handlerFactory, processing, bindAndActivate);
    }

    /** Always {@code UNIX}. */
    @Override
    public ProtocolFamily addressFamily() {
        return StandardProtocolFamily.UNIX;
    }

    /** The socket file's path. */
    public Path path() {
        return ((UnixDomainSocketAddress) serverAddress()).getPath();
    }

    /**
     * Opens junixsocket's AF_UNIX datagram channel.
     *
     * @throws UnsupportedOperationException where junixsocket has no native support for AF_UNIX
     *                                       datagrams on this platform
     */
    @Override
    protected DatagramChannel openSocket(ProtocolFamily family) throws IOException {
        NativeUnixSockets.requireDatagrams();
        return AFUNIXDatagramChannel.open();
    }

    /**
     * Refuses a path that is taken (see the class comment), then binds as {@link UDPServer} does
     * (which removes a stale socket file first when {@link #allowReuseAddress()} is on).
     */
    @Override
    public void serverBind() throws IOException {
        Path path = path();
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!allowReuseAddress()) {
                throw new BindException("Address already in use: " + path + " exists (a running server's socket,"
                        + " or a stale one left by a server that crashed: delete it, or override allowReuseAddress()"
                        + " to have stale socket files removed at start-up)");
            }
            if (NativeUnixSockets.datagramSocketIsLive(path)) {
                throw new BindException("Address already in use: a server is receiving on " + path);
            }
        }
        super.serverBind();
    }

    @Override
    protected SocketAddress boundAddress() {
        return UnixDomainSocketAddress.of(path());
    }

    /**
     * junixsocket reports a sender as an {@code AFUNIXSocketAddress}, and an unbound sender as
     * {@code null} even though a datagram was read; both become {@link UnixDomainSocketAddress}es
     * here (the empty path for an unbound sender, as Python's {@code ''}).
     */
    @Override
    protected SocketAddress receive(ByteBuffer buffer) throws IOException {
        int before = buffer.position();
        SocketAddress sender = socket().receive(buffer);
        if (sender == null) {
            return buffer.position() > before ? UnixDomainSocketAddress.of("") : null;
        }
        return NativeUnixSockets.toUnixDomainAddress(sender);
    }
}
