package dev.loomchat.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store on its own: ids across reopening, pages and their boundaries, retention, migrations, refusals. */
@Timeout(60)
class SqliteMessageStoreTest {

    static final BiFunction<String, Runnable, Runnable> PLAIN = (name, body) -> body;

    @TempDir
    Path dir;

    private SqliteMessageStore open() throws StoreOpenException {
        return open(HistoryRetention.FOREVER, false);
    }

    private SqliteMessageStore open(HistoryRetention retention, boolean sync) throws StoreOpenException {
        return SqliteMessageStore.open(dir, retention, sync, PLAIN);
    }

    private static long say(MessageStore store, String room, String text) {
        long id = store.nextId();
        store.append(new StoredMessage(id, room, "alice", text, System.currentTimeMillis()));
        return id;
    }

    private static long[] ids(MessageStore.Page page) {
        return page.messages().stream().mapToLong(StoredMessage::id).toArray();
    }

    @Test
    void idsAndMessagesContinueAfterReopening() throws Exception {
        long last;
        try (SqliteMessageStore store = open()) {
            assertEquals(1, say(store, "#a", "one"));
            last = say(store, "#a", "two");
        }
        try (SqliteMessageStore store = open()) {
            MessageStore.Page page = store.before("#a", Long.MAX_VALUE, 10);
            assertEquals(List.of("one", "two"), page.messages().stream().map(StoredMessage::text).toList());
            assertFalse(page.more());
            assertEquals(last + 1, store.nextId(), "a clean stop continues right after the last id");
        }
    }

    @Test
    void pagesBackAndCatchesUpWithTheirBoundaries() throws Exception {
        try (SqliteMessageStore store = open()) {
            long[] a = LongStream.range(0, 12).map(i -> say(store, "#a", "a" + i)).toArray();
            say(store, "#other", "elsewhere"); // other rooms never show up
            // Read at once: the pages merge what the writer has not committed yet.
            assertArrayEquals(slice(a, 7, 12), ids(store.before("#a", Long.MAX_VALUE, 5)));
            assertTrue(store.before("#a", Long.MAX_VALUE, 5).more());
            assertArrayEquals(slice(a, 2, 7), ids(store.before("#a", a[7], 5)));
            assertTrue(store.before("#a", a[7], 5).more());
            assertArrayEquals(slice(a, 0, 2), ids(store.before("#a", a[2], 5)));
            assertFalse(store.before("#a", a[2], 5).more());
            assertArrayEquals(new long[0], ids(store.before("#a", a[0], 5)));
            assertFalse(store.before("#a", a[0], 5).more());

            assertArrayEquals(slice(a, 0, 5), ids(store.after("#a", 0, 5)));
            assertTrue(store.after("#a", 0, 5).more());
            assertArrayEquals(slice(a, 10, 12), ids(store.after("#a", a[9], 5)));
            assertFalse(store.after("#a", a[9], 5).more());
            assertArrayEquals(new long[0], ids(store.after("#a", a[11], 5)));
            assertFalse(store.after("#a", a[11], 5).more());
            assertArrayEquals(slice(a, 11, 12), ids(store.after("#a", a[10], 1)));
            assertFalse(store.after("#a", a[10], 1).more(), "exactly the last one: nothing more");

            assertEquals(new MessageStore.Page(List.of(), false), store.before("#nobody", Long.MAX_VALUE, 5));
            assertEquals(new MessageStore.Page(List.of(), false), store.after("#nobody", 0, 5));
            // Committed now (or soon): the same pages from the database.
            org.awaitility.Awaitility.await().until(() -> store.stats().get("storeWritten") == 13);
            assertArrayEquals(slice(a, 2, 7), ids(store.before("#a", a[7], 5)));
            assertArrayEquals(slice(a, 0, 5), ids(store.after("#a", 0, 5)));
        }
    }

    private static long[] slice(long[] ids, int from, int to) {
        return java.util.Arrays.copyOfRange(ids, from, to);
    }

    @Test
    void syncAppendsAreCommittedWhenTheyReturn() throws Exception {
        try (SqliteMessageStore store = open(HistoryRetention.FOREVER, true)) {
            for (int i = 0; i < 20; i++) {
                say(store, "#a", "s" + i);
                assertEquals(i + 1, store.stats().get("storeWritten"));
            }
        }
    }

    @Test
    void retentionKeepsTheNewestOfEachRoomAndNothingOlderThanItsAge() throws Exception {
        try (SqliteMessageStore store = open(new HistoryRetention(null, 3), false)) {
            for (int i = 0; i < 10; i++) {
                say(store, "#a", "a" + i);
                say(store, "#b", "b" + i);
            }
            org.awaitility.Awaitility.await().until(() -> store.stats().get("storeWritten") == 20);
            store.pruneNow(System.currentTimeMillis()).get(); // (or the writer's own run at start, if that came later)
            assertEquals(List.of("a7", "a8", "a9"), texts(store.before("#a", Long.MAX_VALUE, 10)));
            assertEquals(List.of("b7", "b8", "b9"), texts(store.before("#b", Long.MAX_VALUE, 10)));
        }
        try (SqliteMessageStore store = open(new HistoryRetention(Duration.ofDays(1), 0), false)) {
            long now = System.currentTimeMillis();
            long old = store.nextId();
            store.append(new StoredMessage(old, "#a", "alice", "ancient", now - Duration.ofDays(2).toMillis()));
            org.awaitility.Awaitility.await().until(() -> store.stats().get("storeWritten") == 1);
            store.pruneNow(now).get(); // (the writer's own run at start may have been first)
            assertEquals(List.of("a7", "a8", "a9"), texts(store.before("#a", Long.MAX_VALUE, 10)),
                    "the ancient one is gone; a7..a9 are young");
            assertEquals(6, store.pruneNow(now + Duration.ofDays(2).toMillis()).get()); // a7..a9, b7..b9
            assertEquals(List.of(), texts(store.before("#a", Long.MAX_VALUE, 10)));
            assertTrue(store.nextId() > old, "ids never go back, even when every message is gone");
        }
    }

