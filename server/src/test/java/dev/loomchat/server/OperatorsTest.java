package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.BanInfo;
import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server operators and bans on the JSON door (PROTOCOL.md §5 "Server operators"): the operator
 * flag in welcome, a kick from a room the operator is not in, a kill seen by the room with its
 * reason, account and address bans that disconnect and then refuse reconnecting (ban evasion),
 * expiry, unban, bans kept across a restart, a password reset, and every operator request
 * refused to a non-operator.
 */
@Timeout(120)
class OperatorsTest {

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

    private ChatServer start() throws Exception {
        server = ChatServer.start(TestServers.config().operators(List.of("Alice")).dataDir(temp).build());
        return server;
    }

    /** A client logged in to the account {@code nick}, registering it first if {@code register}. */
    private TestClient loggedIn(String nick, boolean register) throws IOException {
        return loggedIn(TestClient.connect(server.address()), nick, register);
    }

    private static TestClient loggedIn(TestClient client, String nick, boolean register) throws IOException {
        try {
            if (register) {
                client.send(new ClientMessage.Register(SECRET, nick, "reg"));
                assertEquals(ServerMessage.Account.REGISTERED, client.next(ServerMessage.Account.class).event());
            }
            client.send(new ClientMessage.Hello(nick, null, "tests", 1, SECRET, "hi"));
            client.next(ServerMessage.Welcome.class);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** Sends {@code request} and returns the frame that answers it (its ref). */
    private static ServerMessage reply(TestClient client, ClientMessage request) throws IOException {
        client.send(request);
        while (true) {
            ServerMessage message = client.next();
            if (request.ref().equals(message.ref())) {
                return message;
            }
        }
    }

    private static ServerMessage.Error error(ErrorCode code, ServerMessage reply) {
        ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, reply);
        assertEquals(code, error.code(), error::toString);
        return error;
    }

    /** The error frame the server ended the connection with (it is the last frame before the close). */
    private static ServerMessage.Error closedWith(TestClient client) throws IOException {
        List<ServerMessage> frames = client.readUntilClosed();
        assertFalse(frames.isEmpty(), "an error frame before the close");
        return assertInstanceOf(ServerMessage.Error.class, frames.getLast());
    }

    /** Reads until {@code nick} leaves {@code room}. */
    private static ServerMessage.Parted parted(TestClient client, String nick) throws IOException {
        while (true) {
            if (client.next() instanceof ServerMessage.Parted parted && parted.nick().equals(nick)) {
                return parted;
            }
        }
    }

    private static TestClient from(String localAddress, InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(server, 10_000);
            return TestClient.over(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Test
    void theWelcomeSaysWhoIsAnOperatorAndEveryOperatorRequestIsRefusedToOthers() throws Exception {
        start();
        try (TestClient alice = TestClient.connect(server.address());
             TestClient bob = loggedIn("bob", true);
             TestClient guest = TestClient.welcomed(server, "guest")) {
            alice.send(new ClientMessage.Register(SECRET, "alice", "reg"));
            alice.next(ServerMessage.Account.class);
            alice.send(new ClientMessage.Hello("alice", null, "tests", 1, SECRET, "hi"));
            assertTrue(alice.next(ServerMessage.Welcome.class).operator(), "alice is named by --operator");
            for (TestClient other : List.of(bob, guest)) {
                for (ClientMessage request : List.of(new ClientMessage.Kill("alice", "no", "o1"),
                        new ClientMessage.Ban("alice", null, null, null, "o2"),
                        new ClientMessage.Unban(null, "10.0.0.1", "o3"), new ClientMessage.Bans("o4"),
                        new ClientMessage.ResetPassword("alice", "a new password", "o5"))) {
                    error(ErrorCode.NO_PRIVILEGES, reply(other, request));
                }
            }
            String ref = bob.ref();
            bob.send(new ClientMessage.Ping(ref));
            assertEquals(ref, bob.await(ServerMessage.Pong.class).ref(), "still connected");
        }
        try (TestClient carol = TestClient.connect(server.address())) {
            assertFalse(carol.hello("carol").operator());
        }
    }

    @Test
    void anOperatorKicksFromARoomItIsNotInAndKillsWithTheReasonTheRoomSees() throws Exception {
        start();
        try (TestClient alice = loggedIn("alice", true);
             TestClient carol = TestClient.welcomed(server, "carol");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            carol.join("#r");
            bob.join("#r");
            // alice is not in #r, nor its operator (carol is): a server operator kicks anyway.
            ServerMessage confirmed = reply(alice, new ClientMessage.Kick("#r", "bob", "off topic", "k1"));
            assertEquals("bob", assertInstanceOf(ServerMessage.Kicked.class, confirmed).nick());
            ServerMessage.Kicked kicked = carol.await(ServerMessage.Kicked.class);
            assertEquals(List.of("bob", "alice", "off topic"), List.of(kicked.nick(), kicked.by(), kicked.message()));
            assertEquals("bob", bob.await(ServerMessage.Kicked.class).nick());

            bob.join("#r");
            ServerMessage killed = reply(alice, new ClientMessage.Kill("Bob", "spamming", "x1"));
            assertEquals(new ServerMessage.Killed("bob", "alice", "spamming", "x1"), killed);
            ServerMessage.Error victim = closedWith(bob);
            assertEquals(ErrorCode.KILLED, victim.code());
            assertEquals("Killed (alice (spamming))", victim.message());
            ServerMessage.Parted left = parted(carol, "bob");
            assertEquals(List.of(ServerMessage.Parted.REASON_KILL, "spamming"), List.of(left.reason(), left.message()));

            error(ErrorCode.NO_SUCH_NICK, reply(alice, new ClientMessage.Kill("nobody", null, "x2")));
        }
    }

    @Test
    void anAccountBanDisconnectsItsSessionsRefusesItsLoginsAndIsLifted() throws Exception {
        start();
        try (TestClient alice = loggedIn("alice", true);
             TestClient carol = TestClient.welcomed(server, "carol");
             TestClient bob = loggedIn("bob", true)) {
            carol.join("#r");
            bob.join("#r");
            ServerMessage.Bans added = assertInstanceOf(ServerMessage.Bans.class,
                    reply(alice, new ClientMessage.Ban("Bob", null, null, "trolling", "b1")));
            assertEquals(ServerMessage.Bans.ADDED, added.event());
            BanInfo ban = added.bans().getFirst();
            assertEquals(List.of("bob", "alice", "trolling"), List.of(ban.account(), ban.by(), ban.reason()));
            assertEquals(null, ban.expires());

            ServerMessage.Error banned = closedWith(bob);
            assertEquals(ErrorCode.SERVER_BANNED, banned.code());
            assertTrue(banned.message().contains("trolling"), banned.message());
            ServerMessage.Parted left = parted(carol, "bob");
            assertEquals(List.of(ServerMessage.Parted.REASON_BAN, "trolling"), List.of(left.reason(), left.message()));

            // Ban evasion: logging in again is refused, and the nick stays its account's.
            try (TestClient again = TestClient.connect(server.address())) {
                again.send(new ClientMessage.Hello("bob", null, null, 1, SECRET, "h"));
                ServerMessage.Error refused = closedWith(again);
                assertEquals(List.of(ErrorCode.SERVER_BANNED, "h"), List.of(refused.code(), refused.ref()),
                        "the answer to the hello, with its ref");
            }
            try (TestClient guest = TestClient.connect(server.address())) {
                guest.send(new ClientMessage.Hello("bob", null, null, 1, "h"));
                error(ErrorCode.NICK_REGISTERED, guest.next());
            }

            ServerMessage.Bans list = assertInstanceOf(ServerMessage.Bans.class, reply(alice, new ClientMessage.Bans("l")));
            assertEquals(List.of(ban), list.bans());
            ServerMessage.Bans removed = assertInstanceOf(ServerMessage.Bans.class,
                    reply(alice, new ClientMessage.Unban("bob", null, "u1")));
            assertEquals(List.of(ServerMessage.Bans.REMOVED, List.of(ban)), List.of(removed.event(), removed.bans()));
            error(ErrorCode.NO_SUCH_BAN, reply(alice, new ClientMessage.Unban("bob", null, "u2")));
            AccountsTest.awaitNickFree(server, "bob");
            loggedIn("bob", false).close();
        }
    }

    @Test
    void anAddressBanDisconnectsThatAddressAndRefusesItsConnectionsButNotTheOperator() throws Exception {
        start();
        try (TestClient alice = loggedIn("alice", true);
             TestClient carol = TestClient.welcomed(server, "carol");
             TestClient mallory = from("127.0.0.2", server.address())) {
            mallory.hello("mallory");
            carol.join("#r");
            mallory.join("#r");
            assertInstanceOf(ServerMessage.Bans.class,
                    reply(alice, new ClientMessage.Ban(null, "127.0.0.2", 3600L, "flood", "b1")));
            assertEquals(ErrorCode.SERVER_BANNED, closedWith(mallory).code());
            assertEquals(ServerMessage.Parted.REASON_BAN, parted(carol, "mallory").reason());

            try (TestClient evading = from("127.0.0.2", server.address())) {
                ServerMessage.Error refused = closedWith(evading);
                assertEquals(ErrorCode.SERVER_BANNED, refused.code());
                assertTrue(refused.message().contains("127.0.0.2") && refused.message().contains("until"),
                        refused.message());
            }
            TestClient.welcomed(server, "dave").close(); // 127.0.0.1 is not banned

            // A network that covers the operator too: everyone else from it goes, the operator stays.
            error(ErrorCode.BAD_REQUEST, reply(alice, new ClientMessage.Ban(null, "127.0.0.300", null, null, "b2")));
            assertInstanceOf(ServerMessage.Bans.class,
                    reply(alice, new ClientMessage.Ban(null, "127.0.0.0/8", null, null, "b3")));
            assertEquals(ErrorCode.SERVER_BANNED, closedWith(carol).code());
            try (TestClient erin = from("127.0.0.1", server.address())) {
                assertEquals(ErrorCode.SERVER_BANNED, closedWith(erin).code());
            }
            ServerMessage.Bans list = assertInstanceOf(ServerMessage.Bans.class, reply(alice, new ClientMessage.Bans("l")));
            assertEquals(java.util.Set.of("127.0.0.2", "127.0.0.0/8"),
                    list.bans().stream().map(BanInfo::address).collect(java.util.stream.Collectors.toSet()));
            // The same network, written otherwise.
            assertInstanceOf(ServerMessage.Bans.class, reply(alice, new ClientMessage.Unban(null, "127.0.0.1/8", "u1")));
            try (TestClient still = from("127.0.0.2", server.address())) {
                assertEquals(ErrorCode.SERVER_BANNED, closedWith(still).code());
            }
            TestClient.welcomed(server, "erin").close();
        }
    }

    @Test
    void aBanWithADurationStopsApplyingByItself() throws Exception {
        start();
        loggedIn("bob", true).close();
        try (TestClient alice = loggedIn("alice", true)) {
            ServerMessage.Bans added = assertInstanceOf(ServerMessage.Bans.class,
                    reply(alice, new ClientMessage.Ban("bob", null, 1L, null, "b1")));
            BanInfo ban = added.bans().getFirst();
            assertEquals(ban.ts() + 1000, ban.expires());
            // Refused while it lasts (ServerBansTest checks that with its own clock); then let in.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try (TestClient bob = TestClient.connect(server.address())) {
                    bob.send(new ClientMessage.Hello("bob", null, null, 1, SECRET, "h"));
                    return bob.next() instanceof ServerMessage.Welcome;
                }
            });
            ServerMessage.Bans list = assertInstanceOf(ServerMessage.Bans.class, reply(alice, new ClientMessage.Bans("l")));
            assertEquals(List.of(), list.bans());
            error(ErrorCode.BAD_REQUEST, reply(alice, new ClientMessage.Ban("bob", null, 0L, null, "b2")));
            error(ErrorCode.BAD_REQUEST, reply(alice, new ClientMessage.Ban("bob", "10.0.0.1", null, null, "b3")));
            error(ErrorCode.BAD_REQUEST, reply(alice, new ClientMessage.Ban(null, null, null, null, "b4")));
            error(ErrorCode.BAD_REQUEST, reply(alice, new ClientMessage.Ban("ALICE", null, null, null, "b5")));
        }
    }

