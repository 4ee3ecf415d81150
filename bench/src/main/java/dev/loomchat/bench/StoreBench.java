package dev.loomchat.bench;

import dev.loomchat.server.store.HistoryRetention;
import dev.loomchat.server.store.MessageStore;
import dev.loomchat.server.store.SqliteMessageStore;
import dev.loomchat.server.store.StoredMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code ./loomchat bench store}: the history store on its own, in this process. Fills a fresh
 * data directory with N messages of the room scenario's size (10 rooms, the writer's group
 * commit), then reports the disk bytes per message and the time to open the store again and
 * to read a room's join replay from it. Prints a Markdown table.
 */
final class StoreBench {

    /** The room scenario's text size (about 55 characters), from a handful of senders. */
    private static final String TEXT = "Has anyone tried the new virtual thread scheduler yet? #";

    private StoreBench() {
    }

    static void run(Flags f, PrintStream out) throws Exception {
        long messages = f.longValue("messages", 1_000_000);
        Path dir = f.has("dir") ? Path.of(f.string("dir", "")) : Files.createTempDirectory("loomchat-store-bench");
        long filled = System.nanoTime();
        try (SqliteMessageStore store = SqliteMessageStore.open(dir, HistoryRetention.FOREVER, false, (n, r) -> r)) {
            long ts = System.currentTimeMillis();
            for (long i = 0; i < messages; i++) {
                store.append(new StoredMessage(store.nextId(), "#room" + (i % 10), "user" + (i % 50), TEXT + i, ts + i));
                while (store.stats().get("storeQueued") > 50_000) {
                    Thread.onSpinWait(); // stay under the queue's bound: every message is written
                }
            }
        }
        double fillSeconds = (System.nanoTime() - filled) / 1e9;
        long bytes = size(dir);
        long opened = System.nanoTime();
        long openMillis;
        long replayMillis;
        try (SqliteMessageStore store = SqliteMessageStore.open(dir, HistoryRetention.FOREVER, false, (n, r) -> r)) {
            openMillis = (System.nanoTime() - opened) / 1_000_000;
            long read = System.nanoTime();
            MessageStore.Page page = store.before("#room3", Long.MAX_VALUE, 100);
            replayMillis = (System.nanoTime() - read) / 1_000_000;
            if (page.messages().size() != 100) {
                throw new IOException("expected a full replay, got " + page.messages().size());
            }
        }
        out.println("| measure | value |");
        out.println("|---|---|");
        out.printf("| messages written (10 rooms, ~%d-character texts) | %,d in %.1f s (%,.0f/s through the group commit) |%n",
                TEXT.length() + 6, messages, fillSeconds, messages / fillSeconds);
        out.printf("| disk, all files (db, wal, shm) | %,d bytes = %.0f bytes per message |%n", bytes,
                (double) bytes / messages);
        out.printf("| time to open the store (lock, migrations check, ids, rooms) | %d ms |%n", openMillis);
        out.printf("| then a room's join replay (100 newest) | %d ms |%n", replayMillis);
        if (!f.has("dir")) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
