package dev.loomchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.ChatServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a server that keeps history (a store): a client that missed more than one replay's worth
 * catches up page by page after it reconnects, showing each missed message once and in order;
 * {@code /history} pages back through older messages.
 */
@Timeout(120)
class CatchUpAfterReconnectTest {

    @TempDir
    Path temp;

    private ChatServer server;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.start(ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0)
                .idleTimeout(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1))
                .dataDir(temp.resolve("data")).build());
        proxy = new TcpProxy(TestServers.port(server));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        server.close();
    }

    @Test
    void aClientThatMissed500MessagesGetsEachOnceInOrder() throws Exception {
        try (var alice = PipedClient.start(proxy.port(), "--nick", "alice", "--room", "#r", "--ping-after", "200ms",
                "--ping-timeout", "1s");
             var bob = PipedClient.welcomed(TestServers.port(server), "bob", "--room", "#r")) {
            alice.awaitLine("history #r 0");
            bob.line("before");
            alice.awaitLine("message #r bob: before");
            proxy.freeze();
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                bob.line("missed " + i);
                missed.add("replay #r bob: missed " + i);
            }
            bob.awaitLine("message #r bob: missed 499");
            alice.awaitLine("reconnected alice");
            alice.awaitLine("history #r 500");
            List<String> lines = alice.lines();
            List<String> after = lines.subList(lines.indexOf("reconnected alice"), lines.size());
            List<String> expected = new ArrayList<>(List.of("reconnected alice", "joined #r alice"));
            expected.addAll(missed);
            expected.add("history #r 500");
            assertEquals(expected, after.subList(0, expected.size()), "each missed message once, in order");
            assertEquals(1, lines.stream().filter(l -> l.endsWith("bob: before")).count(), lines::toString);
            bob.assertFinishesWith(0);
            alice.assertFinishesWith(0);
        }
    }

    @Test
    void historyPagesBackThroughOlderMessages() throws Exception {
        try (var bob = PipedClient.welcomed(TestServers.port(server), "bob", "--room", "#p")) {
            for (int i = 0; i < 7; i++) {
                bob.line("m" + i);
            }
            bob.awaitLine("message #p bob: m6");
            bob.line("/history 3");
            bob.awaitLine("history #p 3");
            bob.line("/history 3");
            bob.awaitLine("replay #p bob: m1");
            bob.line("/history 3");
            bob.awaitLine("replay #p bob: m0");
            bob.line("/history 2");
            bob.assertFinishesWith(0);
            List<String> replays = bob.lines().stream().filter(l -> l.startsWith("replay ")).toList();
            assertEquals(List.of("replay #p bob: m4", "replay #p bob: m5", "replay #p bob: m6",
                    "replay #p bob: m1", "replay #p bob: m2", "replay #p bob: m3",
                    "replay #p bob: m0",
                    "replay #p bob: m5", "replay #p bob: m6"), replays,
                    "pages back, and after the oldest starts again at the newest");
        }
    }
}
