package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loomchat.server.IrcTestClient.Line;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode, the IRC door's look-ups of who is online: {@code WHOIS}, {@code ISON} and
 * {@code USERHOST} on one node find the users of another node (through the nick claims in Redis),
 * and stop finding them once they have left.
 */
@Timeout(120)
class ClusterIrcLookupsTest {

    @TempDir
    Path temp;

    private TwoNodes nodes;
    private ChatServer n1;
    private ChatServer n2;

    @BeforeEach
    void start() throws Exception {
        nodes = TwoNodes.start(temp, false, IrcServers.config());
        n1 = nodes.n1;
        n2 = nodes.n2;
    }

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void whoisIsonAndUserhostFindUsersOfTheOtherNode() throws Exception {
        try (IrcTestClient alice = IrcTestClient.registered(IrcServers.irc(n1), "alice")) {
            try (TestClient bob = TestClient.welcomed(n2, "Bob");
                 IrcTestClient carol = IrcTestClient.registered(IrcServers.irc(n2), "carol")) {
                alice.send("WHOIS bob");
                assertEquals(List.of(":loomchat 311 alice Bob chat loomchat * :Bob",
                        ":loomchat 312 alice Bob loomchat :loomchat chat server (another node)",
                        ":loomchat 318 alice Bob :End of /WHOIS list."), alice.sync().stream().map(Line::raw).toList());
                alice.send("ISON nobody BOB alice carol");
                assertEquals(List.of("alice", "Bob alice carol"), alice.expectNumeric("303").params());
                alice.send("USERHOST carol nobody");
                assertEquals(List.of("alice", "carol=+chat@loomchat"), alice.expectNumeric("302").params());
            }
            AccountsTest.awaitNickFree(n1, "Bob");
            AccountsTest.awaitNickFree(n1, "carol");
            alice.send("WHOIS bob");
            assertEquals(List.of("401", "318"), alice.sync().stream().map(Line::command).toList());
            alice.send("ISON bob carol");
            assertEquals(List.of("alice", ""), alice.expectNumeric("303").params());
        }
    }
}