    @Test
    void bansAreKeptInTheStoreAcrossARestart() throws Exception {
        start();
        loggedIn("bob", true).close();
        AccountsTest.awaitNickFree(server, "bob");
        try (TestClient alice = loggedIn("alice", true)) {
            reply(alice, new ClientMessage.Ban("bob", null, null, "gone", "b1"));
            reply(alice, new ClientMessage.Ban(null, "2001:DB8::1/32", 86_400L, null, "b2"));
        }
        server.close();
        start();
        try (TestClient alice = loggedIn("alice", false)) {
            ServerMessage.Bans list = assertInstanceOf(ServerMessage.Bans.class, reply(alice, new ClientMessage.Bans("l")));
            assertEquals(List.of("bob", "2001:db8::/32"), list.bans().stream()
                    .map(ban -> ban.account() != null ? ban.account() : ban.address()).toList());
            assertEquals("gone", list.bans().getFirst().reason());
        }
        try (TestClient bob = TestClient.connect(server.address())) {
            bob.send(new ClientMessage.Hello("bob", null, null, 1, SECRET, "h"));
            assertEquals(ErrorCode.SERVER_BANNED, closedWith(bob).code());
        }
    }

    @Test
    void anOperatorResetsAPasswordWithoutTheOldOne() throws Exception {
        start();
        loggedIn("bob", true).close();
        AccountsTest.awaitNickFree(server, "bob");
        try (TestClient alice = loggedIn("alice", true)) {
            assertEquals(new ServerMessage.Account("bob", ServerMessage.Account.PASSWORD_RESET, "p1"),
                    reply(alice, new ClientMessage.ResetPassword("Bob", "a brand new password", "p1")));
            error(ErrorCode.NO_SUCH_ACCOUNT, reply(alice, new ClientMessage.ResetPassword("zed", "a brand new one", "p2")));
            error(ErrorCode.WEAK_PASSWORD, reply(alice, new ClientMessage.ResetPassword("bob", "short", "p3")));
        }
        try (TestClient old = TestClient.connect(server.address())) {
            old.send(new ClientMessage.Hello("bob", null, null, 1, SECRET, "h"));
            error(ErrorCode.BAD_CREDENTIALS, old.next());
        }
        try (TestClient bob = TestClient.connect(server.address())) {
            bob.send(new ClientMessage.Hello("bob", null, null, 1, "a brand new password", "h"));
            bob.next(ServerMessage.Welcome.class);
        }
    }

