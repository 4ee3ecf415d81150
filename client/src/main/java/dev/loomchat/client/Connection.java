package dev.loomchat.client;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.FrameWriter;
import dev.loomchat.protocol.Limits;
import dev.loomchat.protocol.Line;
import dev.loomchat.protocol.LineReader;
import dev.loomchat.protocol.ProtocolError;
import dev.loomchat.protocol.Protocol;
import dev.loomchat.protocol.ServerMessage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to a chat server, over TCP or a Unix socket: a reader thread that decodes
 * server frames and hands them to a {@link Listener}, a {@link FrameWriter} for requests, and a
 * {@link Keepalive} thread that pings a silent server and closes the connection when it does
 * not answer.
 *
 * <p>Requests are matched to replies by {@code ref} (a counter): {@link #request} returns a
 * future completed by the request's <em>final</em> reply (PROTOCOL.md section 3: the
 * {@code welcome}, {@code history} trailer of a join, own {@code message} copy, {@code error},
 * ...), after the listener has seen it, or failed with {@link ConnectionLostException} if the
 * connection ends first. Requests are paced to the server's announced rate ({@link RequestPacer}).
 *
 * <p>Threading: {@link #request}, {@link #send} and {@link #close} are safe from any thread;
 * writes are serialised by a {@link ReentrantLock} (not {@code synchronized}: a virtual thread
 * blocked in a socket write must not pin its carrier). The listener runs on the reader thread,
 * one frame at a time, in arrival order.
 */
final class Connection implements AutoCloseable {

    /** Receives what the reader thread reads. */
    interface Listener {
        /** A decoded frame; {@code raw} is its JSON text as received. */
        void frame(Connection connection, ServerMessage frame, String raw);

        /** A line that could not be decoded (the stream stays in sync). */
        void badFrame(Connection connection, ProtocolError error);

        /** The connection ended: end of stream, an I/O error, or {@link #close()}. Called once. */
        void closed(Connection connection, String reason);
    }

    /** The connection ended before a request got its final reply. */
    static final class ConnectionLostException extends IOException {
        ConnectionLostException(String message) {
            super(message);
        }
    }

    /** An open byte stream to the server, whichever the transport. */
    private record Link(InputStream in, OutputStream out, Closeable handle) {
    }

    private final ServerAddress address;
    private final Link link;
    private final FrameWriter writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Listener listener;
    private final Map<String, CompletableFuture<ServerMessage>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong pings = new AtomicLong();
    private final Thread reader;
    private final Thread keepalive;
    private volatile RequestPacer pacer = RequestPacer.unlimited();
    private volatile boolean welcomed;
    private volatile ServerMessage.Error refusal;
    private volatile long lastReceivedNanos = System.nanoTime();
    /** A keepalive ping awaits its answer: the reader wakes the keepalive thread at the next line. */
    private volatile boolean pingOutstanding;
    private volatile String closeReason;

    private Connection(ServerAddress address, Link link, Keepalive schedule, Listener listener) {
        this.address = address;
        this.link = link;
        this.listener = listener;
        this.writer = new FrameWriter(link.out());
        this.reader = Thread.ofVirtual().name("loomchat-reader-" + address).unstarted(this::readLoop);
        this.keepalive = Thread.ofVirtual().name("loomchat-keepalive-" + address)
                .unstarted(() -> schedule.watch(new KeepaliveLine()));
    }

    /**
     * Connects to {@code address} and starts reading (and watching with {@code keepalive}).
     *
     * @throws IOException if the connection cannot be made; the message is one line for the user
     */
    static Connection open(ServerAddress address, Duration timeout, Keepalive keepalive, Listener listener)
            throws IOException {
        return open(address, null, timeout, keepalive, listener);
    }

    /**
     * As {@link #open(ServerAddress, Duration, Keepalive, Listener)}, over TLS when {@code tls} is
     * given and the address is a TCP one (a Unix socket is local: no TLS there).
     */
    static Connection open(ServerAddress address, ClientTls tls, Duration timeout, Keepalive keepalive,
                           Listener listener) throws IOException {
        Link link = switch (address) {
            case HostPort hostPort -> tcp(hostPort, tls, timeout);
            case UnixPath unix -> unix(unix);
        };
        var connection = new Connection(address, link, keepalive, listener);
        connection.reader.start();
        connection.keepalive.start();
        return connection;
    }

    private static Link tcp(HostPort address, ClientTls tls, Duration timeout) throws IOException {
        var resolved = new InetSocketAddress(address.host(), address.port());
        if (resolved.isUnresolved()) {
            throw new UnknownHostException("unknown host");
        }
        var socket = new Socket();
        try {
            socket.connect(resolved, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            socket.setTcpNoDelay(true);
            if (tls != null) {
                return secured(socket, address, tls, timeout);
            }
            return new Link(socket.getInputStream(), socket.getOutputStream(), socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Link secured(Socket plain, HostPort address, ClientTls tls, Duration timeout) throws IOException {
        javax.net.ssl.SSLSocket socket;
        try {
            socket = tls.handshake(plain, address.host(), address.port(), timeout);
        } catch (IOException e) {
            String explained = ClientTls.explain(e, address.toString(), timeout);
            throw explained == null ? e : new IOException(explained, e);
        }
        return new Link(socket.getInputStream(), socket.getOutputStream(), socket);
    }

    /** A Unix stream socket through the JDK's own AF_UNIX channels (a connect there does not hang). */
    private static Link unix(UnixPath address) throws IOException {
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(address.path()));
            // Since JDK 19 these streams allow a read and a write at the same time (JDK-8279339).
            return new Link(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    ServerAddress address() {
        return address;
    }

    /** The server said {@code welcome} with these limits: later requests are paced to its {@code msgRate}. */
    void welcomed(Limits limits) {
        this.pacer = new RequestPacer(limits.msgRate(), limits.msgBurst(), System::nanoTime);
        this.welcomed = true;
    }

    /** Whether a {@code welcome} arrived on this connection. */
    boolean isWelcomed() {
        return welcomed;
    }

    /** Records an error the server sent unasked before any welcome ({@code server_full}): why it will close. */
    void refused(ServerMessage.Error error) {
        this.refusal = error;
    }

    /** The error recorded by {@link #refused}, or null. */
    ServerMessage.Error refusal() {
        return refusal;
    }

    /**
     * Sends {@code request} (which must carry a ref, unique among this connection's pending requests) and returns the
     * future of its final reply. Waits first if the server's rate limit requires it.
     *
     * @throws IOException if it could not be written (the connection is then closed)
     */
    CompletableFuture<ServerMessage> request(ClientMessage request) throws IOException, InterruptedException {
        String ref = request.ref();
        if (ref == null) {
            throw new IllegalArgumentException("a request needs a ref: " + request);
        }
        var reply = new CompletableFuture<ServerMessage>();
        pending.put(ref, reply);
        try {
            pacer.acquire();
            write(request);
        } catch (IOException | InterruptedException | RuntimeException e) {
            pending.remove(ref);
            throw e;
        }
        if (closed.get()) {
            // closed between put and write: make sure the future does not wait forever
            failPending();
        }
        return reply;
    }

    /** Sends a message that gets no reply ({@code pong}); not paced, as the server does not count it. */
    void send(ClientMessage message) throws IOException {
        write(message);
    }

    boolean isOpen() {
        return !closed.get();
    }

    /** Closes the socket; the reader thread ends and the listener's {@code closed} is called. */
    @Override
    public void close() {
        shut("closed by the client");
    }

    /** Waits for the reader thread to end (after {@link #close()} or the end of the stream). */
    boolean awaitReader(Duration timeout) throws InterruptedException {
        return reader.join(timeout);
    }

    private void write(ClientMessage message) throws IOException {
        writeLock.lock();
        try {
            writer.write(message);
            writer.flush();
        } catch (IOException e) {
            shut(e.getMessage());
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    private void readLoop() {
        String reason = "connection closed by the server";
        try {
            var lines = new LineReader(link.in(), Protocol.MAX_SERVER_LINE_BYTES);
            while (true) {
                Line line = lines.read();
                if (line instanceof Line.End) {
                    break;
                }
                lastReceivedNanos = System.nanoTime();
                if (pingOutstanding) {
                    pingOutstanding = false;
                    LockSupport.unpark(keepalive);
                }
                if (line instanceof Line.Text text) {
                    Decoded<ServerMessage> decoded = Codec.SERVER_TO_CLIENT.decode(text.bytes());
                    switch (decoded) {
                        case Decoded.Ok<ServerMessage> ok ->
                                dispatch(ok.message(), new String(text.bytes(), StandardCharsets.UTF_8));
                        case Decoded.Bad<ServerMessage> bad -> listener.badFrame(this, bad.error());
                        case Decoded.End<ServerMessage> end -> {
                        }
                    }
                } else if (line instanceof Line.TooLong tooLong) {
                    listener.badFrame(this, new ProtocolError(dev.loomchat.protocol.ErrorCode.LINE_TOO_LONG,
                            "server line longer than " + tooLong.limit() + " bytes", null));
                }
            }
        } catch (IOException e) {
            reason = e.getMessage() == null ? e.toString() : e.getMessage();
        } catch (RuntimeException e) {
            reason = "client bug: " + e;
        } finally {
            shut(reason);
        }
    }

    private void dispatch(ServerMessage frame, String raw) {
        listener.frame(this, frame, raw);
        String ref = frame.ref();
        if (ref != null && isFinalReply(frame)) {
            var reply = pending.remove(ref);
            if (reply != null) {
                reply.complete(frame);
            }
        }
    }

    /**
     * Every request gets exactly one final reply; a join's own {@code joined}, the room's
     * {@code topic} and replayed messages come before it (this client sends no {@code topic}
     * request, whose answer would be final).
     */
    static boolean isFinalReply(ServerMessage frame) {
        return !(frame instanceof ServerMessage.Joined) && !(frame instanceof ServerMessage.Topic)
                && !(frame instanceof ServerMessage.ChatMessage m && m.replay());
    }

    private void shut(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        try {
            link.handle().close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that fails to close
        }
        if (Thread.currentThread() != keepalive) {
            keepalive.interrupt();
        }
        failPending();
        listener.closed(this, reason);
    }

    private void failPending() {
        for (var ref : pending.keySet()) {
            var reply = pending.remove(ref);
            if (reply != null) {
                reply.completeExceptionally(new ConnectionLostException(
                        closeReason == null ? "connection closed" : closeReason));
            }
        }
    }

    @Override
    public String toString() {
        return "Connection[" + address + "]";
    }

    /** This connection as the keepalive sees it. */
    private final class KeepaliveLine implements Keepalive.Line {
        @Override
        public long lastReceivedNanos() {
            return lastReceivedNanos;
        }

        @Override
        public void ping() {
            // Own refs ("ping1", ...) that never collide with the session's numeric ones; the pong
            // completes no request, and any frame counts as the answer anyway.
            var ping = new ClientMessage.Ping("ping" + pings.incrementAndGet());
            pingOutstanding = true;
            Thread.ofVirtual().name("loomchat-ping-" + address).start(() -> {
                try {
                    write(ping);
                } catch (IOException e) {
                    // write() has closed the connection
                }
            });
        }

        @Override
        public void lose(String reason) {
            shut(reason);
        }
    }
}
