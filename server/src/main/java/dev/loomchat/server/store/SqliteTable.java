package dev.loomchat.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small table of the history database on a connection of its own (accounts, bans): one
 * statement at a time, each its own transaction, and every failure one
 * {@link StoreUnavailableException} that names the table.
 *
 * <p>Threading: safe from any thread.
 */
final class SqliteTable implements AutoCloseable {

    /** One use of the connection. */
    interface Statement<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed; // guarded by lock

    SqliteTable(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    <T> T run(Statement<T> statement) {
        lock.lock();
        try {
            if (closed) {
                throw new StoreUnavailableException("the store is closed", null);
            }
            return statement.run(connection);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot use the " + name + " table: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } catch (SQLException e) {
            // Closed either way.
        } finally {
            lock.unlock();
        }
    }
}
