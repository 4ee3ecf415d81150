package dev.loomchat.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import dev.loomchat.server.chat.BanStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The history store on SQLite: {@code loomchat.db} in a locked data directory, in WAL mode
 * (readers never wait for the writer) with {@code synchronous=FULL} (a commit is on disk when it
 * returns). Writes go through the {@link StoreWriter}'s queue and group commit; reads use a
 * connection of their own and merge the messages not yet committed, so a page is never short of
 * what was accepted.
 *
 * <p>Ids: the next run starts above every id stored and above the reservation each commit
 * records ({@link StoreWriter#ID_RESERVE} beyond the last id handed out; exact after a clean
 * stop), so ids handed out just before a crash, even of messages that never reached the disk,
 * are not handed out again.
 *
 * <p>Threading: every method is safe from any thread. Reads share one connection, one at a
 * time (a read is a short indexed query).
 */
public final class SqliteMessageStore implements MessageStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteMessageStore.class);

    private final DataDirectory directory;
    private final Connection reader;
    private final Connection writerConnection;
    private final StoreWriter writer;
    private final boolean sync;
    private final AtomicLong lastId;
    private final Map<String, Long> roomIds;
    private final ReentrantLock readLock = new ReentrantLock();
    private final SqliteAccountRecords accounts;
    private final SqliteBanStore bans;
    private boolean closed; // guarded by readLock

    private SqliteMessageStore(DataDirectory directory, Connection reader, Connection writerConnection,
                               StoreWriter writer, boolean sync, AtomicLong lastId, Map<String, Long> roomIds,
                               SqliteAccountRecords accounts, SqliteBanStore bans) {
        this.accounts = accounts;
        this.bans = bans;
        this.directory = directory;
        this.reader = reader;
        this.writerConnection = writerConnection;
        this.writer = writer;
        this.sync = sync;
        this.lastId = lastId;
        this.roomIds = roomIds;
    }

    /**
     * Opens (creating or migrating as needed) the store in {@code dir} and starts its writer.
     *
     * @param sync      every {@link #append} waits until its message is durable
     * @param essential wraps the writer thread's body (the server fails if it dies)
     * @throws StoreOpenException with the one line to print: a locked, unwritable or corrupt
     *                            directory, a database of a newer version
     */
    public static SqliteMessageStore open(Path dir, HistoryRetention retention, boolean sync,
                                          BiFunction<String, Runnable, Runnable> essential) throws StoreOpenException {
        DataDirectory directory = DataDirectory.lock(dir);
        Path file = directory.database();
        Connection writerConnection = null;
        Connection reader = null;
        Connection accountConnection = null;
        Connection banConnection = null;
        try {
            boolean existed = Files.exists(file);
            writerConnection = connect(file);
            try (Statement statement = writerConnection.createStatement()) {
                // The first statement that reads the file: a file that is no database fails here.
                try (ResultSet rs = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                    rs.next();
                    if (!"wal".equalsIgnoreCase(rs.getString(1))) {
                        throw new StoreOpenException("cannot put " + file + " in WAL mode (it is in "
                                + rs.getString(1) + " mode): is the data directory on a network file system?");
                    }
                }
                statement.execute("PRAGMA synchronous = FULL");
                statement.execute("PRAGMA foreign_keys = OFF");
            }
            int was = Schema.migrate(writerConnection, Schema.LATEST);
            if (was == 0) {
                LOG.info("history store: {} {}", existed ? "initialised" : "created", file);
            } else if (was < Schema.LATEST) {
                LOG.info("history store: {} migrated from schema version {} to {}", file, was, Schema.LATEST);
            }
            Map<String, Long> roomIds = new ConcurrentHashMap<>();
            long last;
            try (Statement statement = writerConnection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT id, key FROM rooms")) {
                    while (rs.next()) {
                        roomIds.put(rs.getString(2), rs.getLong(1));
                    }
                }
                long maxStored;
                try (ResultSet rs = statement.executeQuery("SELECT coalesce(max(id), 0) FROM messages")) {
                    rs.next();
                    maxStored = rs.getLong(1);
                }
                long reserved = 0;
                try (ResultSet rs = statement.executeQuery(
                        "SELECT value FROM meta WHERE key = '" + StoreWriter.META_ID_RESERVED + "'")) {
                    if (rs.next()) {
                        reserved = rs.getLong(1);
                    }
                }
                last = Math.max(maxStored, reserved);
            }
            reader = connect(file);
            try (Statement statement = reader.createStatement()) {
                statement.execute("PRAGMA query_only = ON");
            }
            accountConnection = connect(file);
            banConnection = connect(file);
            AtomicLong lastId = new AtomicLong(last);
            StoreWriter writer = new StoreWriter(writerConnection, sync, retention, roomIds, lastId::get,
                    file.toString());
            SqliteMessageStore store = new SqliteMessageStore(directory, reader, writerConnection, writer, sync, lastId,
                    roomIds, new SqliteAccountRecords(accountConnection), new SqliteBanStore(banConnection));
            writer.start(essential);
            LOG.info("history store {}: {} rooms, ids continue after {}, retention {}{}", file, roomIds.size(), last,
                    retention, sync ? ", sync" : "");
            return store;
        } catch (SQLException e) {
            closeQuietly(reader);
            closeQuietly(accountConnection);
            closeQuietly(banConnection);
            closeQuietly(writerConnection);
            directory.close();
            throw opening(file, e);
        } catch (StoreOpenException | RuntimeException e) {
            closeQuietly(reader);
            closeQuietly(accountConnection);
            closeQuietly(banConnection);
            closeQuietly(writerConnection);
            directory.close();
            throw e;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
        }
        return connection;
    }

    /** What a failure to open the database means for the operator, in one line. */
    private static StoreOpenException opening(Path file, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : null;
        String base = code == null ? "" : code.name();
        if (base.startsWith("SQLITE_NOTADB") || base.startsWith("SQLITE_CORRUPT")) {
            return new StoreOpenException("the history database " + file + " is damaged or not a database ("
                    + e.getMessage() + "). The server will not replace it: stop, move it aside (with its -wal and -shm "
                    + "files) and start again for an empty history, or restore a backup; sqlite3's .recover may "
                    + "save its messages", e);
        }
        if (base.startsWith("SQLITE_READONLY") || base.startsWith("SQLITE_CANTOPEN") || base.startsWith("SQLITE_PERM")) {
            return new StoreOpenException("cannot write the history database " + file + " (" + e.getMessage()
                    + "): the server must be able to write its data directory (fix its owner or mode, or pick another "
                    + "with --data)", e);
        }
        if (base.startsWith("SQLITE_FULL")) {
            return new StoreOpenException("cannot open the history database " + file + ": the disk is full", e);
        }
        return new StoreOpenException("cannot open the history database " + file + ": " + e.getMessage(), e);
    }

    @Override
    public long nextId() {
        return lastId.incrementAndGet();
    }

    @Override
    public void append(StoredMessage message) {
        if (sync) {
            writer.offerSync(message);
        } else {
            writer.offer(message);
        }
    }

    @Override
    public Page before(String roomKey, long beforeId, int limit) {
        // Pending first, then the database: a message committed in between is then in the database.
        NavigableMap<Long, StoredMessage> found = new TreeMap<>(Comparator.reverseOrder());
        for (StoredMessage m : writer.pending().headMap(beforeId, false).descendingMap().values()) {
            if (m.roomKey().equals(roomKey)) {
                found.put(m.id(), m);
                if (found.size() > limit) {
                    break;
                }
            }
        }
        query(roomKey, "SELECT id, sender, text, ts FROM messages WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?",
                beforeId, limit + 1, found);
        List<StoredMessage> page = new ArrayList<>(found.values()).subList(0, Math.min(limit, found.size()));
        return new Page(page.reversed(), found.size() > limit);
    }

    @Override
    public Page after(String roomKey, long afterId, int limit) {
        NavigableMap<Long, StoredMessage> found = new TreeMap<>();
        for (StoredMessage m : writer.pending().tailMap(afterId, false).values()) {
            if (m.roomKey().equals(roomKey)) {
                found.put(m.id(), m);
                if (found.size() > limit) {
                    break;
                }
            }
        }
        query(roomKey, "SELECT id, sender, text, ts FROM messages WHERE room = ? AND id > ? ORDER BY id LIMIT ?",
                afterId, limit + 1, found);
        List<StoredMessage> page = new ArrayList<>(found.values()).subList(0, Math.min(limit, found.size()));
        return new Page(page, found.size() > limit);
    }

    private void query(String roomKey, String sql, long id, int limit, Map<Long, StoredMessage> into) {
        Long room = roomIds.get(roomKey);
        if (room == null) {
            return; // nothing of this room is committed yet
        }
        readLock.lock();
        try (PreparedStatement select = reader.prepareStatement(sql)) {
            if (closed) {
                throw new StoreUnavailableException("the history store is closed", null);
            }
            select.setLong(1, room);
            select.setLong(2, id);
            select.setInt(3, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    into.putIfAbsent(rs.getLong(1),
                            new StoredMessage(rs.getLong(1), roomKey, rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the history store: " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public Map<String, Long> stats() {
        return writer.stats();
    }

    /** Whether writing fails now (the messages are kept in memory meanwhile). */
    public boolean degraded() {
        return writer.degraded();
    }

    /** Runs the retention now (it also runs at start and every hour); completes with the messages deleted. */
    public CompletableFuture<Long> pruneNow(long nowMillis) {
        return writer.pruneNow(nowMillis);
    }

    /** The accounts table (durable writes; closed with the store). */
    public AccountRecords accounts() {
        return accounts;
    }

    /** The bans table (durable writes; closed with the store). */
    public BanStore bans() {
        return bans;
    }

    /** The data directory (absolute). */
    public Path directory() {
        return directory.path();
    }

    @Override
    public void close() {
        writer.stop();
        readLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            accounts.close();
            bans.close();
            closeQuietly(reader);
            closeQuietly(writerConnection);
            directory.close();
        } finally {
            readLock.unlock();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closed either way.
            }
        }
    }
}
