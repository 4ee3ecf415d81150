package dev.loomchat.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code accounts} table of the history database (schema version 3), on a connection of
 * its own: account writes are rare and small, so each is its own transaction, durable
 * ({@code synchronous=FULL}) when it returns, and never waits behind the message writer's
 * batches for long (WAL, busy timeout).
 *
 * <p>Threading: safe from any thread; one statement at a time on the connection.
 */
final class SqliteAccountRecords implements AccountRecords, AutoCloseable {

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed; // guarded by lock

    SqliteAccountRecords(Connection connection) {
        this.connection = connection;
    }

    @Override
    public List<StoredAccount> all() {
        return run(() -> {
            List<StoredAccount> all = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT key, name, hash, created, updated FROM accounts");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.add(new StoredAccount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
            return all;
        });
    }

    @Override
    public boolean insert(StoredAccount account) {
        return run(() -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT OR IGNORE INTO accounts (key, name, hash, created, updated) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, account.key());
                insert.setString(2, account.name());
                insert.setString(3, account.hash());
                insert.setLong(4, account.createdMillis());
                insert.setLong(5, account.updatedMillis());
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean update(StoredAccount account) {
        return run(() -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE accounts SET hash = ?, updated = ? WHERE key = ?")) {
                update.setString(1, account.hash());
                update.setLong(2, account.updatedMillis());
                update.setString(3, account.key());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String key) {
        return run(() -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM accounts WHERE key = ?")) {
                delete.setString(1, key);
                return delete.executeUpdate() == 1;
            }
        });
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

    private interface Statement<T> {
        T run() throws SQLException;
    }

    private <T> T run(Statement<T> statement) {
        lock.lock();
        try {
            if (closed) {
                throw new StoreUnavailableException("the store is closed", null);
            }
            return statement.run();
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot use the accounts table: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
