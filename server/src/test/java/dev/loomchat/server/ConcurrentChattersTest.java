package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrent chatters (issue 4): 200 clients in 5 rooms (40 per room) each send 200 messages at
 * once (no flood control) while other clients join and leave those rooms. Every member must
 * receive every message of its room exactly once, in per-sender order, in id order; the
 * churning clients must see, per sender, an unbroken run of messages from their replay through
 * their live messages. In the second test, 10 more clients that join every room and then never
 * read must be dropped as slow consumers while the others lose nothing.
 *
 * <p>Outbound queue bounds: with 10,000 frames per client a reading client can never overflow
 * (it is sent about 8,300 frames in all: 8,000 messages plus presence events), whatever the
 * scheduling on a busy machine; a non-reader in all five rooms is sent 40,000 messages of about
 * 160 bytes (6 MB), far more than its TCP buffers (4 KiB receive buffer) and the queue can hold.
 */
class ConcurrentChattersTest {

    private static final int ROOMS = 5;
    private static final int PER_ROOM = 40;
    private static final int MESSAGES = 200;
    private static final int CHURNERS = 10;
    private static final int CHURN_CYCLES = 20;
    private static final int NON_READERS = 10;
    private static final String PADDING = "p".repeat(80);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private static ChatConfig config() {
        return TestServers.config().outboxFrames(10_000).outboxBytes(4 << 20).build();
    }

    @Test
    @Timeout(120)
    void everyMemberReceivesEveryMessageOfItsRoomExactlyOnceInPerSenderOrder() throws Exception {
        try (ChatServer server = ChatServer.start(config())) {
            chat(server, 0);
            assertEquals(0, server.stats().get("slowConsumers"));
        }
    }

    @Test
    @Timeout(120)
    void clientsThatNeverReadAreDroppedAsSlowConsumersWhileTheOthersLoseNothing() throws Exception {
        try (ChatServer server = ChatServer.start(config())) {
            chat(server, NON_READERS);
        }
    }

    private static String room(int index) {
        return "#room" + index;
    }

    private static void chat(ChatServer server, int nonReaderCount) throws Exception {
        long started = System.nanoTime();
        List<TestClient> chatters = new ArrayList<>();
        List<TestClient> nonReaders = new ArrayList<>();
        List<TestClient> churners = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int r = 0; r < ROOMS; r++) {
                for (int i = 0; i < PER_ROOM; i++) {
                    TestClient client = TestClient.connect(server.address(), READ_TIMEOUT, -1);
                    chatters.add(client);
                    client.hello("u" + r + "x" + i);
                    client.join(room(r));
                }
            }
            for (int n = 0; n < nonReaderCount; n++) {
                TestClient client = TestClient.connect(server.address(), READ_TIMEOUT, 4096);
                nonReaders.add(client);
                client.hello("lazy" + n);
                for (int r = 0; r < ROOMS; r++) {
                    client.join(room(r));
                }
                // ... and from now on it never reads again.
            }
            for (int c = 0; c < CHURNERS; c++) {
                TestClient client = TestClient.connect(server.address(), READ_TIMEOUT, -1);
                churners.add(client);
                client.hello("churn" + c);
            }
            long setUp = System.nanoTime();

            CountDownLatch go = new CountDownLatch(1);
            List<Future<Received>> readers = new ArrayList<>();
            for (int k = 0; k < chatters.size(); k++) {
                TestClient client = chatters.get(k);
                String room = room(k / PER_ROOM);
                readers.add(threads.submit(() -> readRoom(client, room)));
            }
            List<Future<?>> senders = new ArrayList<>();
            for (TestClient client : chatters) {
                senders.add(threads.submit(() -> sendAll(client, go)));
            }
            List<Future<Integer>> churning = new ArrayList<>();
            for (int c = 0; c < CHURNERS; c++) {
                TestClient client = churners.get(c);
                int first = c;
                churning.add(threads.submit(() -> churn(client, first, go)));
            }
            go.countDown();

