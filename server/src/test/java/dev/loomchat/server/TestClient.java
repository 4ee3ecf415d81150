package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.MessageReader;
import dev.loomchat.protocol.ServerMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking protocol client for tests: a socket, a {@link MessageReader} over it, and helpers
 * that read with a read timeout. The timeout is only an upper bound against hanging: a test that
 * hits it fails with a message saying what it was waiting for.
 *
 * <p>Not thread-safe, except that one thread may read while another sends.
 */
final class TestClient implements AutoCloseable {

    /** Generous: the CI box is a busy 2-core machine. Only ever an upper bound. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final Socket socket;
    private final OutputStream out;
    private final MessageReader<ServerMessage> reader;
    private int lastRef;
    private String nick;

    private TestClient(Socket socket, Duration readTimeout) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.reader = new MessageReader<>(socket.getInputStream(), Codec.SERVER_TO_CLIENT);
    }

    /** A connected client that has not said hello. */
    static TestClient connect(InetSocketAddress address) throws IOException {
        return connect(address, READ_TIMEOUT, -1);
    }

    /**
     * A connected client; {@code receiveBufferBytes > 0} sets {@code SO_RCVBUF} before connecting
     * (which is when it decides the TCP window).
     */
    static TestClient connect(InetSocketAddress address, Duration readTimeout, int receiveBufferBytes)
            throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.connect(address, (int) READ_TIMEOUT.toMillis());
            return new TestClient(socket, readTimeout);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A client that said hello as {@code nick} and got its welcome. */
    /** A client on a socket already connected (and handshaken, for TLS). */
    static TestClient over(Socket socket) throws IOException {
        return new TestClient(socket, READ_TIMEOUT);
    }

