package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.server.IrcTestClient.Line;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every IRC command the door supports, between IRC clients over real sockets, with its numerics and errors. */
@Timeout(120)
class IrcCommandsTest {

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

    private static List<String> commands(List<Line> lines) {
        return lines.stream().map(Line::command).toList();
    }

    /** Joins {@code room} and reads the JOIN, the names list and its end. */
    private static List<Line> join(IrcTestClient client, String room) throws Exception {
        client.send("JOIN " + room);
        return client.readUntil(line -> line.command().equals("366"));
    }

    @Test
    void joinSendsJoinThenNamesAndOthersSeeTheJoin() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            List<Line> own = join(alice, "#room");
            assertEquals(List.of(":alice!chat@loomchat JOIN #room", ":loomchat 353 alice = #room :@alice",
                    ":loomchat 366 alice #room :End of /NAMES list."), own.stream().map(Line::raw).toList());

            List<Line> bobs = join(bob, "#ROOM");
            assertEquals("#room", bobs.getFirst().param(0), "the room as its creator spelled it");
            assertEquals(List.of("bob", "=", "#room", "@alice bob"), bobs.get(1).params());
            assertEquals(List.of(":bob!chat@loomchat JOIN #room"), alice.sync().stream().map(Line::raw).toList());

            bob.send("JOIN #room");
            assertEquals(List.of(), bob.sync(), "joining again is ignored");
        }
    }

    @Test
    void joinSeveralRoomsAndJoinZeroLeavesThemAll() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            alice.send("JOIN #a,#b,#c");
            List<Line> lines = alice.sync();
            assertEquals(List.of("JOIN", "353", "366", "JOIN", "353", "366", "JOIN", "353", "366"), commands(lines));

            alice.send("JOIN 0");
            assertEquals(List.of(":alice!chat@loomchat PART #a", ":alice!chat@loomchat PART #b",
                    ":alice!chat@loomchat PART #c"), alice.sync().stream().map(Line::raw).toList());
        }
    }

    @Test
    void joinErrors() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            alice.send("JOIN");
            assertEquals(List.of("alice", "JOIN", "Not enough parameters"), alice.expectNumeric("461").params());
            alice.send("JOIN nohash");
            assertEquals(List.of("alice", "nohash", "No such channel"), alice.expectNumeric("403").params());
            alice.send("JOIN #bad*name");
            assertEquals("403", alice.next().command());
        }
    }

    @Test
    void tooManyChannelsIs405() throws Exception {
        server.close();
        server = ChatServer.start(IrcServers.config().maxRooms(1).build());
        try (IrcTestClient alice = IrcTestClient.registered(IrcServers.irc(server), "alice")) {
            join(alice, "#one");
            alice.send("JOIN #two");
            assertEquals(List.of("alice", "#two", "You have joined too many channels"),
                    alice.expectNumeric("405").params());
        }
    }

    @Test
    void partWithAndWithoutReasonAndItsErrors() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            join(alice, "#room");
            join(bob, "#room");
            alice.sync();

            bob.send("PART #room :see you");
            assertEquals(List.of(":bob!chat@loomchat PART #room :see you"), bob.sync().stream().map(Line::raw).toList());
            assertEquals(List.of(":bob!chat@loomchat PART #room :see you"), alice.sync().stream().map(Line::raw).toList());

            bob.send("PART #room");
            assertEquals(List.of("bob", "#room", "You're not on that channel"), bob.expectNumeric("442").params());
            bob.send("PART nohash");
            assertEquals("403", bob.next().command());
            bob.send("PART");
            assertEquals("461", bob.next().command());
        }
    }

    @Test
    void privmsgAndNoticeToAChannelAndToANick() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            join(alice, "#room");
            join(bob, "#room");
            alice.sync();

            alice.send("PRIVMSG #room :hello there");
            assertEquals(List.of(), alice.sync(), "no echo without echo-message");
            assertEquals(List.of(":alice!chat@loomchat PRIVMSG #room :hello there"),
                    bob.sync().stream().map(Line::raw).toList());

            alice.send("PRIVMSG BOB :psst");
            alice.send("NOTICE bob :a notice");
            alice.send("PRIVMSG #room,bob :both");
            alice.sync();
            assertEquals(List.of(":alice!chat@loomchat PRIVMSG bob :psst", ":alice!chat@loomchat NOTICE bob :a notice",
                    ":alice!chat@loomchat PRIVMSG #room :both", ":alice!chat@loomchat PRIVMSG bob :both"),
                    bob.sync().stream().map(Line::raw).toList());
        }
    }

    @Test
    void privmsgErrorsAndNoticeGetsNone() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            alice.send("PRIVMSG nobody :hi");
            assertEquals(List.of("alice", "nobody", "No such nick/channel"), alice.expectNumeric("401").params());
            alice.send("PRIVMSG #elsewhere :hi");
            assertEquals(List.of("alice", "#elsewhere", "Cannot send to channel"), alice.expectNumeric("404").params());
            alice.send("PRIVMSG");
            assertEquals("411", alice.next().command());
            alice.send("PRIVMSG nobody");
            assertEquals("412", alice.next().command());
            alice.send("PRIVMSG nobody :");
            assertEquals("412", alice.next().command());
            alice.send("PRIVMSG nobody :\u0002\u0002");
            assertEquals("412", alice.next().command(), "nothing left once formatting is taken out");

            alice.send("NOTICE nobody :hi");
            alice.send("NOTICE #elsewhere :hi");
            alice.send("NOTICE");
            assertEquals(List.of(), alice.sync(), "a NOTICE never gets an automatic reply");
        }
    }

    @Test
    void nickChangesAreSeenByRoomMatesAndInUseIs433() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            join(alice, "#room");
            join(bob, "#room");
            alice.sync();

            bob.send("NICK robert");
            assertEquals(List.of(":bob!chat@loomchat NICK :robert"), bob.sync().stream().map(Line::raw).toList());
            assertEquals(List.of(":bob!chat@loomchat NICK :robert"), alice.sync().stream().map(Line::raw).toList());

            bob.send("NICK Alice");
            assertEquals(List.of("robert", "Alice", "Nickname is already in use"), bob.expectNumeric("433").params());
            bob.send("NICK -bad");
            assertEquals(List.of("robert", "-bad", "Erroneous nickname"), bob.expectNumeric("432").params());
            bob.send("NICK");
            assertEquals("431", bob.next().command());
            bob.send("PRIVMSG #room :still here");
            assertEquals(":robert!chat@loomchat PRIVMSG #room :still here", alice.expect("PRIVMSG").raw());
        }
    }

    @Test
    void quitIsAnsweredWithErrorAndRoomMatesSeeAQuit() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            join(alice, "#room");
            join(bob, "#room");
            alice.sync();

            bob.send("QUIT :gone fishing");
            assertEquals(List.of("ERROR :Closing Link: bob (Quit: gone fishing)"),
                    bob.readUntilClosed().stream().map(Line::raw).toList());
            assertEquals(":bob!chat@loomchat QUIT :Quit: gone fishing", alice.expect("QUIT").raw());
        }
    }

    @Test
    void aConnectionThatDropsIsAQuitForRoomMates() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            join(alice, "#room");
            try (IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
                join(bob, "#room");
                alice.sync();
            }
            assertEquals(":bob!chat@loomchat QUIT :Connection closed", alice.expect("QUIT").raw());
        }
    }

    @Test
    void pingIsAnsweredWithPongAndPingWithoutTokenIs409() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            alice.send("PING :are you there");
            assertEquals(":loomchat PONG loomchat :are you there", alice.next().raw());
            alice.send("PING");
            assertEquals("409", alice.next().command());
            alice.send("PONG :whatever");
            assertEquals(List.of(), alice.sync(), "a stray PONG gets nothing");
        }
    }

    @Test
    void namesWhoAndList() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            join(alice, "#room");
            join(bob, "#room");
            alice.sync();

            alice.send("NAMES #room");
            assertEquals(List.of(":loomchat 353 alice = #room :@alice bob", ":loomchat 366 alice #room :End of /NAMES list."),
                    alice.sync().stream().map(Line::raw).toList());
            alice.send("NAMES #nowhere");
            assertEquals(List.of("alice", "#nowhere", "End of /NAMES list."), alice.expectNumeric("366").params());
            alice.send("NAMES");
            assertEquals(List.of("alice", "*", "End of /NAMES list."), alice.expectNumeric("366").params());

            alice.send("WHO #room");
            List<Line> who = alice.sync();
            assertEquals(List.of("352", "352", "315"), commands(who));
            assertEquals(List.of("alice", "#room", "chat", "loomchat", "loomchat", "bob", "H", "0 Real bob"),
                    who.get(1).params());
            alice.send("WHO bob");
            assertEquals("~bob", alice.expect("352").param(2), "WHO of a nick shows what it gave in USER");
            alice.sync();
            alice.send("WHO bob");
            assertEquals(List.of("352", "315"), commands(alice.sync()));
            alice.send("WHO nobody");
            assertEquals(List.of("alice", "nobody", "End of /WHO list."), alice.expectNumeric("315").params());

            alice.send("LIST");
            assertEquals(List.of(":loomchat 321 alice Channel :Users  Name", ":loomchat 322 alice #room 2 :",
                    ":loomchat 323 alice :End of /LIST"), alice.sync().stream().map(Line::raw).toList());
            alice.send("LIST #other");
            assertEquals(List.of("321", "323"), commands(alice.sync()));
        }
    }

    @Test
    void whoisIsonUserhostAndAway() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            alice.send("WHOIS bob");
            assertEquals(List.of(":loomchat 311 alice bob ~bob loomchat * :Real bob",
                    ":loomchat 312 alice bob loomchat :loomchat chat server",
                    ":loomchat 318 alice bob :End of /WHOIS list."), alice.sync().stream().map(Line::raw).toList());
            alice.send("WHOIS nobody");
            assertEquals(List.of("401", "318"), commands(alice.sync()));
            alice.send("WHOIS");
            assertEquals("431", alice.next().command());

            alice.send("ISON bob nobody ALICE");
            assertEquals(List.of("alice", "bob alice"), alice.expectNumeric("303").params());
            alice.send("USERHOST bob nobody");
            assertEquals(List.of("alice", "bob=+chat@loomchat"), alice.expectNumeric("302").params());

            bob.send("AWAY :at lunch");
            assertEquals(List.of("bob", "You have been marked as being away"), bob.expectNumeric("306").params());
            alice.send("PRIVMSG bob :hi");
            assertEquals(List.of("alice", "bob", "at lunch"), alice.expectNumeric("301").params());
            alice.send("USERHOST bob");
            assertEquals(List.of("alice", "bob=-chat@loomchat"), alice.expectNumeric("302").params());
            alice.send("WHOIS bob");
            assertTrue(commands(alice.sync()).contains("301"));
            bob.send("AWAY");
            assertEquals("305", bob.expect("305").command());
            alice.send("PRIVMSG bob :back?");
            assertEquals(List.of(), alice.sync());
        }
    }

    @Test
    void topicModeVersionTimeLusersAndUnknownCommands() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            join(alice, "#room");
            alice.send("TOPIC #room");
            assertEquals(List.of("alice", "#room", "No topic is set"), alice.expectNumeric("331").params());
            alice.send("TOPIC #elsewhere");
            assertEquals("403", alice.next().command(), "no such channel");
            try (IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
                bob.send("TOPIC #room");
                assertEquals("442", bob.next().command(), "not on that channel");
                bob.send("KICK #room alice");
                assertEquals("442", bob.next().command());
            }
            alice.send("KICK #room bob :out");
            assertEquals(List.of("alice", "bob", "#room", "They aren't on that channel"),
                    alice.expectNumeric("441").params());
            alice.send("KICK #nowhere bob");
            assertEquals("403", alice.next().command());
            alice.send("KICK #room");
            assertEquals("461", alice.next().command());
            alice.send("INFO");
            assertEquals(List.of("371", "374"), commands(alice.sync()));
            alice.send("TOPIC nohash");
            assertEquals("403", alice.next().command());

            alice.send("MODE #room");
            assertEquals(List.of("alice", "#room", "+nt"), alice.expectNumeric("324").params());
            alice.send("MODE #room b");
            assertEquals("368", alice.next().command());
            alice.send("MODE #room +o bob");
            assertEquals("441", alice.next().command(), "bob is not on the channel");
            alice.send("MODE alice");
            assertEquals(List.of("alice", "+i"), alice.expectNumeric("221").params());
            alice.send("MODE alice +i");
            assertEquals("221", alice.next().command());
            alice.send("MODE alice +x");
            assertEquals("501", alice.next().command());
            alice.send("MODE nobody");
            assertEquals("401", alice.next().command());

            alice.send("VERSION");
            Line version = alice.next();
            assertEquals("351", version.command());
            assertTrue(version.param(1).startsWith("loomchat-"), version.raw());
            alice.sync();
            alice.send("TIME");
            assertEquals("391", alice.next().command());
            alice.send("LUSERS");
            assertEquals("251", alice.next().command());
            alice.sync();

            alice.send("FROBNICATE now");
            assertEquals(List.of("alice", "FROBNICATE", "Unknown command"), alice.expectNumeric("421").params());
            alice.send("frobnicate");
            assertEquals("421", alice.next().command(), "commands are case-insensitive");
        }
    }

    @Test
    void whowasRemembersNicksGivenUpByQuitOrChange() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            try (IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
                bob.send("NICK robert");
                bob.expect("NICK");
                bob.send("NICK Robert");
                bob.expect("NICK");
                bob.send("QUIT");
                bob.readUntilClosed();
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> server.connectionCount() == 1);
            alice.send("WHOWAS bob");
            assertEquals(List.of(":loomchat 314 alice bob ~bob loomchat * :Real bob",
                    ":loomchat 369 alice bob :End of WHOWAS"), alice.sync().stream().map(Line::raw).toList());
            alice.send("WHOWAS robert");
            assertEquals(List.of("alice", "Robert", "~bob", "loomchat", "*", "Real bob"), alice.expect("314").params());
            alice.sync();
            alice.send("WHOWAS nobody");
            assertEquals(List.of("406", "369"), commands(alice.sync()));
            alice.send("WHOWAS");
            assertEquals("431", alice.next().command());
        }
    }

    @Test
    void inviteTellsTheInvitedIrcUserAndTheInviter() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice");
             IrcTestClient bob = IrcTestClient.registered(irc, "bob")) {
            join(alice, "#room");
            alice.send("INVITE bob #room");
            assertEquals(List.of("alice", "bob", "#room"), alice.expectNumeric("341").params());
            assertEquals(":alice!chat@loomchat INVITE bob #room", bob.next().raw());
            bob.send("INVITE alice #room");
            assertEquals(List.of("bob", "#room", "You're not on that channel"), bob.expectNumeric("442").params());
            alice.send("INVITE nobody #room");
            assertEquals("401", alice.next().command());
            alice.send("INVITE bob");
            assertEquals("461", alice.next().command());
            alice.send("INVITE");
            assertEquals("337", alice.next().command());
        }
    }

    @Test
    void aNickChangeToTheSameNickSaysNothing() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            alice.send("NICK alice");
            assertEquals(List.of(), alice.sync());
            alice.send("NICK Alice");
            assertEquals(":alice!chat@loomchat NICK :Alice", alice.next().raw(), "a change of case is a change");
        }
    }

    @Test
    void theServerKeepaliveIsAnIrcPing() throws Exception {
        server.close();
        server = ChatServer.start(IrcServers.config().idleTimeout(java.time.Duration.ofMillis(300)).build());
        try (IrcTestClient alice = IrcTestClient.registered(IrcServers.irc(server), "alice")) {
            assertEquals("PING :loomchat", alice.expect("PING").raw());
            alice.send("PONG :loomchat");
            assertEquals("PING :loomchat", alice.expect("PING").raw(), "answered: pinged again, not dropped");
        }
    }

    @Test
    void anUnansweredKeepaliveEndsWithAPingTimeout() throws Exception {
        server.close();
        server = ChatServer.start(IrcServers.config().idleTimeout(java.time.Duration.ofMillis(200))
                .pingTimeout(java.time.Duration.ofMillis(200)).build());
        try (IrcTestClient alice = IrcTestClient.registered(IrcServers.irc(server), "alice")) {
            List<Line> lines = alice.readUntilClosed();
            assertEquals("ERROR :Closing Link: loomchat (Ping timeout)", lines.getLast().raw());
        }
    }
}
