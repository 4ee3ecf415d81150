package dev.loomchat.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database's schema, as ordered migrations: the one place that says what the tables are.
 * {@code schema_version} holds the version a database is at; opening applies the migrations
 * after it, each in its own transaction, in order. Never edit a published migration: add one.
 * A database at a version above {@link #LATEST} was made by a newer loomchat and is refused.
 */
final class Schema {

    /** One step of the schema: {@code sql} takes a database from {@code version - 1} to {@code version}. */
    record Migration(int version, String what, List<String> sql) {
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "rooms and their messages", List.of(
                    "CREATE TABLE rooms (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)",
                    "CREATE TABLE messages (id INTEGER PRIMARY KEY, room INTEGER NOT NULL REFERENCES rooms (id),"
                            + " sender TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL)",
                    "CREATE INDEX messages_by_room ON messages (room, id)")),
            new Migration(2, "the id reservation (meta) and retention by age", List.of(
                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
                    "CREATE INDEX messages_by_ts ON messages (ts)")),
            new Migration(3, "accounts that own nicks", List.of(
                    "CREATE TABLE accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL,"
                            + " created INTEGER NOT NULL, updated INTEGER NOT NULL) WITHOUT ROWID")),
            new Migration(4, "server bans on accounts and addresses", List.of(
                    "CREATE TABLE bans (kind TEXT NOT NULL, mask TEXT NOT NULL, reason TEXT NOT NULL,"
                            + " set_by TEXT NOT NULL, set_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
                            + " PRIMARY KEY (kind, mask)) WITHOUT ROWID")));

    static final int LATEST = MIGRATIONS.getLast().version();

    private Schema() {
    }

    /**
     * Brings the database up to {@code target} (normally {@link #LATEST}).
     *
     * @return the version it was at before (0: a new database)
     * @throws StoreOpenException if the database is from a newer version, or is not a loomchat database
     */
    static int migrate(Connection connection, int target) throws SQLException, StoreOpenException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            int version = version(statement);
            if (version > LATEST) {
                throw new StoreOpenException("the database was made by a newer loomchat (schema version " + version
                        + "; this one knows up to " + LATEST + "): run that version, or another --data directory");
            }
            for (Migration migration : MIGRATIONS) {
                if (migration.version() <= version || migration.version() > target) {
                    continue;
                }
                for (String sql : migration.sql()) {
                    statement.executeUpdate(sql);
                }
                statement.executeUpdate("DELETE FROM schema_version");
                statement.executeUpdate("INSERT INTO schema_version (version) VALUES (" + migration.version() + ")");
                connection.commit();
            }
            return version;
        } catch (SQLException | StoreOpenException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The database's version; 0 for an empty database (which gets a {@code schema_version} table). */
    private static int version(Statement statement) throws SQLException, StoreOpenException {
        boolean hasVersion;
        int tables;
        try (ResultSet rs = statement.executeQuery(
                "SELECT count(*), sum(name = 'schema_version') FROM sqlite_master WHERE type = 'table'")) {
            rs.next();
            tables = rs.getInt(1);
            hasVersion = rs.getInt(2) > 0;
        }
        if (!hasVersion) {
            if (tables > 0) {
                throw new StoreOpenException("the database holds tables but no schema_version: it is not a loomchat "
                        + "database; give loomchat its own --data directory");
            }
            statement.executeUpdate("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            return 0;
        }
        try (ResultSet rs = statement.executeQuery("SELECT max(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
