package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.server.IrcTestClient.Line;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** IRCv3 capability negotiation and what each capability changes: tags, echo, the history batch. */
@Timeout(120)
class IrcCapabilitiesTest {

    private static final Pattern SERVER_TIME = Pattern.compile("time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

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

    private IrcTestClient withCaps(String nick, String caps) throws Exception {
        IrcTestClient client = IrcTestClient.connect(irc);
        client.send("CAP LS 302");
        client.expect("CAP");
        client.send("CAP REQ :" + caps);
        assertEquals("ACK", client.expect("CAP").param(1));
        client.send("CAP END");
        client.register(nick);
        return client;
    }

    @Test
    void reqOfAnUnknownCapabilityIsRefusedWhole() throws Exception {
        try (IrcTestClient alice = IrcTestClient.connect(irc)) {
            alice.send("CAP REQ :server-time account-notify");
            assertEquals(List.of("*", "NAK", "server-time account-notify"), alice.expect("CAP").params());
            alice.send("CAP LIST");
            assertEquals(List.of("*", "LIST", ""), alice.next().params());
            alice.send("CAP FLY");
            assertEquals(List.of("*", "FLY", "Invalid CAP command"), alice.expectNumeric("410").params());
            alice.send("CAP REQ :echo-message");
            alice.send("CAP REQ :-echo-message multi-prefix");
            alice.send("CAP LIST");
            List<Line> lines = alice.readUntil(line -> line.params().size() > 1 && line.param(1).equals("LIST"));
            assertEquals("multi-prefix", lines.getLast().param(2));
        }
    }

    @Test
    void serverTimeTagsFanOutOnlyToClientsThatAskedForIt() throws Exception {
        try (IrcTestClient tagged = withCaps("tagged", "server-time");
             IrcTestClient plain = IrcTestClient.registered(irc, "plain");
             IrcTestClient speaker = IrcTestClient.registered(irc, "speaker")) {
            for (IrcTestClient client : List.of(tagged, plain, speaker)) {
                client.send("JOIN #room");
                client.expect("366");
            }
            tagged.sync();
            plain.sync();

            speaker.send("PRIVMSG #room :one line, two wire forms");
            Line withTags = tagged.expect("PRIVMSG");
            Line withoutTags = plain.expect("PRIVMSG");
            assertTrue(SERVER_TIME.matcher(withTags.tags()).find(), withTags.raw());
            assertTrue(withTags.tags().contains(";msgid="), withTags.raw());
            assertEquals("", withoutTags.tags());
            assertEquals(withoutTags.raw(), withTags.raw().substring(withTags.raw().indexOf(' ') + 1));
        }
    }

    @Test
    void echoMessageSendsTheSendersOwnMessagesBack() throws Exception {
        try (IrcTestClient alice = withCaps("alice", "echo-message");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            alice.send("JOIN #room");
            alice.expect("366");
            alice.send("PRIVMSG #room :echoed");
            alice.send("PRIVMSG bob :echoed too");
            assertEquals(List.of(":alice!chat@loomchat PRIVMSG #room :echoed", ":alice!chat@loomchat PRIVMSG bob :echoed too"),
                    alice.sync().stream().map(Line::raw).toList());
        }
    }

    @Test
    void aClientWithServerTimeAndBatchGetsTheRoomsHistoryInAChathistoryBatchAfterNames() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "carol");
             IrcTestClient plain = IrcTestClient.registered(irc, "plain")) {
            json.join("#room");
            json.say("#room", "first");
            json.say("#room", "/me waves");

            try (IrcTestClient alice = withCaps("alice", "server-time batch")) {
                alice.send("JOIN #room");
                List<Line> lines = alice.sync();
                assertEquals(List.of("JOIN", "353", "366", "BATCH", "PRIVMSG", "PRIVMSG", "BATCH"),
                        lines.stream().map(Line::command).toList());
                String batch = lines.get(3).param(0).substring(1);
                assertEquals(List.of("+" + batch, "chathistory", "#room"), lines.get(3).params());
                assertEquals(List.of("#room", "first"), lines.get(4).params());
                assertEquals(List.of("#room", "\u0001ACTION waves\u0001"), lines.get(5).params());
                assertTrue(lines.get(4).tags().contains("batch=" + batch), lines.get(4).raw());
                assertTrue(SERVER_TIME.matcher(lines.get(4).tags()).find());
                assertEquals(List.of("-" + batch), lines.get(6).params());
            }

            plain.send("JOIN #room");
            assertEquals(List.of("JOIN", "353", "366"), plain.sync().stream().map(Line::command).toList(),
                    "no replay for a client that would show old lines as new");
        }
    }

    @Test
    void serverTimeWithoutBatchGetsTheHistoryWithoutABatch() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "carol")) {
            json.join("#room");
            json.say("#room", "earlier");
            try (IrcTestClient alice = withCaps("alice", "server-time")) {
                alice.send("JOIN #room");
                assertEquals(List.of("JOIN", "353", "366", "PRIVMSG"),
                        alice.sync().stream().map(Line::command).toList());
            }
        }
    }
}
