package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.IrcTestClient.Line;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the IRC door does with input no client should send: binary, invalid UTF-8, lines of
 * 100 KB, a thousand parameters, floods, and connections by the thousand. Always a clear answer,
 * never a crash, and the connection goes on where IRC servers let it.
 */
@Timeout(180)
class IrcBadInputTest {

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
    void a100KilobyteLineWithoutLineEndIsSkippedWith417AndTheConnectionGoesOn() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            byte[] huge = new byte[100 * 1024];
            Arrays.fill(huge, (byte) 'x');
            alice.sendRaw(huge);
            alice.sendRaw("\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(List.of("alice", "Input line was too long"), alice.expectNumeric("417").params());
            alice.send("PRIVMSG #x" + "y".repeat(600));
            assertEquals("417", alice.next().command(), "513 bytes and more is too long");
            alice.send("@" + "t=v;".repeat(2000) + " PING :tagged");
            assertEquals(":loomchat PONG loomchat :tagged", alice.next().raw(), "8 KB of tags are allowed");
            assertEquals(List.of(), alice.sync());
        }
    }

    @Test
    void aLineOfOneThousandParametersIsBounded() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            alice.send("ISON" + " a".repeat(250));
            assertEquals(List.of("alice", ""), alice.expectNumeric("303").params());
            StringBuilder thousand = new StringBuilder("@x=1 USERHOST");
            for (int i = 0; i < 1000; i++) {
                thousand.append(' ').append('p');
            }
            alice.send(thousand.toString());
            assertEquals("417", alice.next().command(), "a thousand parameters do not fit in 512 bytes");
            assertEquals(List.of(), alice.sync());
        }
    }

    @Test
    void invalidUtf8IsReadAsLatin1() throws Exception {
        try (TestClient json = TestClient.welcomed(server, "jason");
             IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            alice.sendRaw("PRIVMSG jason :caf\u00e9 cr\u00e8me\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("café crème", json.await(ServerMessage.ChatMessage.class).text());
            alice.sendRaw("PRIVMSG jason :caf\u00e9 in UTF-8\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("café in UTF-8", json.await(ServerMessage.ChatMessage.class).text());
        }
    }

    @Test
    void binaryGarbageGetsAnswersAndNeverEndsTheConnection() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(irc, "alice")) {
            Random random = new Random(19);
            for (int i = 0; i < 50; i++) {
                byte[] junk = new byte[random.nextInt(400)];
                random.nextBytes(junk);
                alice.sendRaw(junk);
            }
            alice.sendRaw(new byte[] {'\r', '\n', 0, 0, 0, '\r', '\n'});
            List<Line> lines = alice.sync();
            assertTrue(lines.stream().allMatch(line -> line.numeric() || line.command().equals("PONG")
                    || line.command().equals("PART") || line.command().equals("JOIN")), lines.toString());
            alice.send("PRIVMSG #nowhere :\u0000nul");
            assertEquals("404", alice.expect("404").command());
            assertEquals(List.of(), alice.sync());
        }
    }

    @Test
    void excessInputIsDelayedNotRefusedAndSustainedFloodingIsExcessFlood() throws Exception {
        server.close();
        server = ChatServer.start(IrcServers.config().msgRate(4).msgBurst(2).build());
        try (IrcTestClient alice = IrcTestClient.registered(IrcServers.irc(server), "alice")) {
            for (int i = 0; i < 6; i++) {
                alice.send("PING :lag" + i);
            }
            for (int i = 0; i < 6; i++) {
                assertEquals(":loomchat PONG loomchat :lag" + i, alice.next().raw(), "delayed, not refused");
            }
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                flood.append("PRIVMSG alice :flood ").append(i).append("\r\n");
            }
            alice.sendRaw(flood.toString().getBytes(StandardCharsets.UTF_8));
            List<Line> lines = alice.readUntilClosed();
            assertEquals("ERROR :Excess Flood", lines.getLast().raw());
        }
    }

    @Test
    void thousandsOfConnectQuitCyclesLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 2000; i++) {
            try (IrcTestClient client = IrcTestClient.connect(irc)) {
                client.send(i % 2 == 0 ? "QUIT" : "NICK n" + i + "\r\nUSER u 0 * :u\r\nQUIT :done");
                client.readUntilClosed();
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.connectionCount() == 0);
        assertEquals(0L, server.stats().get("welcomed"));
        try (IrcTestClient alice = IrcTestClient.registered(irc, "n1")) {
            assertEquals("n1", alice.nick(), "the nicks of the quit connections are free again");
        }
    }
}
