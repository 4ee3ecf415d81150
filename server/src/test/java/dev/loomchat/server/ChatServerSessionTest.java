package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Limits;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.chat.ChatCore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connect, hello, nicks, password, quit, disconnect, stats, the connection limit (PROTOCOL.md §4, §5). */
@Timeout(60)
class ChatServerSessionTest {

    @Test
    void helloIsAnsweredWithWelcomeCarryingTheLimitsInForce() throws Exception {
        ChatConfig config = TestServers.config().maxLineBytes(2048).msgRate(7).msgBurst(9).maxRooms(3)
                .historyLength(11).idleTimeout(Duration.ofSeconds(45)).pingTimeout(Duration.ofMillis(1500)).build();
        try (ChatServer server = ChatServer.start(config);
             TestClient alice = TestClient.connect(server.address())) {
            alice.send(new ClientMessage.Hello("alice", null, "tests/1", 1, "h1"));

            ServerMessage.Welcome welcome = alice.next(ServerMessage.Welcome.class);

            assertEquals("alice", welcome.nick());
            assertEquals("h1", welcome.ref());
            assertEquals(1, welcome.proto());
            assertEquals(ChatCore.SERVER_NAME, welcome.server());
            assertFalse(welcome.version().isBlank());
            assertEquals(new Limits(2048, 4000, 7, 9, 3, 11, 45, 2), welcome.limits());
        }
    }

