package dev.loomchat.client;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.ChatServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's own keepalive ({@code --ping-after}, {@code --ping-timeout}): a server that goes
 * silent is noticed and the client reconnects; a server that answers keeps the connection.
 * The intervals are shortened with the options; every wait is bounded by Awaitility.
 */
class KeepaliveTest {

    @Test
    void aServerThatGoesSilentIsNoticedAndTheClientReconnects() throws Exception {
        try (var server = new SilentServer();
             var alice = PipedClient.start(server.port(), "--nick", "alice", "--json",
                     "--ping-after", "200ms", "--ping-timeout", "300ms")) {
            await().atMost(PipedClient.TIMEOUT).until(() -> alice.err.text().contains("connection lost, reconnecting"));
            await().atMost(PipedClient.TIMEOUT).until(() -> alice.err.text().contains("reconnected alice"));
            assertEquals(2, server.accepted());
            // The first connection was given up because a ping went unanswered, not for anything else.
            String unread = server.unreadOnFirst();
            assertTrue(unread.contains("{\"type\":\"ping\",\"ref\":\"ping1\"}"), unread);
            alice.assertFinishesWith(0);
        }
    }

    @Test
    void theReasonIsShownInATerminalStyleNotice() {
        var format = new TerminalFormat(false, java.time.ZoneOffset.UTC);
        assertEquals("00:00 !! connection lost (no answer to a ping within 300 ms), reconnecting\u2026",
                format.format(new Notice.ConnectionLost("no answer to a ping within 300 ms", true), 0));
    }

    @Test
    void pingsThatAreAnsweredKeepTheConnection() throws Exception {
        var config = ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0).build();
        try (ChatServer server = ChatServer.start(config);
             var alice = PipedClient.start(TestServers.port(server), "--nick", "alice", "--json",
                     "--ping-after", "100ms", "--ping-timeout", "10s")) {
            // Three answered pings in a row on the one connection: silence alone is no reason to drop it.
            await().atMost(PipedClient.TIMEOUT).until(() -> alice.lines().stream()
                    .filter(line -> line.startsWith("{\"type\":\"pong\",\"ref\":\"ping")).count() >= 3);
            alice.assertFinishesWith(0);
            assertEquals("", alice.err.text());
            assertEquals(1, alice.lines().stream().filter(line -> line.startsWith("{\"type\":\"welcome\"")).count());
        }
    }

    @Test
    void pingAfterZeroSendsNoPings() throws Exception {
        try (var server = new SilentServer();
             var alice = PipedClient.start(server.port(), "--nick", "alice", "--json", "--ping-after", "0",
                     "--ping-timeout", "100ms")) {
            await().atMost(PipedClient.TIMEOUT).until(() -> !alice.lines().isEmpty());
            // Ten times what pinging would need to give the silent connection up.
            await().during(Duration.ofSeconds(1)).atMost(PipedClient.TIMEOUT)
                    .until(() -> !alice.err.text().contains("connection lost"));
            assertEquals(1, server.accepted());
        }
    }

    @Test
    void badKeepaliveOptionsAreUsageErrors() throws Exception {
        for (List<String> args : List.of(List.of("--ping-after", "soon"), List.of("--ping-timeout", "0"),
                List.of("--ping-after", "-1s"))) {
            try (var client = PipedClient.withArgs(args.toArray(String[]::new))) {
                assertEquals(ChatClientMain.EXIT_USAGE, client.exitStatus(), args.toString());
                assertTrue(client.err.text().startsWith("loomchat client: " + args.getFirst()), client.err.text());
            }
        }
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals("15 s", Durations.format(Duration.ofSeconds(15)));
        assertEquals("300 ms", Durations.format(Duration.ofMillis(300)));
        assertEquals("1.5 s", Durations.format(Duration.ofMillis(1500)));
    }
}
