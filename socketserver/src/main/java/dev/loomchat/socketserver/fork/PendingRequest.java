package dev.loomchat.socketserver.fork;

import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.DatagramRequest;
import dev.loomchat.socketserver.TCPServer;
import dev.loomchat.socketserver.UDPServer;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * A request on its way to a child JVM: the JOB frame and the socket's descriptor, and what the
 * parent does with its own copy. {@link #handOver} is Python's parent branch after
 * {@code fork()}: the child has the socket now, so the parent only closes its copy
 * ({@code close_request}, never {@code shutdown_request}, which would end the child's
 * connection). {@link #abandon} is for a request no child took: the parent ends it.
 */
final class PendingRequest<R> {

    private final BaseServer<R> server;
    private final R request;
    private final SocketAddress clientAddress;
    private final byte[] jobFrame;
    private final FileDescriptor descriptor;

    private PendingRequest(BaseServer<R> server, R request, SocketAddress clientAddress, byte[] jobFrame,
                           FileDescriptor descriptor) {
        this.server = server;
        this.request = request;
        this.clientAddress = clientAddress;
        this.jobFrame = jobFrame;
        this.descriptor = descriptor;
    }

    static <R> PendingRequest<R> of(BaseServer<R> server, R request, SocketAddress clientAddress) throws IOException {
        if (request instanceof SocketChannel connection && server instanceof TCPServer tcp) {
            return new PendingRequest<>(server, request, clientAddress,
                    Handoff.job(Handoff.STREAM, tcp.addressFamily(), clientAddress, new byte[0]),
                    ChannelDescriptors.of(connection));
        }
        if (request instanceof DatagramRequest datagram && server instanceof UDPServer udp) {
            ProtocolFamily family = udp.addressFamily();
            return new PendingRequest<>(server, request, clientAddress,
                    Handoff.job(Handoff.DATAGRAM, family, clientAddress, datagram.packet()),
                    ChannelDescriptors.of(datagram.socket()));
        }
        throw new IllegalArgumentException("forking serves the requests of TCPServer and UDPServer (and their"
                + " subclasses), not a " + request.getClass().getName() + " of " + server.getClass().getName());
    }

    SocketAddress clientAddress() {
        return clientAddress;
    }

    /** Sends the job and the socket to the child, then closes the parent's copy. */
    void handOver(AFUNIXSocketChannel control) throws IOException {
        Handoff.write(control, jobFrame, descriptor);
        server.closeRequest(request);
    }

    /** Ends a request no child took: Python's {@code shutdown_request}. */
    void abandon() {
        server.shutdownRequest(request);
    }
}
