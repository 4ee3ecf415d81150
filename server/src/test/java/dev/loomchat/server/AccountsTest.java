package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts on the JSON door (PROTOCOL.md §5 "Accounts"): register, log in with hello, the
 * registered nick refused to everyone else (hello and nick), throttled guessing, password
 * change, deletion, {@code --require-account}, and accounts kept in the store across a restart.
 */
@Timeout(120)
class AccountsTest {

    private static final String SECRET = "correct horse battery";

    @TempDir
    Path temp;

    private ChatServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ChatServer start(ChatConfig.Builder config) throws Exception {
        server = ChatServer.start(config.build());
        return server;
    }

    /** Sends a raw JSON line (unless null) and returns the reply that carries {@code ref}. */
    static ServerMessage request(TestClient client, String json, String ref) throws Exception {
        if (json != null) {
            client.sendLine(json);
        }
        while (true) {
            ServerMessage message = client.next();
            if (ref.equals(message.ref())) {
                return message;
            }
        }
    }

    /** Waits until nobody holds {@code nick} (a closed connection's nick is released once the server has seen it go). */
    static void awaitNickFree(ChatServer server, String nick) throws Exception {
        try (TestClient watcher = TestClient.welcomed(server, "watcher" + System.nanoTime() % 100000)) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                watcher.sendLine("{\"type\":\"msg\",\"to\":\"" + nick + "\",\"text\":\"?\",\"ref\":\"w\"}");
                ServerMessage reply = request(watcher, null, "w");
                return reply instanceof ServerMessage.Error error && error.code() == ErrorCode.NO_SUCH_NICK;
            });
        }
    }

    private static void expectError(ErrorCode code, ServerMessage reply) {
        assertTrue(reply instanceof ServerMessage.Error error && error.code() == code,
                () -> "expected " + code + ", got " + reply);
    }

    private static void register(TestClient client) throws Exception {
        ServerMessage reply = request(client, "{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"reg\"}",
                "reg");
        assertEquals(new ServerMessage.Account(client.nick().toLowerCase(), "registered", "reg"), reply);
    }

    private static ServerMessage login(TestClient client, String nick, String password) throws Exception {
        return request(client, "{\"type\":\"hello\",\"nick\":\"" + nick + "\",\"accountPassword\":\"" + password
                + "\",\"ref\":\"h\"}", "h");
    }

    @Test
    void aRegisteredNickIsItsOwnersOnHelloAndNickAndTheOwnerLogsIn() throws Exception {
        start(TestServers.config());
        try (TestClient alice = TestClient.welcomed(server, "Alice")) {
            register(alice);
        }
        awaitNickFree(server, "alice");
        try (TestClient guest = TestClient.connect(server.address());
             TestClient bob = TestClient.welcomed(server, "bob")) {
            expectError(ErrorCode.NICK_REGISTERED,
                    request(guest, "{\"type\":\"hello\",\"nick\":\"ALICE\",\"ref\":\"g\"}", "g"));
            expectError(ErrorCode.BAD_CREDENTIALS, login(guest, "alice", "not the password"));
            expectError(ErrorCode.NICK_REGISTERED,
                    request(bob, "{\"type\":\"nick\",\"nick\":\"alice\",\"ref\":\"n\"}", "n"));

            ServerMessage welcome = login(guest, "alice", SECRET);
            assertEquals("alice", ((ServerMessage.Welcome) welcome).nick());
            // The owner may leave her nick and come back to it.
            assertTrue(request(guest, "{\"type\":\"nick\",\"nick\":\"alice_away\",\"ref\":\"n1\"}", "n1")
                    instanceof ServerMessage.Nick);
            assertTrue(request(guest, "{\"type\":\"nick\",\"nick\":\"Alice\",\"ref\":\"n2\"}", "n2")
                    instanceof ServerMessage.Nick);
        }
    }

    @Test
    void guessingIsThrottledPerAccountEvenWithTheRightPasswordAfterwards() throws Exception {
        start(TestServers.config());
        try (TestClient alice = TestClient.welcomed(server, "alice")) {
            register(alice);
        }
        try (TestClient guesser = TestClient.connect(server.address())) {
            for (int i = 0; i < 5; i++) {
                expectError(ErrorCode.BAD_CREDENTIALS, login(guesser, "alice", "guess number " + i));
            }
            expectError(ErrorCode.LOGIN_THROTTLED, login(guesser, "alice", "guess number 6"));
            expectError(ErrorCode.LOGIN_THROTTLED, login(guesser, "alice", SECRET));
        }
        try (TestClient other = TestClient.connect(server.address())) {
            expectError(ErrorCode.LOGIN_THROTTLED, login(other, "alice", SECRET)); // a new connection is no way round
        }
    }

    @Test
    void passwordChangeAndDeletion() throws Exception {
        start(TestServers.config());
        try (TestClient carol = TestClient.welcomed(server, "carol")) {
            expectError(ErrorCode.NOT_LOGGED_IN, request(carol,
                    "{\"type\":\"password\",\"accountPassword\":\"x\",\"newAccountPassword\":\"y\",\"ref\":\"p0\"}", "p0"));
            expectError(ErrorCode.WEAK_PASSWORD,
                    request(carol, "{\"type\":\"register\",\"accountPassword\":\"short\",\"ref\":\"w\"}", "w"));
            register(carol);
            expectError(ErrorCode.NICK_REGISTERED, request(carol,
                    "{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"again\"}", "again"));
            expectError(ErrorCode.BAD_CREDENTIALS, request(carol, "{\"type\":\"password\",\"accountPassword\":"
                    + "\"wrong password\",\"newAccountPassword\":\"new secret words\",\"ref\":\"p1\"}", "p1"));
            assertEquals(new ServerMessage.Account("carol", "password_changed", "p2"), request(carol,
                    "{\"type\":\"password\",\"accountPassword\":\"" + SECRET
                            + "\",\"newAccountPassword\":\"new secret words\",\"ref\":\"p2\"}", "p2"));
        }
        awaitNickFree(server, "carol");
        try (TestClient carol = TestClient.connect(server.address())) {
            expectError(ErrorCode.BAD_CREDENTIALS, login(carol, "carol", SECRET));
            assertTrue(login(carol, "carol", "new secret words") instanceof ServerMessage.Welcome);
            expectError(ErrorCode.BAD_CREDENTIALS,
                    request(carol, "{\"type\":\"unregister\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"u1\"}", "u1"));
            assertEquals(new ServerMessage.Account("carol", "deleted", "u2"), request(carol,
                    "{\"type\":\"unregister\",\"accountPassword\":\"new secret words\",\"ref\":\"u2\"}", "u2"));
        }
        awaitNickFree(server, "carol");
        try (TestClient guest = TestClient.connect(server.address())) {
            assertEquals("carol", guest.hello("carol").nick()); // the nick is anyone's again
        }
    }

    @Test
    void requireAccountRefusesGuestsButLetsThemRegisterFirst() throws Exception {
        start(TestServers.config().requireAccount(true));
        try (TestClient dave = TestClient.connect(server.address())) {
            expectError(ErrorCode.ACCOUNT_REQUIRED,
                    request(dave, "{\"type\":\"hello\",\"nick\":\"dave\",\"ref\":\"g\"}", "g"));
            expectError(ErrorCode.BAD_REQUEST,
                    request(dave, "{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r0\"}", "r0"));
            assertEquals(new ServerMessage.Account("dave", "registered", "r"), request(dave,
                    "{\"type\":\"register\",\"nick\":\"Dave\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r\"}", "r"));
            assertEquals("dave", ((ServerMessage.Welcome) login(dave, "dave", SECRET)).nick());
        }
    }

    @Test
    void accountsAreKeptInTheStoreWithTheirArgon2ParametersAndSurviveARestart() throws Exception {
        Path data = temp.resolve("data");
        start(TestServers.config().dataDir(data));
        try (TestClient erin = TestClient.welcomed(server, "erin")) {
            register(erin);
        }
        awaitNickFree(server, "erin");
        server.close();
        server = null;

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("loomchat.db"));
             Statement statement = db.createStatement();
             ResultSet row = statement.executeQuery("SELECT key, name, hash FROM accounts")) {
            assertTrue(row.next());
            assertEquals("erin", row.getString(1));
            String hash = row.getString(3);
            assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"),
                    hash);
            assertTrue(!hash.contains(SECRET));
        }

        start(TestServers.config().dataDir(data));
        try (TestClient guest = TestClient.connect(server.address())) {
            expectError(ErrorCode.NICK_REGISTERED,
                    request(guest, "{\"type\":\"hello\",\"nick\":\"erin\",\"ref\":\"g\"}", "g"));
            assertTrue(login(guest, "erin", SECRET) instanceof ServerMessage.Welcome);
        }
    }
}
