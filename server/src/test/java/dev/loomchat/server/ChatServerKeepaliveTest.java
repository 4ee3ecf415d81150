package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keepalive (PROTOCOL.md §8): ping after idleTimeout of silence, idle_timeout after pingTimeout more. */
@Timeout(60)
class ChatServerKeepaliveTest {

    private static final Duration IDLE = Duration.ofMillis(300);
    private static final Duration PING = Duration.ofMillis(300);

    private static ChatConfig keepaliveConfig() {
        return TestServers.config().idleTimeout(IDLE).pingTimeout(PING).build();
    }

    @Test
    void aSilentClientIsPingedAndAnAnsweredPingKeepsTheSession() throws Exception {
        try (ChatServer server = ChatServer.start(keepaliveConfig());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            for (int round = 0; round < 3; round++) {
                long silentSince = System.nanoTime();

                alice.next(ServerMessage.Ping.class);

                assertTrue(System.nanoTime() - silentSince >= IDLE.toNanos() - 50_000_000L,
                        "no ping before the idle timeout");
                alice.send(new ClientMessage.Pong());
            }
            assertEquals(List.of(), alice.sync(), "still connected and served");
            assertEquals(0, server.stats().get("idleTimeouts"));
        }
    }

    @Test
    void anyFrameAnswersTheKeepalive() throws Exception {
        try (ChatServer server = ChatServer.start(keepaliveConfig());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.next(ServerMessage.Ping.class);
            alice.sendLine("not even json");
            alice.nextError(ErrorCode.BAD_JSON);

            assertInstanceOf(ServerMessage.Ping.class, alice.next(), "pinged again rather than dropped");
        }
    }

    @Test
    void anUnansweredPingEndsTheSessionWithIdleTimeoutAndRoomMatesSeeWhy() throws Exception {
        try (ChatServer server = ChatServer.start(keepaliveConfig());
             TestClient observer = TestClient.welcomed(server, "observer");
             TestClient sleeper = TestClient.welcomed(server, "sleeper")) {
            sleeper.join("#r");
            observer.join("#r");
            FutureTask<Void> keepAnswering = new FutureTask<>(() -> answerPings(observer), null);
            Thread.ofVirtual().start(keepAnswering);
            try {
                List<ServerMessage> frames = sleeper.readUntilClosed();

                // The observer's joined may come before or after the ping; then the error, last.
                assertEquals(3, frames.size(), frames::toString);
                assertEquals(1, frames.stream().filter(ServerMessage.Joined.class::isInstance).count(), frames::toString);
                assertInstanceOf(ServerMessage.Ping.class, frames.get(frames.get(0) instanceof ServerMessage.Ping ? 0 : 1));
                ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, frames.get(2), frames::toString);
                assertEquals(ErrorCode.IDLE_TIMEOUT, error.code());
            } finally {
                keepAnswering.get(60, TimeUnit.SECONDS); // rethrows the observer's assertion failures
            }
            assertEquals(1, server.stats().get("idleTimeouts"));
        }
    }

    /** The observer answers every ping until it sees the sleeper part, then checks the reason. */
    private static void answerPings(TestClient observer) {
        try {
            observer.send(new ClientMessage.Pong());
            while (true) {
                ServerMessage message = observer.next();
                if (message instanceof ServerMessage.Ping) {
                    observer.send(new ClientMessage.Pong());
                } else if (message instanceof ServerMessage.Parted parted) {
                    assertEquals("sleeper", parted.nick());
                    assertEquals(ServerMessage.Parted.REASON_IDLE_TIMEOUT, parted.reason());
                    return;
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aClientThatConnectsAndSendsNothingIsPingedThenClosed() throws Exception {
        try (ChatServer server = ChatServer.start(keepaliveConfig());
             TestClient silent = TestClient.connect(server.address())) {
            List<ServerMessage> frames = silent.readUntilClosed();

            assertEquals(2, frames.size(), frames::toString);
            assertInstanceOf(ServerMessage.Ping.class, frames.get(0));
            assertEquals(ErrorCode.IDLE_TIMEOUT, assertInstanceOf(ServerMessage.Error.class, frames.get(1)).code());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 0);
        }
    }
}
