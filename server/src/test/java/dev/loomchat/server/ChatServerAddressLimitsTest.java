package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-address limits over real connections (issue 21): the 17th from one address is refused. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChatServerAddressLimitsTest {

    @Test
    void theSeventeenthConnectionFromOneAddressIsRefusedWithAClearError() throws Exception {
        List<TestClient> open = new ArrayList<>();
        try (ChatServer server = ChatServer.start(TestServers.config().exemptLoopback(false).build())) {
            for (int i = 0; i < ChatConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS; i++) {
                open.add(TestClient.welcomed(server, "user" + i));
            }
            try (TestClient seventeenth = TestClient.connect(server.address())) {
                ServerMessage.Error error = seventeenth.nextError(ErrorCode.TOO_MANY_CONNECTIONS);
                assertTrue(error.message().contains("at most 16"), error.message());
                assertInstanceOf(Decoded.End.class, seventeenth.read(), "then the server closes");
            }
            open.removeFirst().close();
            // Once the server has seen one of the sixteen go, there is room again.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                try (TestClient probe = TestClient.connect(server.address())) {
                    return probe.hello("probe") != null;
                } catch (AssertionError refusedStill) {
                    return false;
                }
            });
            assertTrue(server.stats().get("addressLimited") >= 1);
        } finally {
            for (TestClient client : open) {
                client.close();
            }
        }
    }

    @Test
    void reconnectingInALoopIsThrottled() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().exemptLoopback(false)
                .maxConnectionsPerAddress(4).connectRatePerAddress(1).build())) {
            int burst = ChatConfig.connectBurst(4);
            long start = System.nanoTime();
            int admitted = 0;
            int refused = 0;
            for (int i = 0; i < burst + 20; i++) {
                try (TestClient client = TestClient.connect(server.address())) {
                    ServerMessage first;
                    client.send(new dev.loomchat.protocol.ClientMessage.Hello("loop" + i, null, "tests", 1, "r"));
                    first = client.next();
                    if (first instanceof ServerMessage.Welcome) {
                        admitted++;
                    } else {
                        assertEquals(ErrorCode.TOO_MANY_CONNECTIONS, assertInstanceOf(ServerMessage.Error.class, first).code());
                        assertTrue(((ServerMessage.Error) first).message().contains("wait a moment"));
                        refused++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(refused > 0, "a connect loop was never throttled");
            // the bucket: the burst, plus one per second that passed (a slow machine refills more)
            assertTrue(admitted <= burst + Math.ceil(seconds) + 1, admitted + " admitted in " + seconds + " s");
        }
    }

    @Test
    void theLimitCountsEveryDoorTogether() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().exemptLoopback(false)
                .maxConnectionsPerAddress(1).irc(IrcServers.door()).build());
             TestClient json = TestClient.welcomed(server, "first");
             IrcTestClient irc = IrcTestClient.connect(IrcServers.irc(server))) {
            IrcTestClient.Line error = irc.expect("ERROR");
            assertTrue(error.toString().contains("too_many_connections"), error.toString());
        }
    }

    @Test
    void loopbackIsExemptWhenConfigured() throws Exception {
        List<TestClient> open = new ArrayList<>();
        try (ChatServer server = ChatServer.start(TestServers.config().exemptLoopback(true).build())) {
            for (int i = 0; i < ChatConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + 4; i++) {
                open.add(TestClient.welcomed(server, "many" + i));
            }
            assertEquals(0L, server.stats().get("addressLimited"));
        } finally {
            for (TestClient client : open) {
                client.close();
            }
        }
    }
}
