package dev.loomchat.client;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.ChatServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Startup without a server, reconnect after a server restart, and giving up when told not to retry. */
class ConnectionFailureTest {

    @Test
    void noServerAtStartIsOneLineAndExitOne() throws Exception {
        int port = TestServers.freePort();
        try (var client = PipedClient.start(port, "--nick", "bob")) {
            assertEquals(1, client.exitStatus());
            assertEquals("loomchat: cannot connect to 127.0.0.1:" + port + ": Connection refused"
                    + " (is a server running? start one with ./loomchat server --port " + port + ")\n",
                    client.err.text().replace("\r\n", "\n"));
            assertEquals("", client.out.text());
        }
    }

    @Test
    void everyHostIsTriedInOrder() throws Exception {
        int dead = TestServers.freePort();
        try (ChatServer server = TestServers.start(0);
             var client = PipedClient.withArgs("--host", "127.0.0.1:" + dead + ",127.0.0.1:" + TestServers.port(server),
                     "--nick", "bob")) {
            client.awaitLine("welcome bob");
            client.assertFinishesWith(0);
        }
    }

    @Test
    void reconnectsAfterAServerRestartAndRejoins() throws Exception {
        ChatServer first = TestServers.start(0);
        int port = TestServers.port(first);
        try (var alice = PipedClient.welcomed(port, "alice", "--room", "#r", "--room", "#s")) {
            alice.line("/switch #r");
            alice.line("before");
            alice.awaitLine("message #r alice: before");
            first.close();
            alice.awaitLine("connection lost, reconnecting");
            try (ChatServer second = TestServers.start(port)) {
                assertEquals(port, TestServers.port(second));
                alice.awaitLine("reconnected alice");
                alice.awaitLine("joined #r alice");
                alice.awaitLine("joined #s alice");
                try (var bob = PipedClient.welcomed(port, "bob", "--room", "#r")) {
                    alice.awaitLine("joined #r bob");
                    alice.line("after"); // still goes to #r, the current room before the drop
                    bob.awaitLine("message #r alice: after");
                    bob.assertFinishesWith(0);
                }
                alice.assertFinishesWith(0);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void withoutReconnectADropEndsWithExitOne() throws Exception {
        ChatServer server = TestServers.start(0);
        try (var alice = PipedClient.welcomed(TestServers.port(server), "alice", "--no-reconnect")) {
            server.close();
            alice.awaitLine("connection lost");
            assertEquals(1, alice.exitStatus()); // at once, without waiting for input
        } finally {
            server.close();
        }
    }

    @Test
    void keepalivePingsAreAnswered() throws Exception {
        var config = ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0)
                .idleTimeout(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(300)).build();
        try (ChatServer server = ChatServer.start(config);
             var alice = PipedClient.start(TestServers.port(server), "--nick", "alice", "--json")) {
            // Three pings in a row: had the client not answered the first, the server would have dropped it.
            await().atMost(PipedClient.TIMEOUT).until(() -> alice.lines().stream()
                    .filter(line -> line.equals("{\"type\":\"ping\"}")).count() >= 3);
            alice.assertFinishesWith(0);
            assertEquals("", alice.err.text());
        }
    }

    @Test
    void aWrongPasswordIsOneLineAndExitOne() throws Exception {
        var config = ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0).password("sesame").build();
        try (ChatServer server = ChatServer.start(config)) {
            int port = TestServers.port(server);
            try (var right = PipedClient.start(port, "--nick", "alice", "--password", "sesame")) {
                right.awaitLine("welcome alice");
                right.assertFinishesWith(0);
            }
            try (var wrong = PipedClient.start(port, "--nick", "bob", "--password", "guess")) {
                assertEquals(1, wrong.exitStatus());
                // Said once, on stderr, and not also as an "error bad_password" event.
                assertEquals(List.of(), wrong.lines());
                assertEquals(1, wrong.err.text().lines().count(), wrong.err.text());
                assertTrue(wrong.err.text().startsWith("loomchat: the server refused hello: bad_password: "),
                        wrong.err.text());
            }
        }
    }

    @Test
    void aFullServerIsOneLineAndExitOne() throws Exception {
        var config = ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0).maxConnections(1).build();
        try (ChatServer server = ChatServer.start(config);
             var first = PipedClient.welcomed(TestServers.port(server), "alice");
             var second = PipedClient.start(TestServers.port(server), "--nick", "bob")) {
            assertEquals(1, second.exitStatus());
            assertEquals(List.of(), second.lines());
            assertEquals(1, second.err.text().lines().count(), second.err.text());
            assertTrue(second.err.text().startsWith("loomchat: the server refused the connection: server_full: "),
                    second.err.text());
            first.assertFinishesWith(0);
        }
    }

    @Test
    void endOfInputWhileDisconnectedIsExitOne() throws Exception {
        ChatServer server = TestServers.start(0);
        try (var alice = PipedClient.welcomed(TestServers.port(server), "alice")) {
            server.close();
            alice.awaitLine("connection lost, reconnecting");
            assertEquals(1, alice.finish());
        } finally {
            server.close();
        }
    }
}