    @Test
    void onTheWebDoorAnOperatorIsToldSoAndAKilledBrowserSeesWhy() throws Exception {
        server = ChatServer.start(TestServers.config().operators(List.of("alice"))
                .http(new InetSocketAddress("127.0.0.1", 0)).build());
        try (TestClient owner = TestClient.connect(server.address())) {
            owner.send(new ClientMessage.Register(SECRET, "alice", "reg"));
            owner.next(ServerMessage.Account.class);
        }
        try (WsTestClient alice = WsTestClient.connect(server);
             WsTestClient bob = WsTestClient.welcomed(server, "bob")) {
            alice.send(new ClientMessage.Hello("alice", null, "web", 1, SECRET, "hi"));
            assertTrue(alice.next(ServerMessage.Welcome.class).operator());
            bob.send(new ClientMessage.Bans("l"));
            assertEquals(ErrorCode.NO_PRIVILEGES, bob.nextError(ErrorCode.NO_PRIVILEGES).code());
            alice.send(new ClientMessage.Kill("bob", "testing", "k"));
            assertEquals(new ServerMessage.Killed("bob", "alice", "testing", "k"), alice.next());
            ServerMessage.Error killed = bob.nextError(ErrorCode.KILLED);
            assertEquals("Killed (alice (testing))", killed.message());
            bob.awaitClose();
        }
    }
}
