package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Survive or die, never limp: when an essential thread dies the server says so, refuses new
 * clients with {@code unavailable} (so the health check fails), and runs its fatal action once.
 */
@Timeout(60)
class ChatServerSupervisionTest {

    @Test
    void anEssentialThreadThatDiesFailsTheServerOnceAndTheHealthCheckSeesIt() throws Exception {
        List<Throwable> fatal = new CopyOnWriteArrayList<>();
        try (ChatServer server = ChatServer.start(TestServers.config().build(), new Supervisor(fatal::add))) {
            assertNull(HealthCheck.probe("127.0.0.1", server.address().getPort()), "healthy at first");
            assertNull(server.failure());
            OutOfMemoryError death = new OutOfMemoryError("provoked");

            Thread.ofPlatform().start(server.supervisor().essential("test-timer", () -> {
                throw death;
            })).join();
            server.supervisor().essential("another", () -> {
                throw new IllegalStateException("second");
            }).run();

            assertEquals(List.of(death), fatal, "the fatal action ran once, for the first death");
            assertTrue(server.failure().contains("test-timer"), server.failure());
            String health = HealthCheck.probe("127.0.0.1", server.address().getPort());
            assertTrue(health != null && health.contains("unavailable"), "unhealthy: " + health);
            try (TestClient late = TestClient.connect(server.address())) {
                ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, late.next());
                assertEquals(ErrorCode.UNAVAILABLE, error.code());
            }
        }
    }

    @Test
    void embeddedAServerWhoseEssentialThreadDiedClosesItself() throws Exception {
        ChatServer server = ChatServer.start(TestServers.config().build());
        try (TestClient alice = TestClient.welcomed(server, "alice")) {
            server.supervisor().essential("test-timer", () -> {
                throw new StackOverflowError("provoked");
            }).run();

            assertInstanceOf(ServerMessage.Shutdown.class, alice.await(ServerMessage.Shutdown.class));
            await().atMost(Duration.ofSeconds(30)).until(() -> server.connectionCount() == 0);
        } finally {
            server.close();
        }
    }
}
