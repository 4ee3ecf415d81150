package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.server.IrcTestClient.Line;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IRC registration over real sockets: PASS, NICK, USER and CAP in every order clients use, the
 * welcome burst (001–005, LUSERS, MOTD), the registration errors of RFC 2812 and the timeout.
 */
@Timeout(120)
class IrcRegistrationTest {

    private ChatServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private IrcTestClient connect(ChatConfig.Builder config) throws Exception {
        server = ChatServer.start(config.build());
        return IrcTestClient.connect(IrcServers.irc(server));
    }

    @Test
    void nickThenUserGetsTheWelcomeBurstWithIsupportLusersAndNoMotd() throws Exception {
        try (IrcTestClient alice = connect(IrcServers.config())) {
            List<Line> lines = alice.register("alice");

            List<String> commands = lines.stream().map(Line::command).toList();
            assertEquals(List.of("001", "002", "003", "004", "005", "005", "251", "252", "253", "254", "255", "265",
                    "266", "422"), commands);
            assertEquals(List.of("alice", "Welcome to the loomchat IRC network, alice!chat@loomchat"),
                    lines.get(0).params());
            assertEquals("loomchat", lines.get(0).source());
            String isupport = lines.get(4).raw() + " " + lines.get(5).raw();
            for (String token : List.of("CASEMAPPING=ascii", "CHANTYPES=#", "NICKLEN=32", "CHANNELLEN=50",
                    "TOPICLEN=", "PREFIX=(ov)@+", "CHANLIMIT=#:50", "NETWORK=loomchat")) {
                assertTrue(isupport.contains(" " + token), token + " in " + isupport);
            }
            assertEquals(List.of("alice", "There are 1 users and 0 invisible on 1 servers"), lines.get(6).params());
            assertEquals(List.of("alice", "MOTD File is missing"), lines.getLast().params());
        }
    }

    @Test
    void theMotdFileIsSentLineByLine() throws Exception {
        try (IrcTestClient alice = connect(TestServers.config().irc(IrcServers.door(List.of("Welcome!", "Be nice."),
                Duration.ofSeconds(30))))) {
            List<Line> lines = alice.register("alice");

            List<Line> motd = lines.subList(lines.size() - 4, lines.size());
            assertEquals(List.of("375", "372", "372", "376"), motd.stream().map(Line::command).toList());
            assertEquals(List.of("alice", "- Welcome!"), motd.get(1).params());
            assertEquals(List.of("alice", "- Be nice."), motd.get(2).params());
            alice.send("MOTD");
            assertEquals("375", alice.next().command());
        }
    }

    @Test
    void userBeforeNickRegistersToo() throws Exception {
        try (IrcTestClient alice = connect(IrcServers.config())) {
            alice.send("USER alice 0 * :Alice");
            alice.send("NICK alice");

            assertEquals(List.of("alice", "Welcome to the loomchat IRC network, alice!chat@loomchat"),
                    alice.expect("001").params());
        }
    }

    @Test
    void capLsBeforeNickHoldsRegistrationUntilCapEnd() throws Exception {
        try (IrcTestClient alice = connect(IrcServers.config())) {
            alice.send("CAP LS 302");
            alice.send("NICK alice");
            alice.send("USER alice 0 * :Alice");
            Line ls = alice.next();
            assertEquals(List.of("*", "LS", "batch cap-notify echo-message message-tags multi-prefix server-time"
                    + " sasl=PLAIN draft/account-registration=before-connect"),
                    ls.params());
            assertEquals(List.of(), alice.sync(), "no welcome while CAP negotiation is open");

            alice.send("CAP REQ :server-time echo-message");
            assertEquals(List.of("*", "ACK", "server-time echo-message"), alice.next().params());
            alice.send("CAP END");
            assertEquals("001", alice.next().command());
        }
    }

    @Test
    void capAfterNickAndUserStillHoldsRegistrationUntilCapEnd() throws Exception {
        try (IrcTestClient alice = connect(IrcServers.config())) {
            alice.send("NICK alice");
            alice.send("CAP LS");
            alice.send("USER alice 0 * :Alice");
            assertEquals("LS", alice.next().param(1));
            assertEquals(List.of(), alice.sync());
            alice.send("CAP END");
            assertEquals("001", alice.next().command());
        }
    }

