package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.IrcTestClient.Line;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** IRC and JSON-lines users in the same rooms: joins, parts, renames, messages and private messages both ways. */
@Timeout(120)
class IrcCrossDoorTest {

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
    void ircAndJsonUsersSeeEachOthersJoinsMessagesRenamesAndParts() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "jason");
             IrcTestClient irc = IrcTestClient.registered(this.irc, "iris")) {
            json.join("#room");
            irc.send("JOIN #room");
            assertEquals(List.of("iris", "=", "#room", "iris @jason"), irc.expect("353").params());
            ServerMessage.Joined joined = json.await(ServerMessage.Joined.class);
            assertEquals("iris", joined.nick());

            irc.send("PRIVMSG #room :hello from irc");
            ServerMessage.ChatMessage fromIrc = json.await(ServerMessage.ChatMessage.class);
            assertEquals(List.of("iris", "#room", "hello from irc"), List.of(fromIrc.from(), fromIrc.room(), fromIrc.text()));

            json.say("#room", "hello from json");
            assertEquals(":jason!chat@loomchat PRIVMSG #room :hello from json", irc.expect("PRIVMSG").raw());

            json.send(new ClientMessage.Nick("jay", json.ref()));
            json.await(ServerMessage.Nick.class);
            assertEquals(":jason!chat@loomchat NICK :jay", irc.expect("NICK").raw());
            irc.send("NICK irene");
            ServerMessage.Nick renamed = json.await(ServerMessage.Nick.class);
            assertEquals(List.of("iris", "irene"), List.of(renamed.old(), renamed.nick()));

            irc.send("PART #room");
            ServerMessage.Parted parted = json.await(ServerMessage.Parted.class);
            assertEquals(List.of("irene", "part"), List.of(parted.nick(), parted.reason()));
            irc.send("JOIN #room");
            irc.expect("366");
            json.await(ServerMessage.Joined.class);
            json.send(new ClientMessage.Part("#room", json.ref()));
            assertEquals(":jay!chat@loomchat PART #room", irc.expect("PART").raw());
        }
    }

    @Test
    void privateMessagesCrossDoorsBothWays() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "jason");
             IrcTestClient irc = IrcTestClient.registered(this.irc, "iris")) {
            irc.send("PRIVMSG jason :psst");
            ServerMessage.ChatMessage received = json.await(ServerMessage.ChatMessage.class);
            assertEquals(List.of("iris", "jason", "psst"), List.of(received.from(), received.to(), received.text()));

            json.send(new ClientMessage.Msg("IRIS", "back at you", json.ref()));
            json.await(ServerMessage.ChatMessage.class);
            assertEquals(":jason!chat@loomchat PRIVMSG iris :back at you", irc.expect("PRIVMSG").raw());
        }
    }

    @Test
    void aJsonTextLongerThanAnIrcLineArrivesAsSeveralPrivmsgsInOrder() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "jason");
             IrcTestClient irc = IrcTestClient.registered(this.irc, "iris")) {
            json.join("#room");
            irc.send("JOIN #room");
            irc.expect("366");
            StringBuilder text = new StringBuilder();
            for (int i = 0; text.length() < 3900; i++) {
                text.append("word").append(i).append(" é€😀 ");
            }
            String long4000 = text.toString().strip();

            json.say("#room", long4000);
            json.say("#room", "after");

            List<Line> lines = irc.readUntil(line -> line.command().equals("PRIVMSG") && line.param(1).equals("after"));
            List<Line> pieces = lines.subList(0, lines.size() - 1);
            assertTrue(pieces.size() >= 8, "split into " + pieces.size());
            StringBuilder joined = new StringBuilder();
            for (Line piece : pieces) {
                assertTrue(piece.raw().getBytes(StandardCharsets.UTF_8).length + 2 <= 512, "within 512 bytes: " + piece);
                assertEquals("#room", piece.param(0));
                joined.append(piece.param(1));
            }
            assertEquals(long4000, joined.toString());
        }
    }

    @Test
    void actionsAndFormattingCrossDoors() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "jason");
             IrcTestClient irc = IrcTestClient.registered(this.irc, "iris")) {
            json.join("#room");
            irc.send("JOIN #room");
            irc.expect("366");
            json.await(ServerMessage.Joined.class);

            irc.send("PRIVMSG #room :\u0001ACTION dances\u0001");
            assertEquals("/me dances", json.await(ServerMessage.ChatMessage.class).text());
            irc.send("PRIVMSG #room :\u0002bold\u0002 and \u000304,12colour\u0003 \u001ditalic\u001d");
            assertEquals("bold and colour italic", json.await(ServerMessage.ChatMessage.class).text());
            irc.send("PRIVMSG jason :\u0001VERSION\u0001");
            irc.sync();

            json.say("#room", "/me waves");
            assertEquals(List.of("#room", "\u0001ACTION waves\u0001"), irc.expect("PRIVMSG").params());
            json.say("#room", "tab\tis text");
            assertEquals("tab\tis text", irc.expect("PRIVMSG").param(1));
        }
    }

    @Test
    void whoAndNamesListEveryoneWhicheverDoorTheyCameBy() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "jason");
             IrcTestClient irc = IrcTestClient.registered(this.irc, "iris")) {
            json.join("#room");
            irc.send("JOIN #room");
            irc.expect("366");
            json.await(ServerMessage.Joined.class);
            json.send(new ClientMessage.Who("#room", json.ref()));
            assertEquals(List.of("iris", "jason"),
                    json.await(ServerMessage.Who.class).nicks().stream().sorted().toList());
            irc.send("WHOIS jason");
            assertEquals(List.of("iris", "jason", "chat", "loomchat", "*", "jason"), irc.expect("311").params());
        }
    }

    @Test
    void aJsonUserSeesAnIrcQuitAsAPartWithReasonQuit() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "jason")) {
            json.join("#room");
            try (IrcTestClient irc = IrcTestClient.registered(this.irc, "iris")) {
                irc.send("JOIN #room");
                irc.expect("366");
                json.await(ServerMessage.Joined.class);
                irc.send("QUIT :bye");
                irc.readUntilClosed();
            }
            ServerMessage.Parted parted = json.await(ServerMessage.Parted.class);
            assertEquals(List.of("iris", "quit"), List.of(parted.nick(), parted.reason()));
        }
    }
}
