package dev.loomchat.socketserver.fork;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * The little protocol between a forking server and its child JVMs, over an AF_UNIX stream
 * socket: length-prefixed frames, the request's socket riding along as SCM_RIGHTS ancillary data.
 *
 * <pre>
 * child  → parent  HELLO  token                       (which child this is)
 * parent → child   SETUP  handler class, factory?, server address, one-shot?
 * child  → parent  READY                              (handler class loaded: safe to hand over)
 * parent → child   JOB    kind, family, client address, packet   + the socket's descriptor
 * child  → parent  DONE   exit status of the request  (pool workers only; then the next JOB)
 * </pre>
 * A per-request child exits after its one job; a pool worker exits when the parent closes the
 * socket. Not thread-safe: each control socket is used by one thread at a time.
 */
final class Handoff {

    static final byte STREAM = 1;
    static final byte DATAGRAM = 2;

    private static final int MAX_FRAME = 1 << 20;
    private static final byte INET_ADDRESS = 1;
    private static final byte UNIX_ADDRESS = 2;

    private Handoff() {
    }

    record Setup(String handlerClass, boolean factoryClass, SocketAddress serverAddress, boolean oneShot) {
    }

    /** A request as the child receives it. */
    record Job(byte kind, ProtocolFamily family, SocketAddress clientAddress, byte[] packet, FileDescriptor socket) {
    }

    /** A received frame and the descriptors that came with it. */
    record Frame(byte[] payload, FileDescriptor[] descriptors) {
    }

    // ------------------------------------------------------------------ encoding

    static byte[] hello(String token) throws IOException {
        return encode(out -> out.writeUTF(token));
    }

    static byte[] setup(Setup setup) throws IOException {
        return encode(out -> {
            out.writeUTF(setup.handlerClass());
            out.writeBoolean(setup.factoryClass());
            writeAddress(out, setup.serverAddress());
            out.writeBoolean(setup.oneShot());
        });
    }

    static byte[] job(byte kind, ProtocolFamily family, SocketAddress clientAddress, byte[] packet) throws IOException {
        return encode(out -> {
            out.writeByte(kind);
            out.writeUTF(((StandardProtocolFamily) family).name());
            writeAddress(out, clientAddress);
            out.writeInt(packet.length);
            out.write(packet);
        });
    }

    static byte[] status(int status) throws IOException {
        return encode(out -> out.writeInt(status));
    }

    static String readHello(Frame frame) throws IOException {
        return in(frame).readUTF();
    }

    static Setup readSetup(Frame frame) throws IOException {
        DataInputStream in = in(frame);
        return new Setup(in.readUTF(), in.readBoolean(), readAddress(in), in.readBoolean());
    }

    static Job readJob(Frame frame) throws IOException {
        DataInputStream in = in(frame);
        byte kind = in.readByte();
        ProtocolFamily family = StandardProtocolFamily.valueOf(in.readUTF());
        SocketAddress client = readAddress(in);
        byte[] packet = in.readNBytes(in.readInt());
        if (frame.descriptors().length != 1) {
            throw new IOException("a job carries exactly one socket, got " + frame.descriptors().length);
        }
        return new Job(kind, family, client, packet, frame.descriptors()[0]);
    }

    static int readStatus(Frame frame) throws IOException {
        return in(frame).readInt();
    }

    // ------------------------------------------------------------------ framing

    /** Writes one frame, with {@code descriptor} (if not null) as SCM_RIGHTS on its first byte. */
    static void write(AFUNIXSocketChannel channel, byte[] payload, FileDescriptor descriptor) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        if (descriptor != null) {
            channel.setOutboundFileDescriptors(descriptor);
        }
        try {
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        } finally {
            if (descriptor != null) {
                channel.setOutboundFileDescriptors((FileDescriptor[]) null);
            }
        }
    }

    /**
     * Reads one frame and the descriptors that came with it (the receiving channel needs an
     * ancillary receive buffer), or returns {@code null} at end of stream before a frame.
     */
    static Frame read(AFUNIXSocketChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        FileDescriptor[] descriptors = new FileDescriptor[0];
        while (header.hasRemaining()) {
            if (channel.read(header) < 0) {
                if (header.position() == 0) {
                    return null;
                }
                throw new EOFException("control socket closed inside a frame");
            }
            FileDescriptor[] received = channel.getReceivedFileDescriptors();
            if (received != null && received.length > 0) {
                descriptors = received;
            }
        }
        int length = header.flip().getInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("bad frame length " + length);
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        while (payload.hasRemaining()) {
            if (channel.read(payload) < 0) {
                throw new EOFException("control socket closed inside a frame");
            }
        }
        return new Frame(payload.array(), descriptors);
    }

    // ------------------------------------------------------------------ details

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream in(Frame frame) {
        return new DataInputStream(new ByteArrayInputStream(frame.payload()));
    }

    private static void writeAddress(DataOutputStream out, SocketAddress address) throws IOException {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            out.writeByte(INET_ADDRESS);
            byte[] ip = inet.getAddress().getAddress();
            out.writeByte(ip.length);
            out.write(ip);
            out.writeInt(inet.getPort());
        } else if (address instanceof UnixDomainSocketAddress unix) {
            out.writeByte(UNIX_ADDRESS);
            out.writeUTF(unix.getPath().toString());
        } else {
            throw new IOException("cannot hand over a request from " + address);
        }
    }

    private static SocketAddress readAddress(DataInputStream in) throws IOException {
        byte type = in.readByte();
        if (type == INET_ADDRESS) {
            byte[] ip = in.readNBytes(in.readUnsignedByte());
            return new InetSocketAddress(InetAddress.getByAddress(ip), in.readInt());
        }
        if (type == UNIX_ADDRESS) {
            return UnixDomainSocketAddress.of(in.readUTF());
        }
        throw new IOException("unknown address type " + type);
    }
}