            for (Future<?> sender : senders) {
                sender.get(100, TimeUnit.SECONDS);
            }
            List<Received> received = new ArrayList<>();
            for (Future<Received> reader : readers) {
                received.add(reader.get(100, TimeUnit.SECONDS));
            }
            int windows = 0;
            for (Future<Integer> churner : churning) {
                windows += churner.get(100, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - setUp) / 1e9;

            // Every member got every message of its room once, in per-sender order (checked as
            // they arrived); here: from every sender of its room, all of them.
            for (int k = 0; k < received.size(); k++) {
                Received r = received.get(k);
                assertEquals(PER_ROOM, r.lastSeq.size(), () -> r.nick + " heard from " + r.lastSeq.size() + " senders");
                r.lastSeq.forEach((sender, last) -> assertEquals(MESSAGES - 1, last,
                        () -> r.nick + " got messages of " + sender + " up to " + last));
            }
            assertEquals(CHURNERS * CHURN_CYCLES, windows);
            long deliveries = (long) ROOMS * PER_ROOM * MESSAGES * PER_ROOM;
            System.out.printf("concurrent chatters (%d non-readers): %d clients x %d messages = %d sends, %d deliveries"
                            + " to readers in %.1f s (set-up %.1f s)%n", nonReaderCount, chatters.size(), MESSAGES,
                    chatters.size() * MESSAGES, deliveries, seconds, (setUp - started) / 1e9);

            if (nonReaderCount > 0) {
                assertNonReadersWereDropped(server, chatters, received, nonReaders);
            }
        } finally {
            for (TestClient client : chatters) {
                client.close();
            }
            for (TestClient client : nonReaders) {
                client.close();
            }
            for (TestClient client : churners) {
                client.close();
            }
        }
    }

    private static void assertNonReadersWereDropped(ChatServer server, List<TestClient> chatters,
                                                    List<Received> received, List<TestClient> nonReaders)
            throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> server.stats().get("slowConsumers") >= nonReaders.size());
        assertEquals(nonReaders.size(), server.stats().get("slowConsumers"), "only the non-readers were dropped");
        // The server closed their connections: only the readers and churners are left ...
        int others = chatters.size() + CHURNERS;
        await().atMost(Duration.ofSeconds(60)).until(() -> server.connectionCount() == others);
        // ... and their sockets see the end (EOF or a reset) once the bytes still in flight are read.
        // Those sit in TCP buffers sized by the 4 KiB window; a bigger receive buffer now lets them
        // come at once instead of at the pace of the sender's zero-window probes.
        long drained = 0;
        long drainStart = System.nanoTime();
        try (ExecutorService drains = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> results = new ArrayList<>();
            for (TestClient client : nonReaders) {
                client.socket().setReceiveBufferSize(4 << 20);
                results.add(drains.submit(() -> drainUntilClosed(client.socket().getInputStream())));
            }
            for (Future<Long> result : results) {
                drained += result.get(60, TimeUnit.SECONDS);
            }
        }
        System.out.printf("non-readers: %d KiB were on their way to them when they were dropped; read to the end in %.1f s%n",
                drained >> 10, (System.nanoTime() - drainStart) / 1e9);
        // Every reader was told, once per non-reader, why they left.
        Set<String> expected = new HashSet<>();
        for (TestClient client : nonReaders) {
            expected.add(client.nick());
        }
        for (int k = 0; k < chatters.size(); k++) {
            TestClient chatter = chatters.get(k);
            Set<String> dropped = new HashSet<>(received.get(k).slowConsumers());
            // Frames that arrived after the reader's last message are still unread: read up to a sync.
            for (ServerMessage message : chatter.sync()) {
                if (message instanceof ServerMessage.Parted parted
                        && ServerMessage.Parted.REASON_SLOW_CONSUMER.equals(parted.reason())) {
                    dropped.add(parted.nick());
                }
            }
            assertEquals(expected, dropped, chatter::toString);
        }
    }

    /** Reads raw bytes until EOF or a reset, within 30 s (an upper bound); returns how many came. */
    private static long drainUntilClosed(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (System.nanoTime() > deadline) {
                    fail("still reading a dropped connection after 30 s: " + (total >> 10) + " KiB so far");
                }
            }
        } catch (SocketException e) {
            // Reset by the server: closed too.
        }
        return total;
    }

    /** What one reader saw: per sender, the last sequence number received. */
    record Received(String nick, Map<String, Integer> lastSeq, Set<String> slowConsumers) {
    }

    /**
     * Reads until every message of the room has arrived, checking each as it comes: per sender,
     * sequence numbers 0, 1, 2, ... without gaps or repeats; ids increasing.
     */
    private static Received readRoom(TestClient client, String room) throws IOException {
        Map<String, Integer> lastSeq = new HashMap<>();
        Set<String> slowConsumers = new HashSet<>();
        long lastId = 0;
        int expectedTotal = PER_ROOM * MESSAGES;
        for (int count = 0; count < expectedTotal; ) {
            ServerMessage message = client.next();
            if (message instanceof ServerMessage.Parted parted
                    && ServerMessage.Parted.REASON_SLOW_CONSUMER.equals(parted.reason())) {
                slowConsumers.add(parted.nick());
            }
            if (!(message instanceof ChatMessage chat)) {
                continue;
            }
            assertEquals(room, chat.room(), () -> "a message of another room: " + chat);
            if (chat.id() <= lastId) {
                fail(client + ": id " + chat.id() + " after " + lastId);
            }
            lastId = chat.id();
            int seq = seqOf(chat);
            int expected = lastSeq.getOrDefault(chat.from(), -1) + 1;
            assertEquals(expected, seq, () -> client + ": from " + chat.from() + " expected #" + expected + ", got " + chat);
            lastSeq.put(chat.from(), seq);
            count++;
        }
        return new Received(client.nick(), lastSeq, slowConsumers);
    }

    private static int seqOf(ChatMessage chat) {
        String text = chat.text();
        return Integer.parseInt(text.substring(0, text.indexOf(' ')));
    }

    /** Sends {@link #MESSAGES} says, pipelined in batches of 20 frames per write. */
    private static Void sendAll(TestClient client, CountDownLatch go) throws Exception {
        String room = null;
        go.await();
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int seq = 0; seq < MESSAGES; seq++) {
            if (room == null) {
                room = room(Integer.parseInt(client.nick().substring(1, client.nick().indexOf('x'))));
            }
            batch.writeBytes(Frame.of(new ClientMessage.Say(room, seq + " " + PADDING)).toByteArray());
            if (seq % 20 == 19 || seq == MESSAGES - 1) {
                client.sendRaw(batch.toByteArray());
                batch.reset();
            }
        }
        return null;
    }

    /**
     * Joins and leaves rooms {@link #CHURN_CYCLES} times while the others chat; in each membership
     * window, per sender, the messages (replayed, then live) must be an unbroken run. Returns the
     * number of windows.
     */
    private static Integer churn(TestClient client, int first, CountDownLatch go) throws Exception {
        go.await();
        for (int cycle = 0; cycle < CHURN_CYCLES; cycle++) {
            String room = room((first + cycle) % ROOMS);
            List<ChatMessage> window = new ArrayList<>(client.join(room));
            String ref = client.ref();
            client.send(new ClientMessage.Part(room, ref));
            while (true) {
                ServerMessage message = client.next();
                if (message instanceof ServerMessage.Parted parted && ref.equals(parted.ref())) {
                    break;
                }
                if (message instanceof ChatMessage chat) {
                    assertEquals(false, chat.replay(), () -> "replay after the history trailer: " + chat);
                    window.add(chat);
                }
            }
            Map<String, Integer> lastSeq = new HashMap<>();
            long lastId = 0;
            for (ChatMessage chat : window) {
                assertEquals(room, chat.room());
                assertTrue(chat.id() > lastId, () -> "ids out of order in " + window);
                lastId = chat.id();
                Integer previous = lastSeq.put(chat.from(), seqOf(chat));
                if (previous != null) {
                    assertEquals(previous + 1, seqOf(chat), () -> client + " in " + room + ": gap or repeat at " + chat);
                }
            }
        }
        // Nothing more arrives once out of every room.
        assertEquals(List.of(), client.sync().stream().filter(m -> m instanceof ChatMessage).toList());
        return CHURN_CYCLES;
    }
}
