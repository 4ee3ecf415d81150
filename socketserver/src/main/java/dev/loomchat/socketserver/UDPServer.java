package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * A datagram server over IPv4 or IPv6.
 *
 * <p>Each received datagram is one request, a {@link DatagramRequest} of the packet (at most
 * {@link #maxPacketSize()}, 8192; longer datagrams are truncated, as in Python) and the shared
 * server socket. There is no connection to close: {@link #shutdownRequest} and
 * {@link #closeRequest} do nothing.
 *
 * <p>In Python {@code UDPServer} extends {@code TCPServer} to reuse its socket plumbing; in Java
 * the two sockets are different channel types, so it extends {@link BaseServer} directly. The
 * constructors, hooks and defaults are Python's ({@link #allowReuseAddress()} {@code false}).
 * The socket is opened by {@link #openSocket}, which {@link UnixDatagramServer} overrides.
 */
public class UDPServer extends BaseServer<DatagramRequest> {

    /** The default of {@link #maxPacketSize()}: 8192, as in Python. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 8192;

    private final DatagramChannel socket;
    private ByteBuffer receiveBuffer; // used only by the serving thread
    private final SocketBinding binding;

    /** A synchronous server, bound. */
    public UDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory)
            throws IOException {
        this(serverAddress, handlerFactory, RequestProcessing.synchronous(), true);
    }

    /** A synchronous server; with {@code bindAndActivate} false the socket is created but not bound. */
    public UDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory,
                     boolean bindAndActivate) throws IOException {
        this(serverAddress, handlerFactory, RequestProcessing.synchronous(), bindAndActivate);
    }

    /** A server that runs requests with {@code processing}, bound. */
    public UDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory,
                     RequestProcessing processing) throws IOException {
        this(serverAddress, handlerFactory, processing, true);
    }

    /** The full constructor; see {@link TCPServer} for what runs in it. */
    public UDPServer(SocketAddress serverAddress, RequestHandlerFactory<DatagramRequest> handlerFactory,
                     RequestProcessing processing, boolean bindAndActivate) throws IOException {
        super(serverAddress, handlerFactory, processing);
        this.socket = openSocket(addressFamily());
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

    /** Opens the unbound socket of {@code family}; called from the constructor. */
    protected DatagramChannel openSocket(ProtocolFamily family) throws IOException {
        return DatagramChannel.open(family);
    }

    /** The socket's address family: follows {@link #serverAddress()}, as in {@link TCPServer}. */
    public ProtocolFamily addressFamily() {
        return AddressFamilies.of(serverAddress());
    }

    /** The longest datagram received in full, 8192; longer ones are truncated. */
    public int maxPacketSize() {
        return DEFAULT_MAX_PACKET_SIZE;
    }

    /** Whether to set {@code SO_REUSEADDR}; {@code false}. */
    public boolean allowReuseAddress() {
        return false;
    }

    /** Whether to set {@code SO_REUSEPORT}; {@code false}. */
    public boolean allowReusePort() {
        return false;
    }

    /** The server socket. */
    public DatagramChannel socket() {
        return socket;
    }

    @Override
    public DatagramChannel fileno() {
        return socket;
    }

    /** Sets the reuse options, binds, and records the bound address. */
    @Override
    public void serverBind() throws IOException {
        binding.beforeBind(addressFamily(), serverAddress(), allowReuseAddress(), allowReusePort());
        socket.bind(serverAddress());
        binding.bound(addressFamily());
        setServerAddress(boundAddress());
    }

    /** The address the socket is bound to, as {@link #serverAddress()} reports it; called by {@code serverBind}. */
    protected SocketAddress boundAddress() throws IOException {
        return socket.getLocalAddress();
    }

    /**
     * Receives one datagram into {@code buffer}: the sender's address, or {@code null} when no
     * datagram was waiting. {@link UnixDatagramServer} overrides it to report AF_UNIX senders
     * as {@link java.net.UnixDomainSocketAddress}es.
     */
    protected SocketAddress receive(ByteBuffer buffer) throws IOException {
        return socket.receive(buffer);
    }

    /** Receives one datagram of at most {@link #maxPacketSize()} bytes. */
    @Override
    public ReceivedRequest<DatagramRequest> getRequest() throws IOException {
        if (receiveBuffer == null || receiveBuffer.capacity() != maxPacketSize()) {
            receiveBuffer = ByteBuffer.allocate(maxPacketSize());
        }
        receiveBuffer.clear();
        SocketAddress client = receive(receiveBuffer);
        if (client == null) {
            return null;
        }
        byte[] packet = Arrays.copyOf(receiveBuffer.array(), receiveBuffer.position());
        return new ReceivedRequest<>(new DatagramRequest(packet, socket), client);
    }

    /** Nothing to shut down for a datagram: calls {@link #closeRequest}. */
    @Override
    public void shutdownRequest(DatagramRequest request) {
        closeRequest(request);
    }

    /** A no-op: the socket is shared by every request and must stay open. */
    @Override
    public void closeRequest(DatagramRequest request) {
    }

    /** Closes the socket (and removes an AF_UNIX socket file this server bound). Idempotent. */
    @Override
    public void serverClose() {
        binding.close(serverAddress());
        super.serverClose();
    }
}
