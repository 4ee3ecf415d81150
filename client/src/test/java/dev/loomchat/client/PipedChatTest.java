package dev.loomchat.client;

import dev.loomchat.server.ChatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Non-interactive clients against a real server in this JVM. */
class PipedChatTest {

    private ChatServer server;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start(0);
        port = TestServers.port(server);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void twoClientsChat() throws Exception {
        try (var alice = PipedClient.welcomed(port, "alice", "--room", "#lobby");
             var bob = PipedClient.welcomed(port, "bob", "--room", "lobby")) {
            alice.awaitLine("joined #lobby bob");
            bob.line("hi alice");
            alice.awaitLine("message #lobby bob: hi alice");
            bob.awaitLine("message #lobby bob: hi alice");
            alice.line("/me waves");
            bob.awaitLine("message #lobby alice: /me waves");
            bob.line("/nick bobby");
            alice.awaitLine("nick bob -> bobby");
            alice.line("/who");
            alice.awaitLine("who #lobby alice bobby");
            bob.assertFinishesWith(0);
            assertEquals("bye", bob.lines().getLast());
            alice.awaitLine("parted #lobby bobby (quit)");
            alice.assertFinishesWith(0);
            assertEquals(List.of("welcome bob", "joined #lobby bob", "history #lobby 0", "message #lobby bob: hi alice",
                    "message #lobby alice: /me waves", "nick bob -> bobby", "bye"), bob.lines());
        }
    }

    @Test
    void privateMessages() throws Exception {
        try (var alice = PipedClient.welcomed(port, "alice");
             var bob = PipedClient.welcomed(port, "bob")) {
            alice.line("/msg BOB psst");
            bob.awaitLine("private alice -> bob: psst");
            alice.awaitLine("private alice -> bob: psst");
            alice.line("/msg nobody hello?");
            alice.awaitLine("error no_such_nick: no client is called nobody");
            bob.assertFinishesWith(0);
            alice.assertFinishesWith(0);
        }
    }

    @Test
    void linesFromAPipeRunInOrderAndEveryRequestIsAnsweredBeforeQuit() throws Exception {
        try (var bob = PipedClient.start(port, "--nick", "bob")) {
            bob.line("/join #a");
            bob.line("hello");
            bob.line("/join #b");
            for (int i = 0; i < 30; i++) {
                bob.line("line " + i);
            }
            bob.line("/part #b");
            bob.line("still here");
            bob.assertFinishesWith(0);
            var lines = bob.lines();
            assertEquals(List.of("welcome bob", "joined #a bob", "history #a 0", "message #a bob: hello",
                    "joined #b bob", "history #b 0"), lines.subList(0, 6));
            for (int i = 0; i < 30; i++) {
                assertEquals("message #b bob: line " + i, lines.get(6 + i));
            }
            assertEquals(List.of("parted #b bob (part)", "message #a bob: still here", "bye"),
                    lines.subList(36, lines.size()));
        }
    }

    @Test
    void clientSideErrorsAreOneLineAndNotFatal() throws Exception {
        try (var bob = PipedClient.start(port, "--nick", "bob")) {
            bob.line("hello?");
            bob.line("/frob");
            bob.line("/msg bob");
            bob.line("/nick bad nick");
            bob.line("/join");
            bob.line("/switch #nowhere");
            bob.line("/join #a");
            bob.line("/join #a");
            bob.assertFinishesWith(0);
            assertEquals(List.of(
                    "welcome bob",
                    "error no_room: you are not in a room: /join #room first",
                    "error unknown_command: unknown command /frob (try /help)",
                    "error usage: /msg nick text",
                    "error bad_nick: invalid nick 'bad nick': 1-32 of A-Z a-z 0-9 _ - [ ] \\ ^ { } | `, "
                            + "not starting with a digit or -",
                    "error usage: /join #room",
                    "error not_in_room: you are not in #nowhere (/join #nowhere first)",
                    "joined #a bob", "history #a 0"), bob.lines().subList(0, 9));
            assertTrue(bob.lines().get(9).startsWith("error already_in_room: "), bob.lines().get(9));
            assertEquals("bye", bob.lines().getLast());
        }
    }

    @Test
    void historyIsReplayedOnJoinAndOnRequest() throws Exception {
        try (var alice = PipedClient.welcomed(port, "alice", "--room", "#h")) {
            alice.line("one");
            alice.line("two");
            alice.awaitLine("message #h alice: two");
            try (var bob = PipedClient.welcomed(port, "bob", "--room", "#h")) {
                bob.awaitLine("history #h 2");
                bob.line("/history 1");
                bob.assertFinishesWith(0);
                assertEquals(List.of("welcome bob", "joined #h bob", "replay #h alice: one", "replay #h alice: two",
                        "history #h 2", "replay #h alice: two", "history #h 1", "bye"), bob.lines());
            }
            alice.assertFinishesWith(0);
        }
    }

    @Test
    void aTakenNickGetsAnUnderscore() throws Exception {
        try (var first = PipedClient.welcomed(port, "alice");
             var second = PipedClient.start(port, "--nick", "alice")) {
            second.awaitLine("welcome alice_");
            assertTrue(second.lines().getFirst().startsWith("error nick_in_use: "), second.lines().toString());
            second.assertFinishesWith(0);
            first.assertFinishesWith(0);
        }
    }

    @Test
    void jsonModePrintsRawFrames() throws Exception {
        try (var bob = PipedClient.start(port, "--nick", "bob", "--json", "--room", "#j")) {
            bob.line("hi");
            bob.assertFinishesWith(0);
            var lines = bob.lines();
            assertTrue(lines.getFirst().startsWith("{\"type\":\"welcome\",\"nick\":\"bob\""), lines.getFirst());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"type\":\"message\"") && l.contains("\"text\":\"hi\"")),
                    lines.toString());
            assertTrue(lines.getLast().startsWith("{\"type\":\"bye\""), lines.getLast());
        }
    }

    @Test
    void nonAsciiTextSurvivesTheRoundTrip() throws Exception {
        try (var bob = PipedClient.start(port, "--nick", "bob", "--room", "#u")) {
            bob.line("héllo wörld ✓ 😀");
            bob.assertFinishesWith(0);
            assertTrue(bob.lines().contains("message #u bob: héllo wörld ✓ 😀"), bob.lines().toString());
        }
    }
}
