package dev.loomchat.client;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.ChatServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --unix PATH}: the client talks to the server's Unix socket. */
class UnixSocketTest {

    @TempDir
    Path dir;

    @Test
    void chatsOverTheServersUnixSocket() throws Exception {
        Path socket = dir.resolve("chat.sock");
        var config = ChatConfig.builder().host("127.0.0.1").port(0).unixPath(socket).msgRate(0).build();
        try (ChatServer server = ChatServer.start(config);
             var alice = PipedClient.withArgs("--unix", socket.toString(), "--nick", "alice", "--room", "#u");
             var bob = PipedClient.welcomed(TestServers.port(server), "bob", "--room", "#u")) {
            alice.awaitLine("welcome alice");
            alice.line("hi over AF_UNIX");
            bob.awaitLine("message #u alice: hi over AF_UNIX");
            alice.assertFinishesWith(0);
            assertEquals(List.of("welcome alice", "joined #u alice", "history #u 0", "message #u alice: hi over AF_UNIX",
                    "bye"), alice.lines().stream().filter(line -> !line.startsWith("joined #u bob")).toList());
            bob.assertFinishesWith(0);
        }
    }

    @Test
    void aMissingSocketIsOneLineWithAHint() throws Exception {
        Path socket = dir.resolve("none.sock");
        try (var alice = PipedClient.withArgs("--unix", socket.toString(), "--nick", "alice")) {
            assertEquals(1, alice.exitStatus());
            assertEquals("loomchat: cannot connect to " + socket + ": No such file or directory"
                    + " (is a server running? start one with ./loomchat server --unix " + socket + ")",
                    alice.err.text().strip());
        }
    }

    @Test
    void aHostGivenAsWellIsTheFallback() throws Exception {
        try (ChatServer server = TestServers.start(0);
             var alice = PipedClient.withArgs("--unix", dir.resolve("none.sock").toString(),
                     "--port", Integer.toString(TestServers.port(server)), "--nick", "alice")) {
            alice.awaitLine("welcome alice");
            alice.assertFinishesWith(0);
            assertTrue(alice.err.text().isEmpty(), alice.err.text());
        }
    }
}
