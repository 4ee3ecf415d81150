package dev.loomchat.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer: a thread that drains a bounded queue of messages into the database
 * and commits them in batches, at most one commit every {@link #COMMIT_INTERVAL} (group commit),
 * or, with sync, as soon as the previous commit is done (each waiting sender is released by the
 * commit that holds its message). Retention runs on the same thread.
 *
 * <p>Until its commit, a message is in {@link #pending()}, which reads merge with the database,
 * so history never misses what was accepted. When a commit fails (a full disk, an I/O error)
 * the store is degraded: it says so once in the log and in {@code stats}, keeps the batch and
 * retries every {@link #RETRY_INTERVAL}; chat goes on in memory meanwhile, and what no longer
 * fits in the queue is kept in memory only (counted in {@code storeDropped}).
 *
 * <p>Threading: {@link #offer} and {@link #offerSync} from any thread; the rest on the writer thread.
 */
final class StoreWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    /** Group commit: at most one commit this often (the durability window is this plus one commit). */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(25);
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    static final Duration PRUNE_INTERVAL = Duration.ofHours(1);
    /** How long a sync sender waits for its commit before it is told the store is unavailable. */
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);
    /** How long close() keeps retrying to write what is queued. */
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);
    static final int QUEUE_CAPACITY = 65_536;
    static final long MAX_QUEUED_BYTES = 32L << 20;
    static final int MAX_BATCH = 8_192;
    /** Ids reserved beyond the last one handed out at each commit: a crashed run's ids are never reused. */
    static final long ID_RESERVE = 1_000_000;
    static final String META_ID_RESERVED = "id_reserved";

    /** One unit of the writer's work. */
    private sealed interface Job {
    }

    /** A message to write; {@code durable} is completed by its commit (sync), or null. */
    private record Write(StoredMessage message, CompletableFuture<Void> durable) implements Job {
    }

    /** Work for the writer's connection (retention on demand). */
    private record Task(java.util.function.Function<Connection, Long> body, CompletableFuture<Long> done)
            implements Job {
    }

    private final Connection connection;
    private final boolean sync;
    private final HistoryRetention retention;
    private final LongSupplier lastId;
    private final String where;
    private final ArrayBlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ConcurrentSkipListMap<Long, StoredMessage> pending = new ConcurrentSkipListMap<>();
    private final Map<String, Long> roomIds;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final AtomicBoolean dropping = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private volatile boolean stopping;
    private volatile Thread thread;

    /**
     * @param connection the writer's own connection, in autocommit mode: the writer begins and ends
     *                   its transactions itself (after a full disk, SQLite may have rolled one back
     *                   by itself, which a driver-managed transaction would not notice)
     * @param roomIds    room key -> row id, shared with the readers; the writer adds new rooms after their commit
     * @param lastId     the last id handed out (for the reservation written with each commit)
     * @param where      the database, for log lines
     */
    StoreWriter(Connection connection, boolean sync, HistoryRetention retention, Map<String, Long> roomIds,
                LongSupplier lastId, String where) throws SQLException {
        this.connection = connection;
        this.sync = sync;
        this.retention = retention;
        this.roomIds = roomIds;
        this.lastId = lastId;
        this.where = where;
        connection.setAutoCommit(true);
    }

    /** Work inside one transaction. */
    private interface InTransaction<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own: committed, or rolled back if anything failed. */
    private <T> T transaction(InTransaction<T> work) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run();
                statement.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(statement);
                throw e;
            }
        }
    }

    private static void rollback(Statement statement) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite ended the transaction itself (a full disk does): nothing to roll back.
        }
    }

    /** Messages accepted and not yet committed, by id (reads merge them with the database). */
    ConcurrentSkipListMap<Long, StoredMessage> pending() {
        return pending;
    }

    /** Queues {@code message}; never waits. A full queue keeps it in memory only (counted). */
    void offer(StoredMessage message) {
        long bytes = message.estimatedBytes();
        pending.put(message.id(), message);
        if (queuedBytes.addAndGet(bytes) > MAX_QUEUED_BYTES || !queue.offer(new Write(message, null))) {
            queuedBytes.addAndGet(-bytes);
            pending.remove(message.id());
            dropped.increment();
            if (dropping.compareAndSet(false, true)) {
                LOG.warn("history store {} is behind: its write queue is full, so new messages are kept in memory "
                        + "only until it catches up (stats: storeDropped)", where);
            }
        }
    }

    /**
     * Queues {@code message} and waits for its commit.
     *
     * @throws StoreUnavailableException if it could not be committed (within {@link #SYNC_TIMEOUT})
     */
    void offerSync(StoredMessage message) {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        pending.put(message.id(), message);
        try {
            queuedBytes.addAndGet(message.estimatedBytes());
            if (!queue.offer(new Write(message, durable), SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                queuedBytes.addAndGet(-message.estimatedBytes());
                throw new java.util.concurrent.TimeoutException("the write queue stayed full");
            }
            durable.get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.remove(message.id());
            throw new StoreUnavailableException("interrupted while waiting for the history store", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            pending.remove(message.id());
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StoreUnavailableException("the history store could not write the message (" + cause.getMessage()
                    + "); it was not sent", cause);
        }
    }

    /** Runs the retention now, on the writer thread; completes with how many messages it deleted. */
    CompletableFuture<Long> pruneNow(long nowMillis) {
        return submit(c -> prune(nowMillis));
    }

    /** Runs {@code body} on the writer's connection, between commits. */
    CompletableFuture<Long> submit(java.util.function.Function<Connection, Long> body) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (!queue.offer(new Task(body, done))) {
            done.completeExceptionally(new IllegalStateException("the write queue is full"));
        }
        return done;
    }

    boolean degraded() {
        return degraded.get();
    }

    Map<String, Long> stats() {
        Map<String, Long> stats = new java.util.LinkedHashMap<>();
        stats.put("storeDegraded", degraded.get() ? 1L : 0L);
        stats.put("storeQueued", (long) queue.size());
        stats.put("storeDropped", dropped.sum());
        stats.put("storeWritten", written.sum());
        return stats;
    }

    /** Starts the writer thread; {@code essential} wraps its body (the server fails if it dies). */
    void start(java.util.function.BiFunction<String, Runnable, Runnable> essential) {
        thread = Thread.ofPlatform().name("loomchat-store-writer").start(essential.apply("store-writer", this));
    }

    /** Writes what is queued (retrying up to {@link #CLOSE_DEADLINE}), records the exact last id, and ends the thread. */
    void stop() {
        stopping = true;
        Thread writer = thread;
        if (writer != null) {
            LockSupport.unpark(writer);
            try {
                writer.join(CLOSE_DEADLINE.plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        List<Write> batch = new ArrayList<>();
        long nextPrune = System.nanoTime();
        long lastCommit = System.nanoTime() - COMMIT_INTERVAL.toNanos();
        long closeDeadline = 0;
        while (true) {
            boolean closing = stopping; // one reading per round: stop() may come at any point of it
            if (closing && closeDeadline == 0) {
                closeDeadline = System.nanoTime() + CLOSE_DEADLINE.toNanos();
            }
            if (batch.isEmpty() || !degraded.get()) {
                take(batch, closing ? 0 : 100);
            }
            if (!batch.isEmpty()) {
                if (commit(batch)) {
                    lastCommit = System.nanoTime();
                    batch.clear();
                } else if (sync) {
                    batch.clear(); // its senders were told; they decide whether to send again
                }
            }
            if (closing && (batch.isEmpty() && queue.isEmpty() || System.nanoTime() - closeDeadline > 0)) {
                break;
            }
            if (!closing && System.nanoTime() - nextPrune >= 0) {
                prune(System.currentTimeMillis());
                nextPrune = System.nanoTime() + PRUNE_INTERVAL.toNanos();
            }
            if (degraded.get() && !batch.isEmpty()) {
                pause(RETRY_INTERVAL.toNanos());
            } else if (!sync && !closing) {
                pause(lastCommit + COMMIT_INTERVAL.toNanos() - System.nanoTime());
            }
        }
        if (!batch.isEmpty() || !queue.isEmpty()) {
            LOG.error("history store {}: {} messages could not be written before the shutdown", where,
                    batch.size() + queue.size());
        }
        writeMeta(lastId.getAsLong());
    }

    /** Moves queued messages into {@code batch} (waiting up to {@code waitMillis} for the first), and runs tasks. */
    private void take(List<Write> batch, long waitMillis) {
        try {
            Job first = batch.isEmpty() && waitMillis > 0 ? queue.poll(waitMillis, TimeUnit.MILLISECONDS) : queue.poll();
            List<Job> jobs = new ArrayList<>();
            if (first != null) {
                jobs.add(first);
                queue.drainTo(jobs, MAX_BATCH - batch.size() - 1);
            }
            for (Job job : jobs) {
                switch (job) {
                    case Write write -> {
                        queuedBytes.addAndGet(-write.message().estimatedBytes());
                        batch.add(write);
                    }
                    case Task task -> runTask(task);
                }
            }
            if (dropping.get() && queue.size() < QUEUE_CAPACITY / 2) {
                dropping.set(false);
                LOG.info("history store {} caught up with its write queue", where);
            }
        } catch (InterruptedException e) {
            stopping = true;
        }
    }

    private void runTask(Task task) {
        try {
            task.done().complete(task.body().apply(connection));
        } catch (RuntimeException e) {
            task.done().completeExceptionally(e);
        }
    }

    /** Writes and commits {@code batch}; false (and degraded) if that failed, and the batch is to be retried. */
    private boolean commit(List<Write> batch) {
        List<String> newRooms = new ArrayList<>();
        try {
            transaction(() -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT OR IGNORE INTO messages (id, room, sender, text, ts) VALUES (?, ?, ?, ?, ?)")) {
                    for (Write write : batch) {
                        StoredMessage m = write.message();
                        insert.setLong(1, m.id());
                        insert.setLong(2, roomId(m.roomKey(), newRooms));
                        insert.setString(3, m.from());
                        insert.setString(4, m.text());
                        insert.setLong(5, m.ts());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                putMeta(META_ID_RESERVED, lastId.getAsLong() + ID_RESERVE);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            newRooms.forEach(roomIds::remove);
            if (degraded.compareAndSet(false, true)) {
                LOG.warn("history store degraded: cannot write {}: {}; chat goes on in memory and writing resumes "
                        + "when it can (stats: storeDegraded)", where, e.getMessage());
            } else {
                LOG.debug("history store {}: still cannot write: {}", where, e.toString());
            }
            if (sync) {
                for (Write write : batch) {
                    pending.remove(write.message().id());
                    write.durable().completeExceptionally(e);
                }
            }
            return false;
        }
        written.add(batch.size());
        for (Write write : batch) {
            pending.remove(write.message().id());
            if (write.durable() != null) {
                write.durable().complete(null);
            }
        }
        if (degraded.compareAndSet(true, false)) {
            LOG.info("history store {} writes again", where);
        }
        return true;
    }

    /** The row id of a room, made (in the current transaction) if new. */
    private long roomId(String key, List<String> newRooms) throws SQLException {
        Long known = roomIds.get(key);
        if (known != null) {
            return known;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT OR IGNORE INTO rooms (key) VALUES (?)");
             PreparedStatement select = connection.prepareStatement("SELECT id FROM rooms WHERE key = ?")) {
            insert.setString(1, key);
            insert.executeUpdate();
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                roomIds.put(key, id);
                newRooms.add(key);
                return id;
            }
        }
    }

    private void putMeta(String key, long value) throws SQLException {
        try (PreparedStatement put = connection.prepareStatement(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
            put.setString(1, key);
            put.setLong(2, value);
            put.executeUpdate();
        }
    }

    /** At a clean stop: the next run continues right after the last id handed out. */
    private void writeMeta(long last) {
        try {
            transaction(() -> {
                putMeta(META_ID_RESERVED, last);
                return null;
            });
        } catch (SQLException e) {
            LOG.warn("history store {}: could not record the last id at shutdown ({}); the next start skips ahead",
                    where, e.getMessage());
        }
    }

    /**
     * Deletes what the retention no longer keeps, as of {@code nowMillis}.
     *
     * @return how many messages were deleted
     */
    long prune(long nowMillis) {
        try {
            long deleted = transaction(() -> {
                long n = 0;
                if (retention.maxAge() != null) {
                    try (PreparedStatement old = connection.prepareStatement("DELETE FROM messages WHERE ts < ?")) {
                        old.setLong(1, nowMillis - retention.maxAge().toMillis());
                        n += old.executeUpdate();
                    }
                }
                if (retention.maxPerRoom() > 0) {
                    List<Long> rooms = new ArrayList<>();
                    try (Statement statement = connection.createStatement();
                         ResultSet rs = statement.executeQuery("SELECT id FROM rooms")) {
                        while (rs.next()) {
                            rooms.add(rs.getLong(1));
                        }
                    }
                    try (PreparedStatement trim = connection.prepareStatement("DELETE FROM messages WHERE room = ? AND "
                            + "id < (SELECT id FROM messages WHERE room = ? ORDER BY id DESC LIMIT 1 OFFSET ?)")) {
                        for (long room : rooms) {
                            trim.setLong(1, room);
                            trim.setLong(2, room);
                            trim.setLong(3, retention.maxPerRoom() - 1);
                            n += trim.executeUpdate();
                        }
                    }
                }
                return n;
            });
            if (deleted > 0) {
                LOG.info("history store: retention ({}) deleted {} messages", retention, deleted);
            }
            return deleted;
        } catch (SQLException e) {
            LOG.warn("history store {}: retention could not run: {}", where, e.getMessage());
            return 0;
        }
    }

    /** Waits up to {@code nanos}; {@link #stop} cuts a wait for the commit interval short. */
    private void pause(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
    }
}
