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
 * The same database keeps the accounts ({@link dev.loomchat.server.store.AccountRecords}) and the
 * server bans (the chat core's {@link dev.loomchat.server.chat.BanStore}, {@code SqliteBanStore}),
 * each on a connection of its own with durable single-row writes. No other package touches
 * {@code java.sql}.
 */
package dev.loomchat.server.store;
