package dev.loomchat.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.ChatServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /register}, {@code /password} and {@code /unregister} in a pipe, against a real server:
 * each answered by one line (the server's {@code account} event or its error), and no password
 * ever printed, on stdout or stderr.
 */
@Timeout(60)
class AccountCommandsTest {

    private static final String SECRET = "correct horse battery";
    private static final String NEW_SECRET = "new secret words";

    private static void awaitLineStartingWith(PipedClient client, String prefix) {
        await().atMost(PipedClient.TIMEOUT).until(() -> client.lines().stream().anyMatch(line -> line.startsWith(prefix)));
    }

    private static void assertNoPassword(PipedClient... clients) {
        for (PipedClient client : clients) {
            for (String secret : List.of(SECRET, NEW_SECRET, "correct", "wrongpass")) {
                assertFalse(client.out.text().contains(secret) || client.err.text().contains(secret),
                        () -> "a password was printed: " + client.lines() + " / " + client.err.text());
            }
        }
    }

    @Test
    void registerChangeAndUnregisterEachAnswerOneLineAndNoPasswordIsPrinted() throws Exception {
        try (ChatServer server = TestServers.start(0)) {
            int port = TestServers.port(server);
            var alice = PipedClient.welcomed(port, "alice");
            alice.line("/register \"" + SECRET + "\"");
            alice.awaitLine("account alice registered");
            alice.line("/password wrongpass \"" + NEW_SECRET + "\"");
            awaitLineStartingWith(alice, "error bad_credentials: ");
            alice.line("/password \"" + SECRET + "\" \"" + NEW_SECRET + "\"");
            alice.awaitLine("account alice password_changed");
            alice.line("/register"); // no password, and nobody to ask in a pipe
            alice.awaitLine("error usage: /register password");
            alice.assertFinishesWith(0);
            assertEquals(List.of("welcome alice", "account alice registered", "account alice password_changed", "bye"),
                    alice.lines().stream().filter(line -> !line.startsWith("error ")).toList());

            // The nick is the account's now: a guest is refused it; the new password logs in.
            var guest = PipedClient.start(port, "--nick", "alice");
            assertEquals(1, guest.exitStatus());
            assertTrue(guest.err.text().startsWith("loomchat: the server refused hello: nick_registered: "),
                    guest.err.text());
            var owner = PipedClient.start(port, "--nick", "alice", "--account-password", NEW_SECRET);
            owner.awaitLine("welcome alice");
            owner.line("/unregister wrongpass");
            awaitLineStartingWith(owner, "error bad_credentials: ");
            owner.line("/unregister \"" + NEW_SECRET + "\"");
            owner.awaitLine("account alice deleted");
            owner.assertFinishesWith(0);

            var anyone = PipedClient.welcomed(port, "alice");
            anyone.assertFinishesWith(0);
            assertNoPassword(alice, guest, owner, anyone);
        }
    }

    @Test
    void aReconnectLogsInWithThePasswordJustRegistered() throws Exception {
        // The server drops a silent client after 1 s + 1 s, so the frozen session's nick comes free.
        try (ChatServer server = ChatServer.start(ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0)
                .idleTimeout(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1)).build());
             TcpProxy proxy = new TcpProxy(TestServers.port(server));
             var alice = PipedClient.start(proxy.port(), "--nick", "alice", "--ping-after", "200ms",
                     "--ping-timeout", "1s")) {
            alice.awaitLine("welcome alice");
            alice.line("/register " + "\"" + SECRET + "\"");
            alice.awaitLine("account alice registered");
            proxy.freeze();
            alice.awaitLine("connection lost, reconnecting");
            // A guest's hello would be nick_registered now: the client logs in with what it registered.
            alice.awaitLine("reconnected alice");
            assertFalse(alice.lines().stream().anyMatch(line -> line.startsWith("error ")), alice.lines().toString());
            alice.assertFinishesWith(0);
            assertNoPassword(alice);
        }
    }
}