    @Test
    void requestsBeforeHelloGetNotWelcomedButPingAndQuitAreServed() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient client = TestClient.connect(server.address())) {
            client.send(new ClientMessage.Join("#room", "j"));
            client.nextError(ErrorCode.NOT_WELCOMED, "j");
            client.send(new ClientMessage.Say("#room", "hi", "s"));
            client.nextError(ErrorCode.NOT_WELCOMED, "s");
            client.send(new ClientMessage.Nick("bob", "n"));
            client.nextError(ErrorCode.NOT_WELCOMED, "n");
            client.send(new ClientMessage.Stats("st"));
            client.nextError(ErrorCode.NOT_WELCOMED, "st");
            client.send(new ClientMessage.Pong());   // no reply, no error
            client.send(new ClientMessage.Ping("p"));
            assertEquals("p", client.next(ServerMessage.Pong.class).ref());

            client.send(new ClientMessage.Quit("q"));

            assertEquals("q", client.next(ServerMessage.Bye.class).ref());
            assertEquals(List.of(), client.readUntilClosed());
        }
    }

    @Test
    void helloStillWorksAfterNotWelcomedAndASecondHelloIsRefused() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient client = TestClient.connect(server.address())) {
            client.send(new ClientMessage.Rooms("r"));
            client.nextError(ErrorCode.NOT_WELCOMED, "r");
            client.hello("carol");

            client.send(new ClientMessage.Hello("carol2", null, null, null, "again"));

            client.nextError(ErrorCode.ALREADY_WELCOMED, "again");
            client.send(new ClientMessage.Hello("x", null, null, 2, "v2"));
            client.nextError(ErrorCode.ALREADY_WELCOMED, "v2");
        }
    }

    @Test
    void helloWithAnotherProtocolVersionIsRefusedAndCanBeRetried() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient client = TestClient.connect(server.address())) {
            client.send(new ClientMessage.Hello("dave", null, null, 2, "v2"));
            client.nextError(ErrorCode.UNSUPPORTED_PROTO, "v2");

            client.send(new ClientMessage.Hello("dave", null, null, null, "v"));

            assertEquals("dave", client.next(ServerMessage.Welcome.class).nick());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "-abc", "has space", "ünïcode", "a.b", "#room",
            "abcdefghijklmnopqrstuvwxyz0123456"})
    void invalidNicksAreRefusedWithBadNick(String nick) throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient client = TestClient.connect(server.address())) {
            client.send(new ClientMessage.Hello(nick, null, null, null, "h"));
            client.nextError(ErrorCode.BAD_NICK, "h");

            client.send(new ClientMessage.Hello("valid", null, null, null, "h2"));
            assertEquals("valid", client.next(ServerMessage.Welcome.class).nick());

            client.send(new ClientMessage.Nick(nick, "n"));
            client.nextError(ErrorCode.BAD_NICK, "n");
        }
    }

    @Test
    void nicksWithEveryAllowedCharacterAndMaximumLengthAreAccepted() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient a = TestClient.welcomed(server, "_-[]\\^{}|`azAZ09");
             TestClient b = TestClient.welcomed(server, "abcdefghijklmnopqrstuvwxyz012345")) {
            assertEquals("_-[]\\^{}|`azAZ09", a.nick());
            assertEquals(32, b.nick().length());
        }
    }

    @Test
    void nicksAreUniqueCaseInsensitively() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "Alice");
             TestClient other = TestClient.connect(server.address())) {
            other.send(new ClientMessage.Hello("aLICE", null, null, null, "h"));
            other.nextError(ErrorCode.NICK_IN_USE, "h");
            other.hello("bob");

            other.send(new ClientMessage.Nick("ALICE", "n"));

            other.nextError(ErrorCode.NICK_IN_USE, "n");
            assertEquals(List.of(), alice.sync());
        }
    }

    @Test
    void aNickIsFreeAgainOnceItsOwnerLeftOrRenamed() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build())) {
            try (TestClient alice = TestClient.welcomed(server, "alice")) {
                alice.send(new ClientMessage.Nick("alice2", "n"));
                alice.next(ServerMessage.Nick.class);
                try (TestClient again = TestClient.welcomed(server, "ALICE")) {
                    assertEquals("ALICE", again.nick());
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 0);
            try (TestClient third = TestClient.welcomed(server, "alice2")) {
                assertEquals("alice2", third.nick());
            }
        }
    }

    @Test
    void renameIsAnnouncedOnceToEveryoneSharingARoomAndRepliedToTheRequester() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob");
             TestClient carol = TestClient.welcomed(server, "carol");
             TestClient dave = TestClient.welcomed(server, "dave")) {
            alice.join("#a");
            alice.join("#b");
            bob.join("#a");
            bob.join("#b");   // shares two rooms with alice: still one event
            carol.join("#a");
            dave.join("#elsewhere");

            alice.send(new ClientMessage.Nick("alice_", "n1"));

            ServerMessage.Nick own = alice.await(ServerMessage.Nick.class);
            assertEquals(new ServerMessage.Nick("alice", "alice_", own.ts(), "n1"), own);
            for (TestClient peer : List.of(bob, carol)) {
                List<ServerMessage> events = peer.sync().stream()
                        .filter(m -> m instanceof ServerMessage.Nick).toList();
                assertEquals(List.of(new ServerMessage.Nick("alice", "alice_", own.ts(), null)), events,
                        () -> peer + " should get exactly one nick event");
            }
            assertTrue(dave.sync().isEmpty(), "dave shares no room with alice");
            // The new nick is in force: messages are from it, and the old one is free.
            assertEquals("alice_", alice.say("#a", "renamed").from());
            try (TestClient newAlice = TestClient.welcomed(server, "alice")) {
                assertEquals("alice", newAlice.nick());
            }
        }
    }

    @Test
    void changingOnlyTheCaseOfOnesOwnNickIsAllowed() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.send(new ClientMessage.Nick("ALICE", "n"));

            ServerMessage.Nick reply = alice.next(ServerMessage.Nick.class);

            assertEquals("alice", reply.old());
            assertEquals("ALICE", reply.nick());
        }
    }

    @Test
    void aLongInvalidNickIsQuotedInItsErrorCutAtACodePointBoundary() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient client = TestClient.connect(server.address())) {
            String emoji = "\uD83D\uDE00".repeat(50); // 50 code points, 100 UTF-16 units
            client.send(new ClientMessage.Hello(emoji, null, null, null, "h"));

            String message = client.nextError(ErrorCode.BAD_NICK, "h").message();

            for (int i = 0; i < message.length(); i++) {
                char c = message.charAt(i);
                boolean paired = Character.isHighSurrogate(c) ? i + 1 < message.length()
                        && Character.isLowSurrogate(message.charAt(++i)) : !Character.isLowSurrogate(c);
                assertTrue(paired, "no half of a surrogate pair at " + i + ": " + message);
            }
            assertTrue(message.contains("\uD83D\uDE00".repeat(40) + "..."), message);
        }
    }

    @Test
    void renamingToOnesOwnCurrentNickIsANoOpThatOnlyTheRequesterHears() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#r");
            bob.join("#r");
            alice.await(ServerMessage.Joined.class);
            alice.send(new ClientMessage.Nick("alice", "same"));

            ServerMessage.Nick reply = alice.next(ServerMessage.Nick.class);

            assertEquals("alice", reply.old());
            assertEquals("alice", reply.nick());
            assertEquals("same", reply.ref());
            assertEquals(List.of(), bob.sync(), "nobody else hears of a rename that changes nothing");
        }
    }

    @Test
    void aServerPasswordIsCheckedInHelloAndHelloCanBeRetried() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().password("s3cret").build());
             TestClient client = TestClient.connect(server.address())) {
            client.send(new ClientMessage.Hello("alice", null, null, null, "none"));
            client.nextError(ErrorCode.BAD_PASSWORD, "none");
            client.send(new ClientMessage.Hello("alice", "S3CRET", null, null, "wrong"));
            client.nextError(ErrorCode.BAD_PASSWORD, "wrong");

            client.send(new ClientMessage.Hello("alice", "s3cret", null, null, "right"));

            ServerMessage.Welcome welcome = client.next(ServerMessage.Welcome.class);
            assertEquals("right", welcome.ref());
        }
    }

    @Test
    void quitIsAnsweredWithByeThenCloseAndRoomMatesSeeReasonQuit() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#r");
            bob.join("#r");
            alice.next(ServerMessage.Joined.class);
            // Pipelined: the say is processed and answered before the bye.
            bob.send(new ClientMessage.Say("#r", "last words", "s"));
            bob.send(new ClientMessage.Quit("q"));

            assertEquals("s", bob.next(ServerMessage.ChatMessage.class).ref());
            assertEquals("q", bob.next(ServerMessage.Bye.class).ref());
            assertEquals(List.of(), bob.readUntilClosed());

            assertEquals("last words", alice.next(ServerMessage.ChatMessage.class).text());
            ServerMessage.Parted parted = alice.next(ServerMessage.Parted.class);
            assertEquals("bob", parted.nick());
            assertEquals(ServerMessage.Parted.REASON_QUIT, parted.reason());
            assertEquals(null, parted.ref());
        }
    }

    @Test
    void aClosedConnectionLeavesItsRoomsWithReasonDisconnect() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.join("#one");
            alice.join("#two");
            try (TestClient bob = TestClient.welcomed(server, "bob")) {
                bob.join("#one");
                bob.join("#two");
            }

            List<ServerMessage.Parted> parted = List.of(alice.await(ServerMessage.Parted.class),
                    alice.await(ServerMessage.Parted.class));

            assertEquals(List.of("#one", "#two"), parted.stream().map(ServerMessage.Parted::room).sorted().toList());
            for (ServerMessage.Parted event : parted) {
                assertEquals("bob", event.nick());
                assertEquals(ServerMessage.Parted.REASON_DISCONNECT, event.reason());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 1);
        }
    }

    @Test
    @SuppressWarnings("try") // bob only has to be connected
    void statsReportsTheCounters() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.connect(server.address())) {
            alice.join("#r");
            alice.say("#r", "one");
            alice.say("#r", "two");
            // bob's handler opens its session on its own thread: wait until it has
            await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 2);

            alice.send(new ClientMessage.Stats("s"));

            ServerMessage.Stats stats = alice.next(ServerMessage.Stats.class);
            assertEquals("s", stats.ref());
            Map<String, Long> counters = stats.counters();
            for (String name : List.of("connections", "welcomed", "rooms", "messagesIn", "framesOut",
                    "slowConsumers", "rateLimited", "idleTimeouts", "uptimeSeconds")) {
                assertTrue(counters.containsKey(name), () -> "missing counter " + name + " in " + counters);
            }
            assertEquals(2, counters.get("connections"));
            assertEquals(1, counters.get("welcomed"));
            assertEquals(1, counters.get("rooms"));
            assertEquals(2, counters.get("messagesIn"));
            assertTrue(counters.get("framesOut") >= 5, counters::toString); // welcome, joined, history, 2 messages
            assertEquals(0, counters.get("slowConsumers"));
            assertEquals(server.stats().keySet(), counters.keySet());
        }
    }

    @Test
    void aClientOverTheConnectionLimitGetsServerFullAndIsClosed() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().maxConnections(2).build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            try (TestClient bob = TestClient.welcomed(server, "bob");
                 TestClient third = TestClient.connect(server.address())) {
                List<ServerMessage> frames = third.readUntilClosed();

                assertEquals(1, frames.size(), frames::toString);
                ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, frames.getFirst());
                assertEquals(ErrorCode.SERVER_FULL, error.code());
                assertEquals(List.of(), alice.sync());
                assertEquals(List.of(), bob.sync());
            }
            // A place is free again once bob is gone.
            await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 1);
            try (TestClient carol = TestClient.welcomed(server, "carol")) {
                assertEquals("carol", carol.nick());
            }
        }
    }
}
