package dev.loomchat.client;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.ChatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Reconnecting to a server that kept the session's history and, for a while, its nick: the
 * client's path to a real server runs through a {@link TcpProxy} that turns into a dead path,
 * which the client notices with its keepalive.
 */
class ReconnectSessionTest {

    private ChatServer server;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws Exception {
        // The server drops a silent client after 1 s + 1 s, so the frozen session's nick comes free.
        server = ChatServer.start(ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0)
                .idleTimeout(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1)).build());
        proxy = new TcpProxy(TestServers.port(server));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        server.close();
    }

    private PipedClient aliceThroughTheProxy(String... more) {
        var args = new java.util.ArrayList<>(List.of("--nick", "alice", "--room", "#r",
                "--ping-after", "200ms", "--ping-timeout", "1s"));
        args.addAll(List.of(more));
        var alice = PipedClient.start(proxy.port(), args.toArray(String[]::new));
        alice.awaitLine("history #r 0"); // started: welcomed and in #r
        return alice;
    }

    @Test
    void onlyMissedMessagesAreReplayedAndTheTrailerCountsThem() throws Exception {
        try (var alice = aliceThroughTheProxy();
             var bob = PipedClient.welcomed(TestServers.port(server), "bob", "--room", "#r")) {
            bob.line("before");
            alice.awaitLine("message #r bob: before");
            proxy.freeze();
            bob.line("missed");
            bob.awaitLine("message #r bob: missed");
            alice.awaitLine("connection lost, reconnecting");
            // Until the server drops the frozen session, the nick is taken: the client insists on it.
            alice.awaitLine("reconnected alice");
            alice.awaitLine("history #r 1");
            List<String> after = alice.lines().subList(alice.lines().indexOf("reconnected alice"), alice.lines().size());
            assertEquals(List.of("reconnected alice", "joined #r alice", "replay #r bob: missed", "history #r 1"),
                    after.subList(0, 4));
            assertFalse(alice.lines().contains("replay #r bob: before"), alice.lines().toString());
            assertFalse(alice.lines().stream().anyMatch(line -> line.startsWith("error ")), alice.lines().toString());
            bob.assertFinishesWith(0);
            alice.assertFinishesWith(0);
        }
    }

    @Test
    void aNickStillTakenAfterTheKeepNickWindowBecomesNickUnderscore() throws Exception {
        // The server's own keepalive would free the nick after 2 s; the client waits only 300 ms for it.
        try (var alice = aliceThroughTheProxy("--keep-nick-for", "300ms")) {
            proxy.freeze();
            alice.awaitLine("connection lost, reconnecting");
            alice.awaitLine("reconnected alice_");
            alice.awaitLine("history #r 0");
            assertFalse(alice.lines().stream().anyMatch(line -> line.startsWith("error ")), alice.lines().toString());
            alice.assertFinishesWith(0);
        }
    }
}
