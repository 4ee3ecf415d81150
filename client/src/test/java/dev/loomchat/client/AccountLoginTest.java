package dev.loomchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.server.ChatServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --account-password}: the client logs in to the account that owns its nick; a guest or a wrong password is refused. */
@Timeout(60)
class AccountLoginTest {

    @Test
    void theAccountPasswordLogsInAndAGuestOrAWrongPasswordIsOneLineAndExitOne() throws Exception {
        try (ChatServer server = TestServers.start(0)) {
            int port = TestServers.port(server);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("{\"type\":\"register\",\"nick\":\"alice\",\"accountPassword\":\"correct horse battery\","
                        + "\"ref\":\"r\"}\n").getBytes(StandardCharsets.UTF_8));
                String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertEquals("{\"type\":\"account\",\"account\":\"alice\",\"event\":\"registered\",\"ref\":\"r\"}", reply);
            }
            try (var alice = PipedClient.start(port, "--nick", "alice", "--account-password", "correct horse battery")) {
                alice.awaitLine("welcome alice");
                alice.assertFinishesWith(0);
            }
            try (var guest = PipedClient.start(port, "--nick", "alice")) {
                assertEquals(1, guest.exitStatus());
                assertTrue(guest.err.text().startsWith("loomchat: the server refused hello: nick_registered: "),
                        guest.err.text());
            }
            try (var wrong = PipedClient.start(port, "--nick", "alice", "--account-password", "a wrong guess")) {
                assertEquals(1, wrong.exitStatus());
                assertTrue(wrong.err.text().startsWith("loomchat: the server refused hello: bad_credentials: "),
                        wrong.err.text());
            }
        }
    }
}
