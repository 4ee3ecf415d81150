package dev.loomchat.server;

import static dev.loomchat.server.AccountsTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts in cluster mode (README "Accounts"): two nodes in this JVM on one
 * {@code redis-server} share them, so a nick registered through one node is protected on the
 * other, and a password change or a deletion through one holds on the other at once; so do an
 * operator's bans, within a keepalive tick.
 */
@Timeout(120)
class ClusterAccountsTest {

    private static final String SECRET = "correct horse battery";
    private static final String NEW_SECRET = "new secret words";

    @TempDir
    Path temp;

    private TwoNodes nodes;
    private ChatServer n1;
    private ChatServer n2;

    @BeforeEach
    void start() throws Exception {
        nodes = TwoNodes.start(temp, true, TestServers.config().operators(List.of("olga")));
        n1 = nodes.n1;
        n2 = nodes.n2;
    }

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static ServerMessage hello(TestClient client, String nick, String password) throws Exception {
        String login = password == null ? "" : ",\"accountPassword\":\"" + password + "\"";
        return request(client, "{\"type\":\"hello\",\"nick\":\"" + nick + "\"" + login + ",\"ref\":\"h\"}", "h");
    }

    private static void expectError(ErrorCode code, ServerMessage reply) {
        assertTrue(reply instanceof ServerMessage.Error error && error.code() == code,
                () -> "expected " + code + ", got " + reply);
    }

    /** Registers {@code nick} through {@code node} and leaves again. */
    private static void register(ChatServer node, String nick) throws Exception {
        try (TestClient client = TestClient.welcomed(node, nick)) {
            request(client, "{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r\"}", "r");
        }
        AccountsTest.awaitNickFree(node, nick);
    }

