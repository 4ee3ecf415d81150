package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TOPIC, MODE, KICK, INVITE, PART/QUIT messages and NOTICE on the IRC door, and across doors. */
@Timeout(60)
class IrcModerationTest {

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

    @Test
    void creatorIsOperatorSetsTopicAndModesWithTheNumerics() throws Exception {
        try (IrcTestClient ann = IrcTestClient.registered(irc, "ann");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            ann.send("JOIN #r");
            assertEquals(List.of("ann", "=", "#r", "@ann"), ann.expect("353").params());
            ann.send("TOPIC #r");
            assertEquals(List.of("ann", "#r", "No topic is set"), ann.expect("331").params());
            ann.send("TOPIC #r :ship it");
            assertEquals(":ann!chat@loomchat TOPIC #r :ship it", ann.expect("TOPIC").raw());
            ann.send("MODE #r +k sesame");
            assertEquals(":ann!chat@loomchat MODE #r +k sesame", ann.expect("MODE").raw());

            bob.send("JOIN #r");
            assertEquals(List.of("bob", "#r", "Cannot join channel (+k)"), bob.expect("475").params());
            bob.send("JOIN #r sesame");
            bob.expect("JOIN");
            assertEquals(List.of("bob", "#r", "ship it"), bob.expect("332").params());
            assertEquals("ann", bob.expect("333").params().get(2));
            assertEquals(List.of("bob", "=", "#r", "@ann bob"), bob.expect("353").params());
            bob.send("TOPIC #r :mine");
            assertEquals(List.of("bob", "#r", "You're not channel operator"), bob.expect("482").params());
            bob.send("MODE #r +o bob");
            bob.expect("482");
            bob.send("MODE #r");
            assertEquals(List.of("bob", "#r", "+ntk", "sesame"), bob.expect("324").params());

            ann.send("MODE #r +b cy!*@*");
            ann.expect("MODE");
            ann.send("MODE #r +b");
            assertEquals(List.of("ann", "#r", "cy!*@*"), ann.expect("367").params());
            ann.expect("368");
            ann.send("MODE #r +q");
            assertEquals(List.of("ann", "q", "is unknown mode char to me"), ann.expect("472").params());
            ann.send("MODE #r +o nobody");
            assertEquals(List.of("ann", "nobody", "#r", "They aren't on that channel"), ann.expect("441").params());
        }
    }

    @Test
    void kickInviteNoticePartAndQuitReachIrcAndJsonUsers() throws Exception {
        try (IrcTestClient ann = IrcTestClient.registered(irc, "ann");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob");
             TestClient json = TestClient.welcomed(server, "jo")) {
            ann.send("JOIN #r");
            ann.expect("366");
            json.join("#r");
            bob.send("JOIN #r");
            bob.expect("366");

            bob.send("NOTICE #r :heads up");
            assertEquals(":bob!chat@loomchat NOTICE #r :heads up", ann.expect("NOTICE").raw());
            ServerMessage.ChatMessage notice = json.await(ServerMessage.ChatMessage.class);
            assertEquals(List.of("heads up", true), List.of(notice.text(), notice.notice()));

            ann.send("KICK #r bob :bye bob");
            assertEquals(":ann!chat@loomchat KICK #r bob :bye bob", bob.expect("KICK").raw());
            ServerMessage.Kicked kicked = json.await(ServerMessage.Kicked.class);
            assertEquals(List.of("bob", "ann", "bye bob"), List.of(kicked.nick(), kicked.by(), kicked.message()));
            ann.send("NAMES #r");
            assertEquals("@ann jo", ann.expect("353").params().getLast());

            ann.send("MODE #r +i");
            ann.expect("MODE"); // applied before bob tries: another connection's JOIN could overtake it
            bob.send("JOIN #r");
            bob.expect("473");
            ann.send("INVITE bob #r");
            assertEquals(List.of("ann", "bob", "#r"), ann.expect("341").params());
            assertEquals(":ann!chat@loomchat INVITE bob #r", bob.expect("INVITE").raw());
            bob.send("JOIN #r");
            bob.expect("366");

            // A JSON operator's kick reaches IRC too.
            ann.send("MODE #r +o jo");
            // Its own +o, not the +i before it: the kick must not overtake the grant.
            json.readUntil(m -> m instanceof ServerMessage.Mode mode && mode.modes().equals("+o jo"));
            json.send(new ClientMessage.Kick("#r", "bob", null, json.ref()));
            assertEquals(":jo!chat@loomchat KICK #r bob :jo", bob.expect("KICK").raw());
            bob.send("JOIN #r");
            bob.expect("473"); // the invitation was used up
            ann.send("MODE #r -i");
            ann.readUntil(line -> line.raw().endsWith("MODE #r -i")); // as above
            bob.send("JOIN #r");
            bob.expect("366");

            bob.send("PART #r :lunch");
            assertEquals(":bob!chat@loomchat PART #r :lunch", ann.expect("PART").raw());
            assertEquals("lunch", json.await(ServerMessage.Parted.class).message());
            bob.send("JOIN #r");
            bob.expect("366");
            bob.send("QUIT :gone fishing");
            assertEquals(":bob!chat@loomchat QUIT :Quit: gone fishing", ann.expect("QUIT").raw());
            ServerMessage.Parted quit = json.await(ServerMessage.Parted.class);
            assertEquals(List.of("quit", "gone fishing"), List.of(quit.reason(), quit.message()));
        }
    }
}