    @Test
    void aNickInUseDuringRegistrationGets433AndAnotherNickRegisters() throws Exception {
        server = ChatServer.start(IrcServers.config().build());
        try (TestClient json = TestClient.welcomed(server, "alice");
             IrcTestClient irc = IrcTestClient.connect(IrcServers.irc(server))) {
            irc.send("NICK ALICE");
            irc.send("USER alice 0 * :Alice");
            assertEquals(List.of("*", "ALICE", "Nickname is already in use"), irc.next().params());
            assertEquals(List.of(), irc.sync(), "not registered");

            irc.send("NICK alice2");
            assertEquals("alice2", irc.expect("001").param(0));
        }
    }

    @Test
    void theRegistrationErrorsOfRfc2812() throws Exception {
        try (IrcTestClient alice = connect(IrcServers.config())) {
            alice.send("NICK");
            assertEquals(List.of("*", "No nickname given"), alice.expectNumeric("431").params());
            alice.send("NICK 9lives");
            assertEquals(List.of("*", "9lives", "Erroneous nickname"), alice.expectNumeric("432").params());
            alice.send("NICK " + "a".repeat(33));
            assertEquals("432", alice.next().command());
            alice.send("USER alice");
            assertEquals(List.of("*", "USER", "Not enough parameters"), alice.expectNumeric("461").params());
            alice.send("JOIN #room");
            assertEquals(List.of("*", "You have not registered"), alice.expectNumeric("451").params());
            alice.send("PASS");
            assertEquals(List.of("*", "PASS", "Not enough parameters"), alice.expectNumeric("461").params());

            alice.register("alice");
            alice.send("USER again 0 * :Again");
            assertEquals(List.of("alice", "You may not reregister"), alice.expectNumeric("462").params());
            alice.send("PASS secret");
            assertEquals("462", alice.next().command());
        }
    }

    @Test
    void theServerPasswordIsCheckedAtRegistration() throws Exception {
        server = ChatServer.start(IrcServers.config().password("sesame").build());
        try (IrcTestClient wrong = IrcTestClient.connect(IrcServers.irc(server))) {
            wrong.send("PASS guess");
            wrong.send("NICK alice");
            wrong.send("USER alice 0 * :Alice");
            List<Line> lines = wrong.readUntilClosed();
            assertEquals(List.of("464", "ERROR"), lines.stream().map(Line::command).toList());
        }
        try (IrcTestClient missing = IrcTestClient.connect(IrcServers.irc(server))) {
            missing.send("NICK alice");
            missing.send("USER alice 0 * :Alice");
            assertEquals("464", missing.readUntilClosed().getFirst().command());
        }
        try (IrcTestClient right = IrcTestClient.connect(IrcServers.irc(server))) {
            right.send("PASS sesame");
            assertEquals("001", right.register("alice").getFirst().command());
        }
    }

    @Test
    void aRegistrationThatNeverCompletesIsClosedAfterTheTimeout() throws Exception {
        try (IrcTestClient idle = connect(TestServers.config().irc(IrcServers.door(null, Duration.ofMillis(300))))) {
            idle.send("NICK idle");
            List<Line> lines = idle.readUntilClosed();
            assertEquals(List.of("ERROR :Closing Link: loomchat (Registration timed out)"),
                    lines.stream().map(Line::raw).toList());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.connectionCount() == 0);
        }
    }

    @Test
    void aRegisteredClientOutlivesTheRegistrationTimeout() throws Exception {
        try (IrcTestClient alice = connect(TestServers.config().irc(IrcServers.door(null, Duration.ofMillis(200))))) {
            alice.register("alice");
            org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(400)).until(() -> true);
            assertEquals(List.of(), alice.sync(), "still connected, nothing said");
        }
    }

    @Test
    void quitBeforeRegistrationIsAnsweredWithError() throws Exception {
        try (IrcTestClient alice = connect(IrcServers.config())) {
            alice.send("QUIT :bye");
            List<Line> lines = alice.readUntilClosed();
            assertEquals("ERROR", lines.getLast().command());
            assertFalse(lines.getLast().params().isEmpty());
        }
    }
}
