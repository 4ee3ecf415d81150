package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history store across the lives of a server process (README "History store"): a graceful
 * restart, a {@code kill -9} in the middle of a burst (with and without {@code --sync}), a full
 * disk at run time, and the data directories a server refuses to start on.
 */
@Timeout(300)
class HistoryStoreProcessTest {

    /**
     * The durability window is one group-commit interval (25 ms) plus the commit; this bound is
     * that window made generous for a busy 2-core machine.
     */
    static final Duration WINDOW_BOUND = Duration.ofSeconds(2);

    @TempDir
    Path temp;

    private Path log() throws IOException {
        return Files.createTempFile(temp, "server", ".log");
    }

    @Test
    void aRestartedServerKeepsHistoryAndIdsContinue() throws Exception {
        Path data = temp.resolve("data");
        List<ChatMessage> said = new ArrayList<>();
        try (StoreServerProcess server = StoreServerProcess.start(data, log());
             TestClient alice = server.welcomed("alice")) {
            alice.join("#r");
            for (int i = 0; i < 3; i++) {
                said.add(alice.say("#r", "before restart " + i).withRef(null));
            }
            assertEquals(0, server.stop(), "SIGTERM is a clean exit");
        }
        try (StoreServerProcess server = StoreServerProcess.start(data, log());
             TestClient bob = server.welcomed("bob")) {
            List<ChatMessage> replay = bob.join("#r");
            assertEquals(said, replay.stream().map(m -> new ChatMessage(m.id(), m.ts(), m.from(), m.text(), m.room(),
                    null, false, null)).toList(), "the whole history, same ids and times");
            ChatMessage next = bob.say("#r", "after restart");
            assertEquals(said.getLast().id() + 1, next.id(), "after a clean stop the ids continue where they were");
        }
    }

    @Test
    void aKilledServerKeepsEverythingAcceptedBeforeTheDurabilityWindow() throws Exception {
        crashDuringABurst(false);
    }

    @Test
    void aKilledServerWithSyncKeepsEverythingAccepted() throws Exception {
        crashDuringABurst(true);
    }

    /** An acknowledged message and when its acknowledgement arrived. */
    record Ack(long id, String text, long nanos) {
    }

