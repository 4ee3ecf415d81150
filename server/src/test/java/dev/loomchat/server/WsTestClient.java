package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client of the web door for tests, on the JDK's {@code java.net.http.WebSocket}:
 * every event (text message, pong, close, error) goes into one queue, read in order.
 * {@link #reading(boolean) Not reading} means not requesting more messages: the JDK client then
 * stops reading the socket, as a stalled browser tab does.
 */
final class WsTestClient implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    /** A text message from the server. */
    record Text(String text) {
    }

    /** The server's close frame. */
    record Closed(int code, String reason) {
    }

    /** A pong frame. */
    record Pong(ByteBuffer data) {
    }

    /** The connection failed. */
    record Failed(Throwable error) {
    }

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    /** Completed when the test lets the client answer the server's close frame. */
    final CompletableFuture<Void> answerClose = new CompletableFuture<>();
    private final WebSocket ws;
    private final boolean reading;
    private int lastRef;
    private String nick;

    private WsTestClient(URI uri, String origin, boolean reading, boolean answerCloseAtOnce) {
        this(HttpClient.newHttpClient(), uri, origin, reading, answerCloseAtOnce);
    }

    private WsTestClient(HttpClient http, URI uri, String origin, boolean reading, boolean answerCloseAtOnce) {
        this.reading = reading;
        if (answerCloseAtOnce) {
            answerClose.complete(null);
        }
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(READ_TIMEOUT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        this.ws = builder.buildAsync(uri, new Listener()).join();
    }

    static URI uri(ChatServer server) {
        InetSocketAddress http = server.httpAddress().orElseThrow();
        return URI.create("ws://" + http.getHostString() + ":" + http.getPort() + "/ws");
    }

    static WsTestClient connect(ChatServer server) {
        return new WsTestClient(uri(server), null, true, true);
    }

    static WsTestClient connect(URI uri, String origin) {
        return new WsTestClient(uri, origin, true, true);
    }

    /** A client of a WSS endpoint, through {@code http} (which trusts the server's certificate). */
    static WsTestClient connect(HttpClient http, URI uri) {
        return new WsTestClient(http, uri, null, true, true);
    }

    /** A client that reads nothing (after the upgrade) until the end. */
    static WsTestClient notReading(ChatServer server) {
        return new WsTestClient(uri(server), null, false, true);
    }

    /** A client that leaves the server's close frame unanswered until {@link #answerClose} completes. */
    static WsTestClient slowToClose(ChatServer server) {
        return new WsTestClient(uri(server), null, true, false);
    }

    static WsTestClient welcomed(ChatServer server, String nick) {
        WsTestClient client = connect(server);
        try {
            client.hello(nick);
            return client;
        } catch (RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    WebSocket ws() {
        return ws;
    }

    String nick() {
        return nick;
    }

    String ref() {
        return "w" + ++lastRef;
    }

    void send(ClientMessage message) {
        sendText(Frame.of(message).toString());
    }

    void sendText(String text) {
        ws.sendText(text, true).join();
    }

    /** The next event of any kind. */
    Object nextEvent() {
        try {
            Object event = events.poll(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("nothing from the server within " + READ_TIMEOUT.toMillis() + " ms");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    ServerMessage next() {
        Object event = nextEvent();
        if (!(event instanceof Text(String text))) {
            return fail("expected a text message, got " + event);
        }
        return switch (Codec.SERVER_TO_CLIENT.decode(text)) {
            case Decoded.Ok<ServerMessage> ok -> ok.message();
            case Decoded.Bad<ServerMessage> bad -> fail("the server sent a bad message: " + bad.error() + ": " + text);
            case Decoded.End<ServerMessage> end -> fail("impossible");
        };
    }

    <T extends ServerMessage> T next(Class<T> type) {
        ServerMessage message = next();
        return assertInstanceOf(type, message, () -> "expected " + type.getSimpleName() + ", got " + message);
    }

    <T extends ServerMessage> T await(Class<T> type) {
        while (true) {
            Object event = nextEvent();
            if (event instanceof Text(String text)
                    && Codec.SERVER_TO_CLIENT.decode(text) instanceof Decoded.Ok<ServerMessage>(ServerMessage m)
                    && type.isInstance(m)) {
                return type.cast(m);
            }
            if (event instanceof Closed || event instanceof Failed) {
                fail("expected " + type.getSimpleName() + ", got " + event);
            }
        }
    }

    ServerMessage.Error nextError(ErrorCode code) {
        ServerMessage.Error error = next(ServerMessage.Error.class);
        assertEquals(code, error.code(), () -> "unexpected error " + error);
        return error;
    }

    /** Skips messages up to the server's close frame. */
    Closed awaitClose() {
        while (true) {
            Object event = nextEvent();
            if (event instanceof Closed closed) {
                return closed;
            }
            if (event instanceof Failed failed) {
                return fail("the connection failed instead of closing: " + failed.error());
            }
        }
    }

    ServerMessage.Welcome hello(String nick) {
        String ref = ref();
        send(new ClientMessage.Hello(nick, null, "loomchat-ws-tests", 1, ref));
        ServerMessage.Welcome welcome = next(ServerMessage.Welcome.class);
        assertEquals(ref, welcome.ref());
        this.nick = welcome.nick();
        return welcome;
    }

    /** Joins {@code room}; returns the history trailer's count once it arrived. */
    int join(String room) {
        String ref = ref();
        send(new ClientMessage.Join(room, ref));
        while (true) {
            ServerMessage message = next();
            if (message instanceof ServerMessage.Error error && ref.equals(error.ref())) {
                fail("join failed: " + error);
            }
            if (message instanceof ServerMessage.History history && ref.equals(history.ref())) {
                return history.count();
            }
        }
    }

    /** Says {@code text}; returns the own copy. */
    ServerMessage.ChatMessage say(String room, String text) {
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

    @Override
    public void close() {
        answerClose.complete(null);
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(new Text(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            events.add(new Failed(new AssertionError("the server sent a binary message")));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
            events.add(new Pong(copy));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new Closed(statusCode, reason));
            return answerClose;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Failed(error));
        }
    }
}
