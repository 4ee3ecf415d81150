package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A stream server. Serves TCP over IPv4 or IPv6 (the
 * family follows the address: an IPv6 address gives an IPv6 socket), and, through
 * {@link UnixStreamServer}, AF_UNIX stream sockets.
 *
 * <p>The request is the accepted {@link SocketChannel}, in blocking mode. Python's defaults:
 * {@link #requestQueueSize()} 5, {@link #allowReuseAddress()} and {@link #allowReusePort()}
 * {@code false} — set explicitly, because the JDK turns {@code SO_REUSEADDR} on by default.
 *
 * <p>The constructor creates the socket and, with {@code bindAndActivate} (the default), calls
 * {@link #serverBind()} and {@link #serverActivate()}; if either fails the socket is closed and
 * the exception propagates (no descriptor leaks, Python issue 22435). Those two hooks, and the
 * getters they read, run before a subclass's constructor body: overrides must not read subclass
 * fields — or pass {@code bindAndActivate = false} and call them yourself, as in Python.
 *
 * <p>Threading: see {@link BaseServer}. Requests run synchronously on the serving thread unless
 * a {@link RequestProcessing} strategy says otherwise ({@link ThreadingTCPServer}).
 */
public class TCPServer extends BaseServer<SocketChannel> {

    /** The default of {@link #requestQueueSize()}: 5, as in Python. */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 5;

    private final ServerSocketChannel socket;
    private final SocketBinding binding;

    /** A synchronous server, bound and listening. */
    public TCPServer(SocketAddress serverAddress, RequestHandlerFactory<SocketChannel> handlerFactory)
            throws IOException {
        this(serverAddress, handlerFactory, RequestProcessing.synchronous(), true);
    }

    /** A synchronous server; with {@code bindAndActivate} false the socket is created but not bound. */
    public TCPServer(SocketAddress serverAddress, RequestHandlerFactory<SocketChannel> handlerFactory,
                     boolean bindAndActivate) throws IOException {
        this(serverAddress, handlerFactory, RequestProcessing.synchronous(), bindAndActivate);
    }

    /** A server that runs requests with {@code processing}, bound and listening. */
    public TCPServer(SocketAddress serverAddress, RequestHandlerFactory<SocketChannel> handlerFactory,
                     RequestProcessing processing) throws IOException {
        this(serverAddress, handlerFactory, processing, true);
    }

    /** The full constructor: Python's {@code TCPServer(server_address, RequestHandlerClass, bind_and_activate)}. */
    public TCPServer(SocketAddress serverAddress, RequestHandlerFactory<SocketChannel> handlerFactory,
                     RequestProcessing processing, boolean bindAndActivate) throws IOException {
        super(serverAddress, handlerFactory, processing);
        this.socket = ServerSocketChannel.open(addressFamily());
        this.binding = new SocketBinding(socket);
        try {
            socket.configureBlocking(false); // the request loop selects on it
            if (bindAndActivate) {
                serverBind();
                serverActivate();
            }
        } catch (IOException | RuntimeException | Error e) {
            serverClose();
            throw e;
        }
    }

    /**
     * The socket's address family: by default follows {@link #serverAddress()} (INET, INET6
     * for an IPv6 address, UNIX for a Unix-domain address). Called from the constructor.
     */
    public ProtocolFamily addressFamily() {
        return AddressFamilies.of(serverAddress());
    }

    /** The listen backlog, 5. */
    public int requestQueueSize() {
        return DEFAULT_REQUEST_QUEUE_SIZE;
    }

    /**
     * Whether to set {@code SO_REUSEADDR}; {@code false}. For AF_UNIX,
     * where that option does not exist, {@code true} removes a stale socket file before binding.
     */
    public boolean allowReuseAddress() {
        return false;
    }

    /** Whether to set {@code SO_REUSEPORT}; {@code false}. */
    public boolean allowReusePort() {
        return false;
    }

    /** The listening socket. */
    public ServerSocketChannel socket() {
        return socket;
    }

    @Override
    public ServerSocketChannel fileno() {
        return socket;
    }

    /**
     * Sets the reuse options, binds, and records the bound address.
     * The JDK binds and listens in one call, so the backlog ({@link #requestQueueSize()}) is
     * applied here rather than in {@link #serverActivate()}.
     */
    @Override
    public void serverBind() throws IOException {
        binding.beforeBind(addressFamily(), serverAddress(), allowReuseAddress(), allowReusePort());
        socket.bind(serverAddress(), requestQueueSize());
        binding.bound(addressFamily());
        setServerAddress(socket.getLocalAddress());
    }

    @Override
    public ReceivedRequest<SocketChannel> getRequest() throws IOException {
        SocketChannel connection = socket.accept();
        if (connection == null) {
            return null;
        }
        try {
            return new ReceivedRequest<>(connection, connection.getRemoteAddress());
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Half-closes the connection (sends FIN, so the client sees EOF), then closes it. A connection the client already dropped is not an error.
     */
    @Override
    public void shutdownRequest(SocketChannel request) {
        try {
            request.shutdownOutput();
        } catch (IOException e) {
            // ENOTCONN and friends: the client is gone already, as in Python.
        }
        closeRequest(request);
    }

    @Override
    public void closeRequest(SocketChannel request) {
        try {
            request.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }

    /**
     * Closes the listening socket (and removes an AF_UNIX socket file this server bound — Python
     * leaves it behind), then lets the strategy wait for running handlers. Idempotent.
     */
    @Override
    public void serverClose() {
        binding.close(serverAddress());
        super.serverClose();
    }
}
