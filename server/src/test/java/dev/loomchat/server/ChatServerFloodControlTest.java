package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flood control (PROTOCOL.md §8): a token bucket of {@code msgBurst} refilled at {@code msgRate}
 * per second; a refused request gets {@code rate_limited}; more than {@code 2 × msgBurst}
 * refusals within 10 s is {@code excess_flood} and a disconnect.
 */
@Timeout(60)
class ChatServerFloodControlTest {

    private static ChatConfig rate5burst5() {
        return TestServers.config().msgRate(5).msgBurst(5).build();
    }

    /** {@code count} {@code rooms} requests with refs p1..pN, written at once. */
    private static byte[] requests(int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 1; i <= count; i++) {
            bytes.writeBytes(Frame.of(new ClientMessage.Rooms("p" + i)).toByteArray());
        }
        return bytes.toByteArray();
    }

    @Test
    void aBurstOverTheBucketGetsRateLimitedErrorsWithRefsAndTheConnectionSurvives() throws Exception {
        // 12 at once against a bucket of 5 (the hello took one): about 8 refusals, fewer than the
        // 2 × burst = 10 that would count as excess flood (PROTOCOL.md §8).
        try (ChatServer server = ChatServer.start(rate5burst5());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.sendRaw(requests(12));

            int pongs = 0;
            int limited = 0;
            for (int i = 1; i <= 12; i++) {
                ServerMessage reply = alice.next();
                String ref = "p" + i;
                if (reply instanceof ServerMessage.Rooms list) {
                    assertEquals(ref, list.ref());
                    pongs++;
                } else {
                    ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, reply);
                    assertEquals(ErrorCode.RATE_LIMITED, error.code());
                    assertEquals(ref, error.ref(), "every refused request is answered, in order");
                    limited++;
                }
            }
            assertTrue(pongs >= 4 && pongs <= 6, "about the bucket's worth is served: " + pongs);
            assertTrue(limited >= 6, "the rest is refused: " + limited);
            assertEquals(limited, server.stats().get("rateLimited"));
            // The bucket refills at 5/s: the session goes on.
            await().pollDelay(Duration.ofMillis(400)).pollInterval(Duration.ofMillis(400)).atMost(Duration.ofSeconds(20))
                    .until(() -> requestAnswered(alice));
            assertEquals(0, server.stats().get("floodDisconnects"));
        }
    }

    @Test
    void pongIsFreeOfCharge() throws Exception {
        try (ChatServer server = ChatServer.start(rate5burst5());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            ByteArrayOutputStream many = new ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                many.writeBytes(Frame.of(new ClientMessage.Pong()).toByteArray());
            }
            alice.sendRaw(many.toByteArray());

            assertEquals(List.of(), alice.sync());
            assertEquals(0, server.stats().get("rateLimited"));
        }
    }

    @Test
    void sustainedFloodingIsExcessFloodAndADisconnectThatRoomMatesSee() throws Exception {
        try (ChatServer server = ChatServer.start(rate5burst5());
             TestClient bob = TestClient.welcomed(server, "bob");
             TestClient flooder = TestClient.welcomed(server, "flooder")) {
            bob.join("#r");
            flooder.join("#r");
            bob.next(ServerMessage.Joined.class);

            flooder.sendRaw(requests(60));

            List<ServerMessage> replies = flooder.readUntilClosed();
            ServerMessage.Error last = assertInstanceOf(ServerMessage.Error.class, replies.getLast(), replies::toString);
            assertEquals(ErrorCode.EXCESS_FLOOD, last.code());
            long limited = replies.stream().filter(m -> m instanceof ServerMessage.Error e
                    && e.code() == ErrorCode.RATE_LIMITED).count();
            assertEquals(10, limited, "2 × burst refusals are tolerated, the next one is not: " + replies);
            assertTrue(replies.size() < 60, "nothing is processed after the excess flood");
            ServerMessage.Parted parted = bob.next(ServerMessage.Parted.class);
            assertEquals("flooder", parted.nick());
            assertEquals(ServerMessage.Parted.REASON_EXCESS_FLOOD, parted.reason());
            assertEquals(1, server.stats().get("floodDisconnects"));
            // Bob is unaffected, and the flooder's nick is free again.
            assertEquals("bob", bob.say("#r", "still here").from());
            await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 1);
            try (TestClient again = TestClient.welcomed(server, "flooder")) {
                assertEquals("flooder", again.nick());
            }
        }
    }

    @Test
    void badLinesCountAgainstTheBucketToo() throws Exception {
        try (ChatServer server = ChatServer.start(rate5burst5());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.sendRaw("junk\njunk\njunk\njunk\njunk\njunk\njunk\n".getBytes(StandardCharsets.UTF_8));

            List<ErrorCode> codes = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                codes.add(alice.next(ServerMessage.Error.class).code());
            }

            int firstRefusal = codes.indexOf(ErrorCode.RATE_LIMITED);
            assertTrue(firstRefusal >= 4 && firstRefusal <= 5, codes::toString);
            assertEquals(codes.subList(0, firstRefusal), java.util.Collections.nCopies(firstRefusal, ErrorCode.BAD_JSON));
            assertEquals(codes.subList(firstRefusal, 7), java.util.Collections.nCopies(7 - firstRefusal, ErrorCode.RATE_LIMITED));
        }
    }

    /** Whether a {@code rooms} request is answered (true) or refused with rate_limited (false). */
    private static boolean requestAnswered(TestClient client) throws Exception {
        String ref = client.ref();
        client.send(new ClientMessage.Rooms(ref));
        ServerMessage reply = client.next();
        if (reply instanceof ServerMessage.Error error) {
            assertEquals(ErrorCode.RATE_LIMITED, error.code());
            assertEquals(ref, error.ref());
            return false;
        }
        assertEquals(ref, assertInstanceOf(ServerMessage.Rooms.class, reply).ref());
        return true;
    }

    @Test
    void pingAndQuitAreNeverRefusedPingsOverTheBudgetAreDelayed() throws Exception {
        try (ChatServer server = ChatServer.start(rate5burst5());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            ByteArrayOutputStream pings = new ByteArrayOutputStream();
            for (int i = 1; i <= 12; i++) {
                pings.writeBytes(Frame.of(new ClientMessage.Ping("p" + i)).toByteArray());
            }
            pings.writeBytes(Frame.of(new ClientMessage.Quit("q")).toByteArray());
            long start = System.nanoTime();
            alice.sendRaw(pings.toByteArray());

            for (int i = 1; i <= 12; i++) {
                assertEquals(new ServerMessage.Pong("p" + i), alice.next(), "every ping is answered, in order");
            }
            assertEquals(new ServerMessage.Bye("q"), alice.next());
            // 12 pings against a bucket of 4 (hello took one) at 5/s: the last ones wait for tokens.
            assertTrue(System.nanoTime() - start >= 1_000_000_000L, "over-budget pings were delayed, not refused");
            assertEquals(0, server.stats().get("rateLimited"));
        }
    }
}
