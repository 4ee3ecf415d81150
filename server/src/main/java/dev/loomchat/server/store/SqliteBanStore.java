package dev.loomchat.server.store;

import dev.loomchat.server.chat.BanStore;
import dev.loomchat.server.chat.ServerBan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code bans} table of the history database (schema version 4), on a connection of its
 * own, as {@link SqliteAccountRecords} keeps accounts: bans change rarely, so each write is its
 * own durable transaction, and the core reads them all once, at start.
 *
 * <p>Threading: safe from any thread; one statement at a time on the connection.
 */
final class SqliteBanStore implements BanStore, AutoCloseable {

    private final SqliteTable table;

    SqliteBanStore(Connection connection) {
        this.table = new SqliteTable(connection, "bans");
    }

    @Override
    public List<ServerBan> all() {
        return table.run(connection -> {
            List<ServerBan> all = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT kind, mask, reason, set_by, set_at, expires_at FROM bans");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ServerBan.Kind kind;
                    try {
                        kind = ServerBan.Kind.valueOf(rs.getString(1).toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        continue; // a kind a newer loomchat wrote: not ours to apply
                    }
                    all.add(new ServerBan(kind, rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6)));
                }
            }
            return all;
        });
    }

    @Override
    public void put(ServerBan ban) {
        table.run(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO bans "
                    + "(kind, mask, reason, set_by, set_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, kind(ban.kind()));
                insert.setString(2, ban.mask());
                insert.setString(3, ban.reason());
                insert.setString(4, ban.by());
                insert.setLong(5, ban.setMillis());
                insert.setLong(6, ban.expiresMillis());
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public void remove(ServerBan.Kind kind, String mask) {
        table.run(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM bans WHERE kind = ? AND mask = ?")) {
                delete.setString(1, kind(kind));
                delete.setString(2, mask);
                return delete.executeUpdate();
            }
        });
    }

    private static String kind(ServerBan.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        table.close();
    }
}
