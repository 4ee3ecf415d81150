package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Idle connections (README, "How the chat server is built"): a quiet client's connection waits for input
 * without a thread ({@code parked} in {@code stats}), and is served as before when it speaks,
 * receives while parked, and ends cleanly however it ends.
 */
@Timeout(90)
class ChatServerIdleParkingTest {

    private static final Duration PARKING = Duration.ofSeconds(20);

    private static long parked(ChatServer server) {
        return server.stats().get("parked");
    }

    private static void awaitParked(ChatServer server, long count) {
        await().atMost(PARKING).until(() -> parked(server) == count);
    }

    @Test
    void aQuietClientIsParkedAndServedAgainWhenItSpeaks() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            awaitParked(server, 1);

            assertEquals(List.of(), alice.join("#idle"), "joined from a parked connection");
            assertEquals("hello", alice.say("#idle", "hello").text());

            awaitParked(server, 1); // quiet again
            assertEquals(List.of(), alice.sync(), "still served");
            assertEquals(1, server.connectionCount());
        }
    }

    @Test
    void aParkedClientReceivesWhatOthersSay() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#r");
            bob.join("#r");
            alice.next(ServerMessage.Joined.class); // bob's
            awaitParked(server, 2);

            for (int i = 0; i < 50; i++) {
                bob.say("#r", "line " + i);
            }

            for (int i = 0; i < 50; i++) {
                assertEquals("line " + i, alice.next(ServerMessage.ChatMessage.class).text());
            }
            awaitParked(server, 2);
        }
    }

    @Test
    void aParkedClientThatGoesAwayEndsItsSessionAndRoomMatesSeeIt() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#r");
            bob.join("#r");
            awaitParked(server, 2);

            alice.close();

            ServerMessage.Parted parted = bob.next(ServerMessage.Parted.class);
            assertEquals("alice", parted.nick());
            await().atMost(PARKING).until(() -> server.connectionCount() == 1);
            assertTrue(parked(server) <= 1, "alice is no longer parked");
        }
    }

    @Test
    void aParkedClientIsKickedOutAndClosed() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            awaitParked(server, 1);

            server.close(); // graceful shutdown: the notice, then the close

            List<ServerMessage> frames = alice.readUntilClosed();
            assertInstanceOf(ServerMessage.Shutdown.class, frames.getLast(), () -> "got " + frames);
            assertEquals(0, server.connectionCount());
        }
    }

    @Test
    void aParkedClientThatStopsReadingIsCutOffAndTheRoomGoesOn() throws Exception {
        ChatConfig config = TestServers.config().outboxFrames(64).outboxBytes(512 * 1024).build();
        try (ChatServer server = ChatServer.start(config);
             TestClient stuck = TestClient.connect(server.address(), TestClient.READ_TIMEOUT, 4096);
             TestClient talker = TestClient.welcomed(server, "talker")) {
            stuck.hello("stuck");
            stuck.join("#r");
            talker.join("#r");
            awaitParked(server, 2);

            // Far more than the stuck client's socket buffers and outbox hold: its writer finds the
            // socket full while parked, must block, and the outbox overflows.
            String text = "x".repeat(3000);
            int sent = 0;
            while (server.stats().get("slowConsumers") == 0 && sent < 5000) {
                talker.send(new ClientMessage.Say("#r", text, null));
                if (++sent % 50 == 0) {
                    talker.sync(); // the talker reads its own copies: it is not the slow one
                }
            }

            ServerMessage.Parted cutOff = talker.await(ServerMessage.Parted.class);
            assertEquals("stuck", cutOff.nick());
            assertEquals(ServerMessage.Parted.REASON_SLOW_CONSUMER, cutOff.reason());
            assertEquals("hi", talker.say("#r", "hi").text(), "the room goes on");
            await().atMost(PARKING).until(() -> server.connectionCount() == 1);
        }
    }

    @Test
    void aQuietIrcClientIsParkedAndReceivesAndSpeaksAsBefore() throws Exception {
        try (ChatServer server = ChatServer.start(IrcServers.config().build());
             IrcTestClient iris = IrcTestClient.registered(IrcServers.irc(server), "iris");
             TestClient jason = TestClient.welcomed(server, "jason")) {
            iris.send("JOIN #room");
            iris.expect("366");
            jason.join("#room");
            iris.expect("JOIN");
            awaitParked(server, 2);

            jason.say("#room", "to a parked irc client");
            assertEquals(":jason!chat@loomchat PRIVMSG #room :to a parked irc client", iris.expect("PRIVMSG").raw());

            iris.send("PRIVMSG #room :and back");
            assertEquals("and back", jason.await(ServerMessage.ChatMessage.class).text());
            awaitParked(server, 2);
            iris.send("QUIT :bye");
            assertEquals("iris", jason.await(ServerMessage.Parted.class).nick());
            await().atMost(PARKING).until(() -> server.connectionCount() == 1);
        }
    }
}