    private void crashDuringABurst(boolean sync) throws Exception {
        Path data = temp.resolve("data");
        Path log = log();
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        long killedAt;
        try (StoreServerProcess server = sync ? StoreServerProcess.start(data, log, "--sync")
                : StoreServerProcess.start(data, log)) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = Thread.ofPlatform().start(() -> {
                try (TestClient alice = server.welcomed("alice")) {
                    alice.join("#burst");
                    for (int i = 0; !stop.get(); i++) {
                        ChatMessage own = alice.say("#burst", "burst " + i);
                        acks.add(new Ack(own.id(), own.text(), System.nanoTime()));
                    }
                } catch (IOException | AssertionError e) {
                    // the kill ends the burst
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> acks.size() >= 500);
            killedAt = System.nanoTime();
            server.kill();
            stop.set(true);
            sender.join();
        }
        List<Ack> accepted = List.copyOf(acks);
        long mustBeThere = sync ? killedAt : killedAt - WINDOW_BOUND.toNanos();
        try (StoreServerProcess server = StoreServerProcess.start(data, log);
             TestClient bob = server.welcomed("bob")) {
            bob.join("#burst");
            List<ChatMessage> stored = catchUp(bob, "#burst", 0);
            Set<Long> storedIds = new HashSet<>();
            long previous = 0;
            for (ChatMessage m : stored) {
                assertTrue(storedIds.add(m.id()), "stored twice: " + m);
                assertTrue(m.id() > previous, "ids increase: " + m.id() + " after " + previous);
                previous = m.id();
            }
            Set<Long> acceptedIds = new HashSet<>();
            for (Ack ack : accepted) {
                acceptedIds.add(ack.id());
                if (ack.nanos() - mustBeThere < 0) {
                    assertTrue(storedIds.contains(ack.id()), () -> "accepted before the kill" + (sync ? "" : " and its "
                            + "window, but lost: ") + ack + "; " + stored.size() + " of " + accepted.size() + " stored");
                }
            }
            // Whatever is stored was said (at most the one in flight at the kill was not acknowledged).
            long unacknowledged = storedIds.stream().filter(id -> !acceptedIds.contains(id)).count();
            assertTrue(unacknowledged <= 1, unacknowledged + " stored messages were never acknowledged");
            long lastAccepted = accepted.getLast().id();
            ChatMessage after = bob.say("#burst", "after the crash");
            assertTrue(after.id() > lastAccepted, "a new id " + after.id() + " above every id handed out before the "
                    + "kill (" + lastAccepted + ")");
        }
    }

    /** Every message of {@code room} after {@code afterId}, paging with {@code after} until there is no more. */
    static List<ChatMessage> catchUp(TestClient client, String room, long afterId) throws IOException {
        List<ChatMessage> all = new ArrayList<>();
        long after = afterId;
        while (true) {
            HistoryPagingTest.Reply page = HistoryPagingTest.history(client, room, null, null, after);
            all.addAll(page.messages());
            if (!page.trailer().more()) {
                return all;
            }
            after = page.messages().getLast().id();
        }
    }

    static Map<String, Long> stats(TestClient client) throws IOException {
        String ref = client.ref();
        client.send(new ClientMessage.Stats(ref));
        while (true) {
            if (client.next() instanceof ServerMessage.Stats stats && ref.equals(stats.ref())) {
                return stats.counters();
            }
        }
    }

    @Test
    void aFullDiskDegradesTheStoreChatGoesOnAndWritingResumes() throws Exception {
        Path mount = Files.createDirectory(temp.resolve("small"));
        try (Tmpfs tmpfs = Tmpfs.mount(mount, "size=8m")) {
            Path filler = mount.resolve("filler");
            Path data = mount.resolve("data");
            Path log = log();
            int total;
            int httpPort;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                httpPort = free.getLocalPort();
            }
            try (StoreServerProcess server = StoreServerProcess.start(data, log, "--http", "127.0.0.1:" + httpPort);
                 TestClient alice = server.welcomed("alice");
                 TestClient bob = server.welcomed("bob")) {
                assertEquals("ok\n", health(httpPort));
                alice.join("#full");
                bob.join("#full");
                // Leave the store about 256 KiB, then talk until it cannot write.
                long free = Files.getFileStore(mount).getUsableSpace();
                Files.write(filler, new byte[(int) Math.max(0, free - (256 << 10))]);
                String text = "x".repeat(3000);
                int said = 0;
                while (stats(alice).get("storeDegraded") == 0) {
                    assertTrue(said < 5000, "the store never reported the full disk");
                    alice.say("#full", text + said++);
                }
                // Chat goes on: messages are accepted and delivered, and history still has them.
                ChatMessage during = alice.say("#full", "while the disk is full");
                said++;
                ChatMessage seen;
                do {
                    seen = bob.await(ChatMessage.class);
                } while (seen.id() != during.id());
                assertEquals(during.withRef(null), seen, "delivered to the room");
                List<ChatMessage> latest = HistoryPagingTest.history(bob, "#full", 1, Long.MAX_VALUE, null).messages();
                assertEquals(during.id(), latest.getLast().id());
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("history store degraded"));
                assertEquals("ok, history store degraded (not writing to disk)\n", health(httpPort),
                        "the health endpoint says so (and stays 200: chat goes on)");

                Files.delete(filler);
                total = said;
                int expected = total;
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Map<String, Long> counters = stats(alice);
                    return counters.get("storeDegraded") == 0 && counters.get("storeWritten") == expected;
                });
                assertEquals(0L, stats(alice).get("storeDropped"));
                assertEquals(1, count(Files.readString(log), "history store degraded"), "logged once");
                assertEquals(0, server.stop());
            }
            try (StoreServerProcess server = StoreServerProcess.start(data, log);
                 TestClient carol = server.welcomed("carol")) {
                carol.join("#full");
                assertEquals(total, catchUp(carol, "#full", 0).size(), "every message, the full disk's included");
            }
        }
    }

    /** The web door's /healthz body, which must answer 200. */
    private static String health(int port) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .timeout(Duration.ofSeconds(20)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aSecondServerOnTheSameDirectoryExitsWithOneLine() throws Exception {
        Path data = temp.resolve("data");
        try (StoreServerProcess first = StoreServerProcess.start(data, log())) {
            StoreServerProcess.Exit second = StoreServerProcess.runToExit(log(), "--port", "0", "--data",
                    data.toString());
            assertEquals(1, second.status(), second::output);
            assertOneLine(second.output(), "is in use by another loomchat server (pid ");
        }
    }

    @Test
    void anUnwritableDataDirectoryExitsWithOneLine() throws Exception {
        Path data = Files.createDirectory(temp.resolve("readonly"));
        if (Tmpfs.isRoot()) {
            // Root writes through any file mode: a read-only file system is what stops it.
            try (Tmpfs tmpfs = Tmpfs.mount(data, "size=1m,ro")) {
                refusedToStartOn(data.resolve("data"));
                refusedToStartOn(data);
            }
        } else {
            data.toFile().setWritable(false, false);
            try {
                refusedToStartOn(data.resolve("data"));
                refusedToStartOn(data);
            } finally {
                data.toFile().setWritable(true, true);
            }
        }
    }

    private void refusedToStartOn(Path data) throws Exception {
        StoreServerProcess.Exit exit = StoreServerProcess.runToExit(log(), "--port", "0", "--data", data.toString());
        assertEquals(1, exit.status(), exit::output);
        assertOneLine(exit.output(), "cannot use data directory " + data);
    }

    @Test
    void aDamagedDatabaseExitsWithWhatToDoAndIsNotReplaced() throws Exception {
        Path data = Files.createDirectory(temp.resolve("data"));
        byte[] junk = "not a database at all\n".repeat(500).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(data.resolve("loomchat.db"), junk);
        StoreServerProcess.Exit exit = StoreServerProcess.runToExit(log(), "--port", "0", "--data", data.toString());
        assertEquals(1, exit.status(), exit::output);
        assertOneLine(exit.output(), "is damaged or not a database");
        assertTrue(exit.output().contains("move it aside"), exit.output());
        assertEquals(List.of(junk.length), List.of(Files.readAllBytes(data.resolve("loomchat.db")).length));
    }

    private static void assertOneLine(String output, String part) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), () -> "one line, got:\n" + output);
        assertTrue(lines.getFirst().startsWith("loomchat server: ") && lines.getFirst().contains(part), output);
        assertFalse(lines.getFirst().contains("Exception"), output);
    }
}