    @Test
    void aBanSetThroughOneNodeCutsOffAndRefusesOnTheOtherUntilLiftedThroughEither() throws Exception {
        register(n1, "olga");
        register(n2, "dave");
        try (TestClient olga = TestClient.connect(n1.address()); TestClient dave = TestClient.connect(n2.address())) {
            assertTrue(((ServerMessage.Welcome) hello(olga, "olga", SECRET)).operator(), "olga is an operator");
            assertTrue(hello(dave, "dave", SECRET) instanceof ServerMessage.Welcome);
            assertTrue(request(olga, "{\"type\":\"ban\",\"account\":\"dave\",\"reason\":\"spam\",\"ref\":\"b\"}",
                    "b") instanceof ServerMessage.Bans);
            // dave is on the other node: that node applies the ban at its next keepalive tick.
            ServerMessage.Error banned = dave.await(ServerMessage.Error.class);
            assertEquals(ErrorCode.SERVER_BANNED, banned.code());
            assertTrue(banned.message().contains("spam"), banned.message());
        }
        AccountsTest.awaitNickFree(n2, "dave");
        try (TestClient evader = TestClient.connect(n2.address())) {
            evader.sendLine("{\"type\":\"hello\",\"nick\":\"dave\",\"accountPassword\":\"" + SECRET + "\"}");
            assertEquals(ErrorCode.SERVER_BANNED, evader.await(ServerMessage.Error.class).code());
        }
        AccountsTest.awaitNickFree(n1, "olga");
        try (TestClient olga = TestClient.connect(n2.address())) { // lifted through the other node
            hello(olga, "olga", SECRET);
            assertTrue(request(olga, "{\"type\":\"unban\",\"account\":\"dave\",\"ref\":\"u\"}", "u")
                    instanceof ServerMessage.Bans);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (TestClient dave = TestClient.connect(n1.address())) {
                assertTrue(hello(dave, "dave", SECRET) instanceof ServerMessage.Welcome, "dave is let in again");
            }
        });
    }

    @Test
    void aNickRegisteredOnOneNodeIsProtectedOnTheOtherAndItsOwnerLogsInThere() throws Exception {
        try (TestClient alice = TestClient.welcomed(n1, "Alice")) {
            assertEquals(new ServerMessage.Account("alice", "registered", "r"), request(alice,
                    "{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r\"}", "r"));
            // While she is on node 1, node 2 refuses her nick as registered (not merely in use).
            try (TestClient guest = TestClient.connect(n2.address())) {
                expectError(ErrorCode.NICK_REGISTERED, hello(guest, "ALICE", null));
                expectError(ErrorCode.BAD_CREDENTIALS, hello(guest, "alice", "not the password"));
            }
            try (TestClient bob = TestClient.welcomed(n2, "bob")) {
                expectError(ErrorCode.NICK_REGISTERED,
                        request(bob, "{\"type\":\"nick\",\"nick\":\"alice\",\"ref\":\"n\"}", "n"));
            }
        }
        AccountsTest.awaitNickFree(n2, "alice");
        try (TestClient owner = TestClient.connect(n2.address())) {
            assertEquals("Alice", ((ServerMessage.Welcome) hello(owner, "Alice", SECRET)).nick());
        }
    }

    @Test
    void aPasswordChangeAndADeletionOnOneNodeHoldOnTheOther() throws Exception {
        try (TestClient carol = TestClient.welcomed(n1, "carol")) {
            request(carol, "{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r\"}", "r");
            assertEquals(new ServerMessage.Account("carol", "password_changed", "p"), request(carol,
                    "{\"type\":\"password\",\"accountPassword\":\"" + SECRET + "\",\"newAccountPassword\":\""
                            + NEW_SECRET + "\",\"ref\":\"p\"}", "p"));
        }
        AccountsTest.awaitNickFree(n2, "carol");
        try (TestClient carol = TestClient.connect(n2.address())) {
            expectError(ErrorCode.BAD_CREDENTIALS, hello(carol, "carol", SECRET));
            assertTrue(hello(carol, "carol", NEW_SECRET) instanceof ServerMessage.Welcome);
            assertEquals(new ServerMessage.Account("carol", "deleted", "u"), request(carol,
                    "{\"type\":\"unregister\",\"accountPassword\":\"" + NEW_SECRET + "\",\"ref\":\"u\"}", "u"));
        }
        AccountsTest.awaitNickFree(n1, "carol");
        try (TestClient guest = TestClient.connect(n1.address())) {
            assertTrue(hello(guest, "carol", null) instanceof ServerMessage.Welcome, "the nick is free again");
        }
    }

    @Test
    void anAccountIsOneRedisHashWithItsArgon2idParametersAndOnlyOneNodeMakesIt() throws Exception {
        try (TestClient dave = TestClient.welcomed(n1, "Dave")) {
            request(dave, "{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r\"}", "r");
        }
        RedisClient client = RedisClient.create(nodes.redis.uri().toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            Map<String, String> account = connection.sync().hgetall("loomchat:account:dave");
            assertEquals("Dave", account.get("name"));
            assertTrue(account.get("hash").matches("\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$.+"), account.get("hash"));
            assertTrue(!account.get("hash").contains(SECRET));
        } finally {
            client.shutdown();
        }
        // A register on the other node finds it made already.
        try (TestClient guest = TestClient.connect(n2.address())) {
            expectError(ErrorCode.NICK_REGISTERED, request(guest,
                    "{\"type\":\"register\",\"nick\":\"dave\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r\"}", "r"));
        }
    }

    @Test
    void withRedisGoneAccountOperationsAnswerUnavailableAtOnce() throws Exception {
        try (TestClient erin = TestClient.welcomed(n1, "erin"); TestClient other = TestClient.connect(n2.address())) {
            nodes.redis.kill();
            // Each is answered (TestClient's read timeout bounds the wait): never a hang.
            expectError(ErrorCode.UNAVAILABLE, request(erin,
                    "{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r\"}", "r"));
            expectError(ErrorCode.UNAVAILABLE, hello(other, "frank", SECRET));
            expectError(ErrorCode.UNAVAILABLE, hello(other, "frank", null));
        }
    }
}