    static TestClient welcomed(ChatServer server, String nick) throws IOException {
        TestClient client = connect(server.address());
        try {
            client.hello(nick);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    Socket socket() {
        return socket;
    }

    /** The nick of the last successful {@link #hello}. */
    String nick() {
        return nick;
    }

    /** A fresh request ref. */
    String ref() {
        return "r" + ++lastRef;
    }

    void send(ClientMessage message) throws IOException {
        out.write(Frame.of(message).toByteArray());
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code json} as one line (UTF-8, then {@code \n}). */
    void sendLine(String json) throws IOException {
        sendRaw((json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The next decoded frame, bad ones and the end included. */
    Decoded<ServerMessage> read() throws IOException {
        try {
            return reader.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame from the server within " + socket.getSoTimeout() + " ms", e);
        }
    }

    /** The next frame, which must be a well-formed server message. */
    ServerMessage next() throws IOException {
        Decoded<ServerMessage> decoded = read();
        return switch (decoded) {
            case Decoded.Ok<ServerMessage> ok -> ok.message();
            case Decoded.Bad<ServerMessage> bad -> fail("the server sent a bad frame: " + bad.error());
            case Decoded.End<ServerMessage> end -> fail("the server closed the connection");
        };
    }

    /** The next frame, which must be a {@code type}. */
    <T extends ServerMessage> T next(Class<T> type) throws IOException {
        ServerMessage message = next();
        return assertInstanceOf(type, message, () -> "expected " + type.getSimpleName() + ", got " + message);
    }

    /** Skips frames of other types until a {@code type} arrives. */
    <T extends ServerMessage> T await(Class<T> type) throws IOException {
        while (true) {
            ServerMessage message = next();
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
    }

    /** Reads until a frame matching {@code last} arrives; returns every frame read, that one included. */
    List<ServerMessage> readUntil(java.util.function.Predicate<ServerMessage> last) throws IOException {
        List<ServerMessage> frames = new ArrayList<>();
        while (true) {
            ServerMessage message = next();
            frames.add(message);
            if (last.test(message)) {
                return frames;
            }
        }
    }

    /** The next frame, which must be an {@code error} with {@code code}. */
    ServerMessage.Error nextError(ErrorCode code) throws IOException {
        ServerMessage.Error error = next(ServerMessage.Error.class);
        assertEquals(code, error.code(), () -> "unexpected error " + error);
        return error;
    }

    /** The next frame, which must be an {@code error} with {@code code} and {@code ref}. */
    ServerMessage.Error nextError(ErrorCode code, String ref) throws IOException {
        ServerMessage.Error error = nextError(code);
        assertEquals(ref, error.ref(), () -> "wrong ref on " + error);
        return error;
    }

    /** Says hello as {@code nick}; the next frame must be the welcome. */
    ServerMessage.Welcome hello(String nick) throws IOException {
        String ref = ref();
        send(new ClientMessage.Hello(nick, null, "loomchat-tests", 1, ref));
        ServerMessage.Welcome welcome = next(ServerMessage.Welcome.class);
        assertEquals(ref, welcome.ref());
        this.nick = welcome.nick();
        return welcome;
    }

    /**
     * Joins {@code room}: skips other clients' events until its own {@code joined}, then reads the
     * replay and the {@code history} trailer (all with the join's ref). Returns the replayed messages.
     */
    List<ServerMessage.ChatMessage> join(String room) throws IOException {
        String ref = ref();
        send(new ClientMessage.Join(room, ref));
        while (true) {
            ServerMessage message = next();
            if (message instanceof ServerMessage.Error error && ref.equals(error.ref())) {
                fail("join failed: " + error);
            }
            if (message instanceof ServerMessage.Joined joined && ref.equals(joined.ref())) {
                return readReplay(ref, room);
            }
        }
    }

    /**
     * The replayed messages of {@code room} up to and including the {@code history} trailer with {@code ref}.
     * Frames without the ref (other clients' events) may come in between, but no live message
     * and nothing else with the ref.
     */
    List<ServerMessage.ChatMessage> readReplay(String ref, String room) throws IOException {
        List<ServerMessage.ChatMessage> replayed = new ArrayList<>();
        while (true) {
            ServerMessage message = next();
            if (message instanceof ServerMessage.History history) {
                assertEquals(ref, history.ref(), () -> "wrong ref on " + history);
                assertEquals(replayed.size(), history.count(), () -> "count of " + history);
                return replayed;
            }
            if (message instanceof ServerMessage.ChatMessage chat && (chat.replay() || chat.ref() != null)) {
                assertEquals(true, chat.replay(), () -> "a live message inside a replay: " + chat);
                assertEquals(ref, chat.ref(), () -> "wrong ref on " + chat);
                replayed.add(chat);
            } else if (message instanceof ServerMessage.ChatMessage live && room.equalsIgnoreCase(live.room())) {
                fail("a live message of the room inside its replay: " + live);
            } else if (message.ref() != null) {
                fail("expected the replay with ref " + ref + ", got " + message);
            }
        }
    }

    /** Says {@code text} in {@code room}; returns the own copy, skipping frames before it. */
    ServerMessage.ChatMessage say(String room, String text) throws IOException {
        String ref = ref();
        send(new ClientMessage.Say(room, text, ref));
        while (true) {
            ServerMessage message = next();
            if (message instanceof ServerMessage.ChatMessage own && ref.equals(own.ref())) {
                return own;
            }
            if (message instanceof ServerMessage.Error error && ref.equals(error.ref())) {
                fail("say failed: " + error);
            }
        }
    }

    /**
     * Sends a {@code ping} and returns every frame that arrived before its {@code pong}. Since the
     * server writes one connection's frames in order, this is everything queued to this client
     * before the ping was handled: the way to assert that something did <em>not</em> arrive. Not a
     * barrier for other clients' fan-out still in progress: to wait for an event, read until it.
     */
    List<ServerMessage> sync() throws IOException {
        String ref = ref();
        send(new ClientMessage.Ping(ref));
        List<ServerMessage> before = new ArrayList<>();
        while (true) {
            ServerMessage message = next();
            if (message instanceof ServerMessage.Pong pong && ref.equals(pong.ref())) {
                return before;
            }
            if (message instanceof ServerMessage.Error error && ref.equals(error.ref())) {
                fail("the sync ping was refused: " + error);
            }
            before.add(message);
        }
    }

    /**
     * Reads until the server closes the connection (EOF, or a reset: both mean closed) and
     * returns the frames that came before.
     */
    List<ServerMessage> readUntilClosed() throws IOException {
        List<ServerMessage> frames = new ArrayList<>();
        try {
            while (true) {
                switch (read()) {
                    case Decoded.Ok<ServerMessage> ok -> frames.add(ok.message());
                    case Decoded.Bad<ServerMessage> bad -> fail("the server sent a bad frame: " + bad.error());
                    case Decoded.End<ServerMessage> end -> {
                        return frames;
                    }
                }
            }
        } catch (SocketException e) {
            return frames; // reset by the server: closed too
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "TestClient[" + (nick == null ? "-" : nick) + " " + socket.getLocalSocketAddress() + "]";
    }
}