    private static List<String> texts(MessageStore.Page page) {
        return page.messages().stream().map(StoredMessage::text).toList();
    }

    @Test
    void aNewDatabaseGetsEveryMigration() throws Exception {
        open().close();
        assertEquals(Schema.LATEST, version());
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")) {
            List<String> indexes = new java.util.ArrayList<>();
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
            assertTrue(indexes.containsAll(List.of("messages_by_room", "messages_by_ts")), indexes::toString);
        }
    }

    @Test
    void aDatabaseOfThePreviousVersionIsMigratedWithItsMessages() throws Exception {
        // Schema version LATEST - 1, as the previous release left it, with a message in it.
        try (Connection c = connect()) {
            Schema.migrate(c, Schema.LATEST - 1);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO rooms (id, key) VALUES (1, '#old')");
                s.executeUpdate("INSERT INTO messages (id, room, sender, text, ts) VALUES (41, 1, 'carol', 'from v1', 5)");
            }
        }
        assertEquals(Schema.LATEST - 1, version());
        try (SqliteMessageStore store = open()) {
            assertEquals(List.of("from v1"), texts(store.before("#old", Long.MAX_VALUE, 10)));
            assertEquals(42, store.nextId());
        }
        assertEquals(Schema.LATEST, version());
    }

    @Test
    void aVersion3DatabaseKeepsItsAccountsAndGetsTheBansTable() throws Exception {
        try (Connection c = connect()) {
            Schema.migrate(c, 3);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO accounts (key, name, hash, created, updated) VALUES ('bob', 'Bob', 'h', 1, 2)");
            }
        }
        assertEquals(3, version());
        dev.loomchat.server.chat.ServerBan ban = new dev.loomchat.server.chat.ServerBan(
                dev.loomchat.server.chat.ServerBan.Kind.ADDRESS, "203.0.113.0/24", "bots", "alice", 5, 0);
        try (SqliteMessageStore store = open()) {
            assertEquals(List.of("Bob"), store.accounts().all().stream().map(StoredAccount::name).toList());
            assertEquals(List.of(), store.bans().all());
            store.bans().put(ban);
            store.bans().put(new dev.loomchat.server.chat.ServerBan(dev.loomchat.server.chat.ServerBan.Kind.ACCOUNT,
                    "bob", "", "alice", 6, 99));
            store.bans().remove(dev.loomchat.server.chat.ServerBan.Kind.ACCOUNT, "bob");
        }
        assertEquals(4, version());
        try (SqliteMessageStore store = open()) {
            assertEquals(List.of(ban), store.bans().all(), "kept across reopening");
        }
    }

    @Test
    void aDatabaseOfANewerVersionIsRefused() throws Exception {
        open().close();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE schema_version SET version = " + (Schema.LATEST + 1));
        }
        StoreOpenException e = assertThrows(StoreOpenException.class, this::open);
        assertTrue(e.getMessage().contains("newer loomchat"), e.getMessage());
    }

    @Test
    void aDamagedDatabaseIsRefusedAndLeftAsItIs() throws Exception {
        byte[] garbage = "this is no database, but it is someone's file\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(DataDirectory.DATABASE_FILE), garbage);
        StoreOpenException e = assertThrows(StoreOpenException.class, this::open);
        assertTrue(e.getMessage().contains("damaged or not a database") && e.getMessage().contains("move it aside"),
                e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(dir.resolve(DataDirectory.DATABASE_FILE)), "never replaced");
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() throws Exception {
        try (SqliteMessageStore store = open()) {
            StoreOpenException e = assertThrows(StoreOpenException.class, this::open);
            assertTrue(e.getMessage().contains("in use by another loomchat server"), e.getMessage());
        }
        open().close(); // free again once the first closed
    }

    @Test
    void retentionIsParsedAsDocumented() {
        assertEquals(HistoryRetention.DEFAULT, HistoryRetention.parse("365d,1000000"));
        assertEquals(new HistoryRetention(Duration.ofHours(12), 0), HistoryRetention.parse("12h"));
        assertEquals(new HistoryRetention(null, 5000), HistoryRetention.parse("5000"));
        assertEquals(HistoryRetention.FOREVER, HistoryRetention.parse("forever"));
        assertEquals("365d,1000000", HistoryRetention.DEFAULT.toString());
        for (String bad : List.of("", "0", "soon", "-5", "12x", "1d,x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HistoryRetention.parse(bad));
            assertFalse(e.getMessage().isBlank());
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DataDirectory.DATABASE_FILE));
    }

    private int version() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
