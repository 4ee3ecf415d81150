/**
 * The history store: every room message (id, room, sender, text, ts) kept on disk so that history
 * survives an emptied room and a restart, and message ids keep increasing across restarts
 * (README "History store").
 *
 * <p>The bus and the application see {@link dev.loomchat.server.store.MessageStore}: ids, a
 * non-blocking append, and pages of a room's history. The one implementation,
 * {@link dev.loomchat.server.store.SqliteMessageStore}, is SQLite in WAL mode in a data directory
 * it locks ({@code DataDirectory}), with its schema's ordered migrations in one place
 * ({@code Schema}) and one writer thread that group-commits a bounded queue ({@code StoreWriter}).
 * No other package touches {@code java.sql}.
 */
package dev.loomchat.server.store;
