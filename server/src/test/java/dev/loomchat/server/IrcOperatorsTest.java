package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.IrcTestClient.Line;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server operators on the IRC door: {@code OPER} (381, 464, 491), the {@code +o} user mode,
 * {@code KILL} (the victim's {@code ERROR}, the others' {@code QUIT} with the reason), the
 * {@code UBAN} ban commands, an IRC connection from a banned address refused, and 481 for a
 * client that is not an operator.
 */
@Timeout(120)
class IrcOperatorsTest {

    private static final String SECRET = "correct horse battery";

    private ChatServer server;
    private InetSocketAddress irc;

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.start(IrcServers.config().operators(List.of("alice")).build());
        irc = IrcServers.irc(server);
        try (TestClient alice = TestClient.connect(server.address())) { // the operator's account, on the JSON door
            alice.send(new ClientMessage.Register(SECRET, "alice", "r"));
            assertEquals(ServerMessage.Account.REGISTERED, alice.next(ServerMessage.Account.class).event());
            alice.send(new ClientMessage.Register(SECRET, "bob", "r2"));
            alice.next(ServerMessage.Account.class);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** An IRC client that OPERed up as alice. */
    private IrcTestClient oper(String nick) throws Exception {
        IrcTestClient op = IrcTestClient.registered(irc, nick);
        op.send("OPER alice :" + SECRET);
        assertEquals(List.of(nick, "+o"), op.expect("MODE").params());
        op.expectNumeric("381");
        return op;
    }

    @Test
    void operLogsInToAnOperatorAccountOnlyAndOthersGet481() throws Exception {
        try (IrcTestClient guest = IrcTestClient.registered(irc, "guest")) {
            guest.send("OPER alice :wrong password");
            assertEquals("464", guest.expect("464").command());
            guest.send("OPER bob :" + SECRET);
            guest.expectNumeric("491"); // bob is an account, not an operator
            guest.send("OPER alice");
            guest.expectNumeric("461");
            guest.send("KILL guest :bye");
            guest.expectNumeric("481");
            guest.send("UBAN LIST");
            guest.expectNumeric("481");
            guest.send("UBAN ADD 10.0.0.1");
            guest.expectNumeric("481");
            guest.send("MODE guest");
            assertEquals("+i", guest.expectNumeric("221").params().getLast());
        }
        try (IrcTestClient op = oper("boss")) {
            op.send("MODE boss");
            assertEquals("+io", op.expectNumeric("221").params().getLast());
        }
    }

    @Test
    void killClosesTheVictimsLinkAndTheChannelSeesItQuitWithTheReason() throws Exception {
        try (IrcTestClient op = oper("boss");
             IrcTestClient carol = IrcTestClient.registered(irc, "carol");
             IrcTestClient victim = IrcTestClient.registered(irc, "victim")) {
            carol.send("JOIN #r");
            carol.expect("366");
            victim.send("JOIN #r");
            victim.expect("366");
            carol.expect("JOIN");
            op.send("KICK #r victim :not here"); // boss is not on #r: an operator kicks anyway
            Line kick = carol.expect("KICK");
            assertEquals(List.of("#r", "victim", "not here"), kick.params());
            victim.expect("KICK");
            victim.send("JOIN #r");
            victim.expect("366");
            carol.expect("JOIN");

            op.send("KILL victim :spamming");
            Line notice = op.expect("NOTICE");
            assertEquals("Killed victim (spamming)", notice.params().getLast());
            List<Line> last = victim.readUntilClosed();
            assertEquals("ERROR", last.getLast().command(), last::toString);
            assertEquals("Closing Link: loomchat (Killed (boss (spamming)))", last.getLast().params().getLast());
            Line quit = carol.expect("QUIT");
            assertTrue(quit.source().startsWith("victim!"), quit.raw());
            assertEquals("Killed (spamming)", quit.params().getLast());
            op.send("KILL nobody");
            op.expectNumeric("401");
            op.send("KILL");
            op.expectNumeric("461");
        }
    }

    @Test
    void ubanAddsListsAndDeletesBansAndABannedAddressIsRefused() throws Exception {
        try (IrcTestClient op = oper("boss")) {
            op.send("UBAN ADD 203.0.113.9/24 DURATION 1d2h flooding the network");
            String added = op.expect("NOTICE").params().getLast();
            assertTrue(added.startsWith("Ban added: address 203.0.113.0/24 by boss, until ")
                    && added.endsWith(": flooding the network"), added);
            op.send("UBAN ADD bob");
            assertEquals("Ban added: account bob by boss, until lifted", op.expect("NOTICE").params().getLast());
            op.send("UBAN ADD 10.0.0.1 DURATION soon");
            assertEquals("FAIL", op.expect("FAIL").command());
            op.send("UBAN LIST");
            List<Line> list = op.readUntil(line -> line.params().getLast().startsWith("End of ban list"));
            assertEquals("End of ban list (2 bans)", list.getLast().params().getLast());
            op.send("UBAN DEL 203.0.113.0/24");
            assertTrue(op.expect("NOTICE").params().getLast().startsWith("Ban removed: address 203.0.113.0/24"));
            op.send("UBAN DEL 203.0.113.0/24");
            assertTrue(op.expect("NOTICE").params().getLast().startsWith("no_such_ban"));

            op.send("UBAN ADD 127.0.0.3 :go away");
            op.expect("NOTICE");
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress("127.0.0.3", 0));
            socket.connect(irc, 10_000);
            try (IrcTestClient banned = IrcTestClient.over(socket)) {
                List<Line> lines = banned.readUntilClosed();
                assertEquals("ERROR", lines.getLast().command(), lines::toString);
                String why = lines.getLast().params().getLast();
                assertTrue(why.contains("127.0.0.3 is banned from this server") && why.endsWith("go away)"), why);
            }
        }
    }
}
