package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input (issue 4): each gets a clear {@code error} frame, the offending connection stays
 * usable where the protocol says so, the server keeps serving, and two healthy clients chatting
 * beside it lose nothing.
 */
@Timeout(60)
class ChatServerBadInputTest {

    private static final int MAX_LINE_BYTES = 1024;

    /** One bad input: the bytes, whether they come before or after hello, the error expected. */
    record BadInput(String name, boolean welcomed, byte[] bytes, ErrorCode code, String ref) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static BadInput bad(String name, String line, ErrorCode code, String ref) {
        return new BadInput(name, true, (line + "\n").getBytes(StandardCharsets.UTF_8), code, ref);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static Stream<BadInput> badInputs() {
        byte[] garbage = new byte[600];
        new Random(4).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n') {
                garbage[i] = 0;   // one line of garbage
            }
        }
        garbage[0] = (byte) 0xff; // never blank, never valid UTF-8 JSON
        return Stream.of(
                bad("malformed JSON", "{\"type\":\"say\",\"room\":\"#chat\",\"text\":\"oops\"", ErrorCode.BAD_JSON, null),
                bad("trailing data after the object", "{\"type\":\"ping\"} {\"type\":\"ping\"}", ErrorCode.BAD_JSON, null),
                bad("duplicate keys", "{\"type\":\"ping\",\"ref\":\"d\",\"ref\":\"e\"}", ErrorCode.BAD_JSON, null),
                bad("not an object", "[1,2,3]", ErrorCode.NOT_OBJECT, null),
                new BadInput("invalid UTF-8", true,
                        concat("{\"type\":\"say\",\"room\":\"#chat\",\"text\":\"".getBytes(StandardCharsets.UTF_8),
                                new byte[] {(byte) 0xc0, (byte) 0xaf, (byte) 0xed, (byte) 0xa0, (byte) 0x80},
                                "\",\"ref\":\"u\"}\n".getBytes(StandardCharsets.UTF_8)),
                        ErrorCode.BAD_ENCODING, null),
                new BadInput("a NUL byte", true, "{\"type\":\"ping\"\0}\n".getBytes(StandardCharsets.UTF_8),
                        ErrorCode.BAD_JSON, null),
                new BadInput("binary garbage", true, concat(garbage, new byte[] {'\n'}), ErrorCode.BAD_ENCODING, null),
                new BadInput("a line over the limit", true,
                        concat("{\"type\":\"say\",\"room\":\"#chat\",\"text\":\"".getBytes(StandardCharsets.UTF_8),
                                "x".repeat(5000).getBytes(StandardCharsets.UTF_8), "\"}\n".getBytes(StandardCharsets.UTF_8)),
                        ErrorCode.LINE_TOO_LONG, null),
                bad("unknown type", "{\"type\":\"dance\",\"ref\":\"t\"}", ErrorCode.UNKNOWN_TYPE, "t"),
                bad("missing type", "{\"room\":\"#chat\",\"ref\":\"mt\"}", ErrorCode.BAD_REQUEST, "mt"),
                bad("type not a string", "{\"type\":7,\"ref\":\"t7\"}", ErrorCode.BAD_REQUEST, "t7"),
                bad("missing required field", "{\"type\":\"say\",\"room\":\"#chat\",\"ref\":\"m\"}", ErrorCode.BAD_REQUEST, "m"),
                bad("null required field", "{\"type\":\"join\",\"room\":null,\"ref\":\"n\"}", ErrorCode.BAD_REQUEST, "n"),
                bad("wrong field type: string for integer", "{\"type\":\"history\",\"room\":\"#chat\",\"limit\":\"5\",\"ref\":\"w\"}",
                        ErrorCode.BAD_REQUEST, "w"),
                bad("wrong field type: fraction", "{\"type\":\"history\",\"room\":\"#chat\",\"limit\":5.0,\"ref\":\"f\"}",
                        ErrorCode.BAD_REQUEST, "f"),
                bad("wrong field type: number for string", "{\"type\":\"say\",\"room\":\"#chat\",\"text\":42,\"ref\":\"n42\"}",
                        ErrorCode.BAD_REQUEST, "n42"),
                bad("wrong field type: object for string", "{\"type\":\"join\",\"room\":{\"a\":1},\"ref\":\"o\"}",
                        ErrorCode.BAD_REQUEST, "o"),
                bad("huge number", "{\"type\":\"history\",\"room\":\"#chat\",\"limit\":99999999999999999999999,\"ref\":\"h\"}",
                        ErrorCode.BAD_REQUEST, "h"),
                bad("say to a room not joined", "{\"type\":\"say\",\"room\":\"#elsewhere\",\"text\":\"hi\",\"ref\":\"s\"}",
                        ErrorCode.NOT_IN_ROOM, "s"),
                bad("msg to an unknown nick", "{\"type\":\"msg\",\"to\":\"nobody\",\"text\":\"hi\",\"ref\":\"m\"}",
                        ErrorCode.NO_SUCH_NICK, "m"),
                bad("nick already in use", "{\"type\":\"nick\",\"nick\":\"ALICE\",\"ref\":\"n\"}", ErrorCode.NICK_IN_USE, "n"),
                bad("invalid nick", "{\"type\":\"nick\",\"nick\":\"no spaces\",\"ref\":\"n\"}", ErrorCode.BAD_NICK, "n"),
                bad("invalid room", "{\"type\":\"join\",\"room\":\"chat\",\"ref\":\"j\"}", ErrorCode.BAD_ROOM, "j"),
                bad("control character in text", "{\"type\":\"say\",\"room\":\"#chat\",\"text\":\"a\\u0000b\",\"ref\":\"c\"}",
                        ErrorCode.BAD_TEXT, "c"),
                bad("unpaired surrogate in text", "{\"type\":\"say\",\"room\":\"#chat\",\"text\":\"\\ud800\",\"ref\":\"u\"}",
                        ErrorCode.BAD_TEXT, "u"),
                new BadInput("request before hello", false,
                        "{\"type\":\"join\",\"room\":\"#chat\",\"ref\":\"b\"}\n".getBytes(StandardCharsets.UTF_8),
                        ErrorCode.NOT_WELCOMED, "b"),
                new BadInput("hello with a nick in use", false,
                        "{\"type\":\"hello\",\"nick\":\"Bob\",\"ref\":\"b\"}\n".getBytes(StandardCharsets.UTF_8),
                        ErrorCode.NICK_IN_USE, "b"),
                new BadInput("hello with an invalid nick", false,
                        "{\"type\":\"hello\",\"nick\":\"9lives\",\"ref\":\"b\"}\n".getBytes(StandardCharsets.UTF_8),
                        ErrorCode.BAD_NICK, "b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGetsAClearErrorAndNothingIsLostForOthers(BadInput input) throws Exception {
        ChatConfig config = TestServers.config().maxLineBytes(MAX_LINE_BYTES).build();
        try (ChatServer server = ChatServer.start(config);
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob");
             TestClient offender = TestClient.connect(server.address())) {
            alice.join("#chat");
            bob.join("#chat");
            alice.next(ServerMessage.Joined.class);
            if (input.welcomed()) {
                offender.hello("offender");
                offender.join("#chat");
            }
            ChatMessage before = alice.say("#chat", "before");

            offender.sendRaw(input.bytes());

            ServerMessage.Error error = offender.await(ServerMessage.Error.class);
            assertEquals(input.code(), error.code(), error::toString);
            assertEquals(input.ref(), error.ref());
            assertTrue(!error.message().isBlank());
            ChatMessage after = alice.say("#chat", "after");
            // The offender's stream is still in sync: its next request is served.
            assertEquals(List.of(), offender.sync().stream().filter(m -> !(m instanceof ChatMessage)
                    && !(m instanceof ServerMessage.Joined)).toList());
            // Bob saw everything, in order, and nothing else from the offender.
            List<ServerMessage> bobs = bob.readUntil(m -> m instanceof ChatMessage chat && chat.id() == after.id());
            List<ChatMessage> messages = bobs.stream().filter(ChatMessage.class::isInstance)
                    .map(ChatMessage.class::cast).toList();
            assertEquals(List.of(before.withRef(null), after.withRef(null)), messages, bobs::toString);
            assertEquals(List.of(), bob.sync());
            assertEquals(List.of(), alice.sync().stream().filter(m -> !(m instanceof ChatMessage)).toList());
            assertEquals(0, server.stats().get("slowConsumers"));
        }
    }

    @Test
    void aLineCutShortByTheEndOfTheStreamIsReportedAndTheSessionEndsNormally() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient cut = TestClient.welcomed(server, "cut")) {
            alice.join("#chat");
            cut.join("#chat");
            cut.sendRaw("{\"type\":\"say\",\"room\":\"#chat\",\"te".getBytes(StandardCharsets.UTF_8));
            cut.socket().shutdownOutput();

            List<ServerMessage> last = cut.readUntilClosed();

            assertEquals(ErrorCode.EOF_MID_LINE, assertInstanceOf(ServerMessage.Error.class, last.getLast()).code());
            ServerMessage.Parted parted = alice.await(ServerMessage.Parted.class);
            assertEquals(ServerMessage.Parted.REASON_DISCONNECT, parted.reason());
            assertEquals(List.of(), alice.sync());
        }
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestsStillGetsEveryReply() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient half = TestClient.connect(server.address())) {
            alice.join("#chat");
            half.send(new ClientMessage.Hello("half", null, null, null, "h"));
            half.send(new ClientMessage.Join("#chat", "j"));
            half.send(new ClientMessage.Say("#chat", "said, then shut my side", "s"));
            half.send(new ClientMessage.Who("#chat", "w"));
            half.socket().shutdownOutput();

            List<ServerMessage> replies = half.readUntilClosed();

            assertEquals(List.of("welcome", "joined", "history", "message", "who"),
                    replies.stream().map(ServerMessage::type).toList(), replies::toString);
            assertEquals("s", replies.get(3).ref());
            assertEquals("w", replies.get(4).ref());
            assertEquals("said, then shut my side", alice.await(ChatMessage.class).text());
            assertEquals(ServerMessage.Parted.REASON_DISCONNECT, alice.await(ServerMessage.Parted.class).reason());
        }
    }

    @Test
    void thousandsOfConnectDisconnectCyclesLeaveNothingBehind() throws Exception {
        int loops = 4;
        int cyclesPerLoop = 750;
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob");
             ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            alice.join("#chat");
            bob.join("#chat");
            alice.next(ServerMessage.Joined.class);
            InetSocketAddress address = server.address();
            List<Future<Integer>> results = new ArrayList<>();
            for (int loop = 0; loop < loops; loop++) {
                int id = loop;
                results.add(executor.submit(cycles(address, id, cyclesPerLoop)));
            }
            // Alice and Bob chat all along.
            int said = 0;
            while (!results.stream().allMatch(Future::isDone)) {
                ChatMessage own = alice.say("#chat", "during " + said);
                assertEquals(own.withRef(null), awaitFrom(bob, "alice"));
                said++;
            }
            int cycles = 0;
            for (Future<Integer> result : results) {
                cycles += result.get(60, TimeUnit.SECONDS);
            }
            assertEquals(loops * cyclesPerLoop, cycles);

            await().atMost(Duration.ofSeconds(30)).until(() -> server.connectionCount() == 2);
            assertEquals(2, server.stats().get("welcomed"), "no nick left behind");
            assertEquals(1, server.stats().get("rooms"), "no room left behind");
            try (TestClient fresh = TestClient.welcomed(server, "fresh")) {
                fresh.join("#chat");
                alice.readUntil(m -> m instanceof ServerMessage.Joined joined && joined.nick().equals("fresh"));
            }
            ChatMessage last = alice.say("#chat", "still here after " + cycles + " cycles");
            assertEquals(last.withRef(null), awaitFrom(bob, "alice"));
            // The cyclers that joined #chat came and went: Bob saw as many joins as parts.
            List<ServerMessage> bobs = bob.sync();
            assertTrue(bobs.stream().noneMatch(m -> m instanceof ServerMessage.Error), bobs::toString);
        }
    }

    /** The next message from {@code nick}, skipping everything else (drive-by messages, presence). */
    private static ChatMessage awaitFrom(TestClient client, String nick) throws IOException {
        while (true) {
            ChatMessage message = client.await(ChatMessage.class);
            if (message.from().equals(nick)) {
                return message;
            }
        }
    }

    /**
     * One loop of connect/disconnect cycles, varied: close at once; hello then close; hello, join
     * and a say then close without reading; a reset (SO_LINGER 0) mid-session; quit.
     */
    private static Callable<Integer> cycles(InetSocketAddress address, int loop, int count) {
        return () -> {
            for (int i = 0; i < count; i++) {
                String nick = "c" + loop + "x" + i;
                switch (i % 5) {
                    case 0 -> {
                        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                            socket.getOutputStream().flush();
                        }
                    }
                    case 1 -> {
                        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                            socket.getOutputStream().write(("{\"type\":\"hello\",\"nick\":\"" + nick + "\"}\n")
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    case 2 -> {
                        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                            socket.getOutputStream().write(("{\"type\":\"hello\",\"nick\":\"" + nick + "\"}\n"
                                    + "{\"type\":\"join\",\"room\":\"#chat\"}\n"
                                    + "{\"type\":\"say\",\"room\":\"#chat\",\"text\":\"drive-by\"}\n")
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    case 3 -> {
                        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                            socket.setSoLinger(true, 0);
                            socket.getOutputStream().write(("{\"type\":\"hello\",\"nick\":\"" + nick + "\"}\n"
                                    + "{\"type\":\"join\",\"room\":\"#cycle" + loop + "\"}\n")
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    default -> {
                        try (TestClient client = TestClient.connect(address)) {
                            client.hello(nick);
                            client.send(new ClientMessage.Quit("q"));
                            client.await(ServerMessage.Bye.class);
                        }
                    }
                }
            }
            return count;
        };
    }

    @Test
    void aClientThatNeverSaysHelloCannotHoldANickOrARoom() throws IOException {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient lurker = TestClient.connect(server.address());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            lurker.send(new ClientMessage.Who("#chat", "w"));
            lurker.nextError(ErrorCode.NOT_WELCOMED, "w");
            assertEquals(1, server.stats().get("welcomed"));
            assertEquals(2, server.stats().get("connections"));
            assertEquals(List.of(), alice.sync());
        }
    }
}
