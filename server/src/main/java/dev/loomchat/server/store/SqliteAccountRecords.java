package dev.loomchat.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code accounts} table of the history database (schema version 3), on a connection of
 * its own: account writes are rare and small, so each is its own transaction, durable
 * ({@code synchronous=FULL}) when it returns, and never waits behind the message writer's
 * batches for long (WAL, busy timeout).
 *
 * <p>Threading: safe from any thread; one statement at a time on the connection.
 */
final class SqliteAccountRecords implements AccountRecords, AutoCloseable {

    private final SqliteTable table;

    SqliteAccountRecords(Connection connection) {
        this.table = new SqliteTable(connection, "accounts");
    }

    @Override
    public List<StoredAccount> all() {
        return table.run(connection -> {
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
        return table.run(connection -> {
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
        return table.run(connection -> {
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
        return table.run(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM accounts WHERE key = ?")) {
                delete.setString(1, key);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void close() {
        table.close();
    }
}
