package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChatServer#close()}: the graceful shutdown (PROTOCOL.md §6 {@code shutdown}) and what it
 * leaves behind: nothing.
 */
@Timeout(90)
class ChatServerCloseTest {

    private static final Duration GRACE = Duration.ofSeconds(2);

    @Test
    @SuppressWarnings("try") // close() inside the block is what is tested
    void closeSendsShutdownToEveryClientThenClosesWithoutPartedEvents() throws Exception {
        // Repeated: a parted event racing the shutdown notices would show up in some rounds.
        for (int round = 0; round < 10; round++) {
            List<TestClient> clients = new ArrayList<>();
            try (ChatServer server = ChatServer.start(TestServers.config().shutdownGrace(GRACE).build())) {
                for (int i = 0; i < 8; i++) {
                    TestClient client = TestClient.welcomed(server, "c" + i);
                    clients.add(client);
                    client.join("#r");
                    client.join("#s" + (i % 2));
                }
                server.close();

                for (TestClient client : clients) {
                    // Joins of later clients may still be unread; after them: shutdown, nothing else.
                    List<String> types = client.readUntilClosed().stream().map(ServerMessage::type)
                            .filter(type -> !type.equals("joined")).toList();
                    assertEquals(List.of("shutdown"), types, () -> client + " got " + types);
                }
                assertEquals(0, server.connectionCount());
            } finally {
                for (TestClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    @SuppressWarnings("try") // close() inside the block is what is tested
    void closeFinishesWithinTheGracePeriodWhenAClientDoesNotRead() throws Exception {
        // 12 MB to a client that does not read: more than TCP buffers hold, less than its queue.
        int messages = 3000;
        ChatConfig config = TestServers.config().shutdownGrace(GRACE).outboxBytes(32 << 20).build();
        try (ChatServer server = ChatServer.start(config);
             TestClient talker = TestClient.welcomed(server, "talker");
             TestClient stuck = TestClient.connect(server.address(), TestClient.READ_TIMEOUT, 4096)) {
            stuck.hello("stuck");
            stuck.join("#r");
            talker.join("#r");
            // Fill the stuck client's TCP buffers so that its writer blocks in a write; the talker
            // reads its own copies meanwhile.
            FutureTask<Void> talk = new FutureTask<>(() -> {
                String text = "x".repeat(4000);
                for (int i = 0; i < messages; i++) {
                    talker.send(new ClientMessage.Say("#r", text));
                }
                return null;
            });
            Thread.ofVirtual().start(talk);
            for (int copies = 0; copies < messages; ) {
                if (talker.next() instanceof ServerMessage.ChatMessage) {
                    copies++;
                }
            }
            talk.get(30, TimeUnit.SECONDS);
            assertEquals(0, server.stats().get("slowConsumers"), "the queue held what TCP did not");
            long started = System.nanoTime();

            server.close();

            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < GRACE.toMillis() * 2 + 10_000, "close took " + millis + " ms");
            assertEquals(0, server.connectionCount());
            assertEquals("shutdown", talker.readUntilClosed().getLast().type());
        }
    }

    @Test
    void closeDoesNotWaitForeverOnConnectionsArrivingWhileItRuns() throws Exception {
        for (int round = 0; round < 5; round++) {
            ChatServer server = ChatServer.start(TestServers.config().shutdownGrace(GRACE).build());
            InetSocketAddress address = server.address();
            List<Socket> sockets = new CopyOnWriteArrayList<>();
            CountDownLatch closing = new CountDownLatch(1);
            // Silent clients: 20 before the close, then as many as get through while it runs.
            FutureTask<Void> connector = new FutureTask<>(() -> {
                while (sockets.size() < 2000) {
                    if (sockets.size() == 20) {
                        closing.await();
                    }
                    try {
                        sockets.add(new Socket(address.getAddress(), address.getPort()));
                    } catch (IOException e) {
                        if (closing.getCount() == 0) {
                            return null; // refused: the listener is closed
                        }
                        throw e;
                    }
                }
                return null;
            });
            Thread.ofVirtual().start(connector);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() >= 20);
                closing.countDown();
                FutureTask<Void> close = new FutureTask<>(server::close, null);
                Thread.ofPlatform().start(close);

                close.get(GRACE.toSeconds() * 2 + 20, TimeUnit.SECONDS);

                assertEquals(0, server.connectionCount());
                connector.get(20, TimeUnit.SECONDS);
            } finally {
                server.close();
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    @SuppressWarnings("try") // close() inside the block is what is tested
    void afterCloseNoThreadOfTheServerRemainsAndThePortIsFree(@TempDir Path dumps) throws Exception {
        List<String> clientPorts = new ArrayList<>();
        InetSocketAddress address;
        try (ChatServer server = ChatServer.start(TestServers.config().shutdownGrace(GRACE).build())) {
            address = server.address();
            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    TestClient client = TestClient.welcomed(server, "t" + i);
                    clients.add(client);
                    client.join("#r");
                    clientPorts.add(":" + client.socket().getLocalPort());
                }
                // One client that is gone already, one that never said hello.
                clients.getFirst().send(new ClientMessage.Quit("q"));
                clients.add(TestClient.connect(address));
                // Quiet connections wait without a thread (parked), writers run only while there
                // is something to write; the dump shows the accept thread.
                await().atMost(Duration.ofSeconds(20)).until(() -> server.stats().get("parked") >= 4);
                List<String> before = threadNames(dumps, "before");
                assertTrue(before.stream().anyMatch(name -> name.startsWith("loomchat-accept-")),
                        () -> "the thread dump shows the server's accept thread: " + before);

                server.close();
                server.close(); // idempotent

                assertEquals(0, server.connectionCount());
                for (TestClient client : clients) {
                    client.readUntilClosed();
                }
            } finally {
                for (TestClient client : clients) {
                    client.close();
                }
            }
        }
        String listener = "loomchat-accept-" + address;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> left = threadNames(dumps, "after").stream()
                    .filter(name -> name.equals(listener) || name.startsWith(READER_THREADS)
                            || name.equals("resumed-reader")
                            || name.startsWith("chat-writer-") && clientPorts.stream().anyMatch(name::endsWith))
                    .toList();
            assertEquals(List.of(), left);
        });
        // The port is free: a new server binds it at once.
        try (ChatServer again = ChatServer.start(TestServers.config().port(address.getPort()).build());
             TestClient client = TestClient.welcomed(again, "again")) {
            assertEquals(address.getPort(), again.address().getPort());
            assertEquals("again", client.nick());
        }
    }

    @Test
    void startOnAPortInUseFailsAndLeavesNothingOpen() throws Exception {
        try (ChatServer first = ChatServer.start(TestServers.config().build())) {
            ChatConfig same = TestServers.config().port(first.address().getPort()).build();

            assertThrows(BindException.class, () -> ChatServer.start(same));

            try (TestClient client = TestClient.welcomed(first, "still")) {
                assertEquals("still", client.nick());
            }
        }
    }

    /** The name prefix of the virtual threads that run connections (Threading.virtual()). */
    private static final String READER_THREADS = "socketserver-virtual-";

    /** The names of all live threads, virtual ones included (a JDK thread dump). */
    private static List<String> threadNames(Path dir, String label) throws IOException {
        Path file = Files.createTempFile(dir, label, ".json");
        Files.delete(file);
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        List<String> names = new ArrayList<>();
        String json = Files.readString(file);
        for (int at = json.indexOf("\"name\": \""); at >= 0; at = json.indexOf("\"name\": \"", at + 1)) {
            int start = at + "\"name\": \"".length();
            names.add(json.substring(start, json.indexOf('"', start)));
        }
        return names;
    }
}
