package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a client can make the server hold is bounded, whatever it asks (PROTOCOL.md §8, README
 * "Limits"): a replay counts against the connection's outbound queue and carries at most
 * {@code replayBytes}; a client that pipelines requests without reading stalls its own reader;
 * room history in memory has a server-wide byte bound. Each attack runs beside a bystander pair
 * that keeps chatting and loses nothing.
 */
@Timeout(120)
class ChatServerMemoryBoundsTest {

    private static final int ATTACKERS = 40;

    @Test
    void nonReadingClientsJoiningALongHistoryWithHugeRefsHoldABoundedHeap() throws Exception {
        ChatConfig config = TestServers.config().build();
        try (ChatServer server = ChatServer.start(config);
             TestClient writer = TestClient.welcomed(server, "writer");
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            writer.join("#long");
            String text = "\u5b57".repeat(ContentRules.MAX_TEXT_CODE_POINTS); // 12 KB of UTF-8
            for (int i = 0; i < config.historyLength(); i++) {
                writer.send(new ClientMessage.Say("#long", text));
            }
            for (int i = 0; i < config.historyLength(); i++) {
                writer.next(ChatMessage.class);
            }
            alice.join("#talk");
            bob.join("#talk");
            alice.await(ServerMessage.Joined.class);
            long before = liveHeapBytes();

            // Each attacker: hello, then a join and 50 history requests, never reading: half of
            // them with the longest ref allowed (copied into every replayed frame), half with a
            // 60 KB one (refused: bad_request).
            byte[] attack = attack("x".repeat(dev.loomchat.protocol.Limits.DEFAULT_MAX_REF_LENGTH));
            byte[] hugeRefs = attack("x".repeat(60_000));
            List<Socket> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < ATTACKERS; i++) {
                    Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
                    socket.setReceiveBufferSize(4096);
                    socket.getOutputStream().write(Frame.of(new ClientMessage.Hello("eater" + i, null, null, 1, null))
                            .toByteArray());
                    socket.getOutputStream().write(i % 2 == 0 ? attack : hugeRefs);
                    attackers.add(socket);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> server.connectionCount() == ATTACKERS + 3);
                chatsWithoutLoss(alice, bob, 10);
                long held = liveHeapBytes() - before;

                long bound = (long) ATTACKERS * 2 * config.outboxBytes();
                assertTrue(held < bound, "non-reading clients hold " + held / 1024 + " KiB of heap; bound "
                        + bound / 1024 + " KiB (2 x outboxBytes each)");
            } finally {
                for (Socket socket : attackers) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void roomHistoryInMemoryIsBoundServerWideAndTheOldestIsForgottenFirst() throws Exception {
        long historyBytes = 2L << 20;
        ChatConfig config = TestServers.config().historyBytes(historyBytes).build();
        String text = "h".repeat(ContentRules.MAX_TEXT_CODE_POINTS);
        try (ChatServer server = ChatServer.start(config);
             TestClient writer = TestClient.welcomed(server, "writer");
             TestClient reader = TestClient.welcomed(server, "reader")) {
            // 40 rooms x 100 messages of 4000 characters: about 32 MB of history unbounded.
            for (int room = 0; room < 40; room++) {
                writer.join("#r" + room);
                for (int i = 0; i < config.historyLength(); i++) {
                    writer.send(new ClientMessage.Say("#r" + room, text));
                }
                for (int i = 0; i < config.historyLength(); i++) {
                    writer.next(ChatMessage.class);
                }
                assertTrue(server.stats().get("historyBytes") <= historyBytes, "bounded at every step");
            }

            assertTrue(server.stats().get("historyBytes") > historyBytes / 2, "the bound is used, not undershot");
            assertEquals(List.of(), reader.join("#r0"), "the oldest room's history was forgotten first");
            List<ChatMessage> newest = reader.join("#r39");
            assertTrue(!newest.isEmpty(), "the newest room keeps its history");
        }
    }

    /** A join and 50 history requests of one room, each with {@code ref}. */
    private static byte[] attack(String ref) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(Frame.of(new ClientMessage.Join("#long", ref)).toByteArray());
        for (int i = 0; i < 50; i++) {
            bytes.writeBytes(Frame.of(new ClientMessage.History("#long", null, ref)).toByteArray());
        }
        return bytes.toByteArray();
    }

    /** Alice says {@code count} messages; Bob must hear every one, in order. */
    private static void chatsWithoutLoss(TestClient alice, TestClient bob, int count) throws Exception {
        List<String> said = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            said.add(alice.say("#talk", "still here " + i).text());
        }
        List<String> heard = new ArrayList<>();
        while (heard.size() < count) {
            if (bob.next() instanceof ChatMessage message && "alice".equals(message.from())) {
                heard.add(message.text());
            }
        }
        assertEquals(said, heard);
        assertEquals(List.of(), bob.sync().stream().filter(m -> m instanceof ServerMessage.Error).toList());
    }

    private static long liveHeapBytes() {
        ManagementFactory.getMemoryMXBean().gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
