/**
 * Accounts that own nicks: the {@link dev.loomchat.server.account.AccountService} (the core's
 * {@link dev.loomchat.server.chat.Accounts}), Argon2id password hashes
 * ({@link dev.loomchat.server.account.Argon2idHasher}) and login throttling
 * ({@link dev.loomchat.server.account.LoginThrottle}). The accounts themselves are kept by the
 * history store ({@link dev.loomchat.server.store.AccountRecords}).
 */
package dev.loomchat.server.account;
