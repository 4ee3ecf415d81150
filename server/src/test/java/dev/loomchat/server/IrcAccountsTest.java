package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.IrcTestClient.Line;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Accounts on the IRC door: SASL PLAIN during CAP negotiation (IRCv3 SASL 3.1 numerics),
 * {@code REGISTER} (draft/account-registration, before connection registration), and a
 * registered nick refused to others on NICK (433) whichever door registered it.
 */
@Timeout(120)
class IrcAccountsTest {

    private static final String SECRET = "correct horse battery";

    private ChatServer server;
    private InetSocketAddress irc;

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.start(IrcServers.config().build());
        irc = IrcServers.irc(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String plain(String account, String password) {
        return Base64.getEncoder().encodeToString(("\0" + account + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** CAP LS 302, NICK, USER, CAP REQ :sasl: the start of every SASL client's registration. */
    private static void negotiateSasl(IrcTestClient client, String nick) throws Exception {
        client.send("CAP LS 302");
        Line ls = client.expect("CAP");
        assertTrue(ls.params().getLast().contains("sasl=PLAIN"), ls.raw());
        assertTrue(ls.params().getLast().contains("draft/account-registration=before-connect"), ls.raw());
        client.send("NICK " + nick);
        client.send("USER " + nick + " 0 * :" + nick);
        client.send("CAP REQ :sasl");
        assertEquals("ACK", client.expect("CAP").param(1));
    }

    private void registerOnJson(String nick) throws Exception {
        try (TestClient owner = TestClient.welcomed(server, nick)) {
            owner.sendLine("{\"type\":\"register\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"r\"}");
            owner.await(ServerMessage.Account.class);
        }
        AccountsTest.awaitNickFree(server, nick);
    }

    @Test
    void saslPlainLogsInToAnAccountRegisteredOnTheJsonDoor() throws Exception {
        registerOnJson("alice");
        try (IrcTestClient alice = IrcTestClient.connect(irc)) {
            negotiateSasl(alice, "alice");
            alice.send("AUTHENTICATE PLAIN");
            assertEquals("AUTHENTICATE +", alice.expect("AUTHENTICATE").raw());
            alice.send("AUTHENTICATE " + plain("alice", SECRET));
            Line loggedIn = alice.expectNumeric("900");
            assertEquals(List.of("*", "alice!chat@loomchat", "alice", "You are now logged in as alice"),
                    loggedIn.params());
            alice.expectNumeric("903");
            alice.send("CAP END");
            assertEquals(List.of("alice", "Welcome to the loomchat IRC network, alice!chat@loomchat"),
                    alice.expect("001").params());
        }
    }

    @Test
    void aFailedSaslLoginLeavesTheRegisteredNickRefused() throws Exception {
        registerOnJson("alice");
        try (IrcTestClient mallory = IrcTestClient.connect(irc)) {
            negotiateSasl(mallory, "alice");
            mallory.send("AUTHENTICATE PLAIN");
            mallory.expect("AUTHENTICATE");
            mallory.send("AUTHENTICATE " + plain("alice", "a wrong guess"));
            assertEquals("SASL authentication failed", mallory.expectNumeric("904").params().getLast());
            mallory.send("AUTHENTICATE *");
            mallory.expectNumeric("906");
            mallory.send("CAP END");
            Line refused = mallory.expectNumeric("433");
            assertEquals("alice", refused.param(1));
            assertTrue(refused.params().getLast().contains("registered"), refused.raw());
            mallory.send("NICK mallory");
            mallory.expect("001");
        }
    }

    @Test
    void nickToARegisteredNickIsRefusedAfterRegistrationToo() throws Exception {
        registerOnJson("alice");
        try (IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            bob.send("NICK alice");
            Line refused = bob.expectNumeric("433");
            assertEquals(List.of("bob", "alice"), refused.params().subList(0, 2));
        }
    }

    @Test
    void registerBeforeConnectLogsInAndTheNickIsThenRefusedOnTheJsonDoor() throws Exception {
        try (IrcTestClient carol = IrcTestClient.connect(irc)) {
            negotiateSasl(carol, "carol");
            carol.send("REGISTER * * short");
            assertEquals(List.of("REGISTER", "WEAK_PASSWORD", "carol"), carol.expect("FAIL").params().subList(0, 3));
            carol.send("REGISTER * * :" + SECRET);
            assertEquals(List.of("SUCCESS", "carol", "Account created"), carol.expect("REGISTER").params());
            carol.expectNumeric("900");
            carol.send("CAP END");
            carol.expect("001");
            carol.send("AUTHENTICATE PLAIN");
            carol.expect("907");
        }
        AccountsTest.awaitNickFree(server, "carol");
        try (TestClient json = TestClient.connect(server.address())) {
            json.sendLine("{\"type\":\"hello\",\"nick\":\"carol\",\"ref\":\"h\"}");
            json.nextError(ErrorCode.NICK_REGISTERED, "h");
            json.sendLine("{\"type\":\"hello\",\"nick\":\"carol\",\"accountPassword\":\"" + SECRET + "\",\"ref\":\"h2\"}");
            assertEquals("carol", json.next(ServerMessage.Welcome.class).nick());
        }
        AccountsTest.awaitNickFree(server, "carol"); // else NICK carol finds it still in use
        try (IrcTestClient again = IrcTestClient.connect(irc)) {
            negotiateSasl(again, "carol");
            again.send("REGISTER * * :" + SECRET);
            assertEquals(List.of("REGISTER", "ACCOUNT_EXISTS", "carol"), again.expect("FAIL").params().subList(0, 3));
        }
    }
}
