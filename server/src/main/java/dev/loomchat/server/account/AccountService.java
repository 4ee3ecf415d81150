package dev.loomchat.server.account;

import dev.loomchat.server.chat.Accounts;
import dev.loomchat.server.chat.PasswordRules;
import dev.loomchat.server.store.AccountRecords;
import dev.loomchat.server.store.StoreUnavailableException;
import dev.loomchat.server.store.StoredAccount;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@link Accounts}: the accounts from the {@link AccountRecords} (read once at
 * start and kept in memory, so that "is this nick registered?" on every {@code hello} and
 * {@code nick} costs a map look-up), passwords checked with the {@link Argon2idHasher}, failures
 * counted by the {@link LoginThrottle}. Every change is written through to the records before
 * it is answered.
 *
 * <p>Logs: each failed login, with the account and the source address (never the password);
 * each account made, changed or deleted.
 *
 * <p>Threading: safe from any thread; the password methods hash on the caller's thread.
 */
public final class AccountService implements Accounts {

    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

    private final AccountRecords records;
    private final Argon2idHasher hasher;
    private final LoginThrottle throttle;
    private final Map<String, StoredAccount> accounts = new ConcurrentHashMap<>();
    /**
     * Verified when the account does not exist, so an unknown name costs as long as a wrong
     * password. Made on first need, not at start: a server nobody logs in to never pays the
     * hash's memory.
     */
    private volatile String decoy;

    public AccountService(AccountRecords records, Argon2idHasher hasher, LoginThrottle throttle) {
        this.records = records;
        this.hasher = hasher;
        this.throttle = throttle;
        for (StoredAccount account : records.all()) {
            accounts.put(account.key(), account);
        }
    }

    /** How many accounts there are. */
    public int size() {
        return accounts.size();
    }

    @Override
    public boolean isRegistered(String account) {
        return accounts.containsKey(account);
    }

    @Override
    public Outcome login(String account, String password, String address) {
        return check(account, password, address, "login");
    }

    @Override
    public Outcome register(String account, String name, String password, String address) {
        if (!PasswordRules.isValid(password)) {
            return Outcome.WEAK_PASSWORD;
        }
        if (accounts.containsKey(account)) {
            return Outcome.EXISTS;
        }
        long now = System.currentTimeMillis();
        StoredAccount made = new StoredAccount(account, name, hasher.hash(password), now, now);
        if (accounts.putIfAbsent(account, made) != null) {
            return Outcome.EXISTS; // registered by another client while we hashed
        }
        try {
            if (!records.insert(made)) {
                accounts.remove(account, made);
                return Outcome.EXISTS;
            }
        } catch (StoreUnavailableException e) {
            accounts.remove(account, made);
            LOG.warn("account {} not registered: {}", account, e.getMessage());
            return Outcome.UNAVAILABLE;
        }
        LOG.info("account {} registered from {}", account, address);
        return Outcome.OK;
    }

    @Override
    public Outcome changePassword(String account, String oldPassword, String newPassword, String address) {
        Outcome checked = check(account, oldPassword, address, "password change");
        if (checked != Outcome.OK) {
            return checked;
        }
        Outcome changed = setPassword(account, newPassword, "changed");
        if (changed == Outcome.OK) {
            LOG.info("account {}: password changed from {}", account, address);
        }
        return changed;
    }

    @Override
    public Outcome resetPassword(String account, String newPassword) {
        Outcome reset = setPassword(account, newPassword, "reset");
        if (reset == Outcome.OK) {
            throttle.succeeded(account); // its owner may log in with the new password at once
        }
        return reset;
    }

    /** Hashes and stores {@code newPassword} for {@code account} ({@code what} names the change in the log). */
    private Outcome setPassword(String account, String newPassword, String what) {
        if (!PasswordRules.isValid(newPassword)) {
            return Outcome.WEAK_PASSWORD;
        }
        StoredAccount current = accounts.get(account);
        if (current == null) {
            return Outcome.NO_ACCOUNT;
        }
        StoredAccount changed = current.withHash(hasher.hash(newPassword), System.currentTimeMillis());
        try {
            if (!records.update(changed)) {
                return Outcome.NO_ACCOUNT;
            }
        } catch (StoreUnavailableException e) {
            LOG.warn("password of account {} not {}: {}", account, what, e.getMessage());
            return Outcome.UNAVAILABLE;
        }
        accounts.replace(account, changed);
        return Outcome.OK;
    }

    @Override
    public Outcome delete(String account, String password, String address) {
        Outcome checked = check(account, password, address, "account deletion");
        if (checked != Outcome.OK) {
            return checked;
        }
        try {
            records.delete(account);
        } catch (StoreUnavailableException e) {
            LOG.warn("account {} not deleted: {}", account, e.getMessage());
            return Outcome.UNAVAILABLE;
        }
        accounts.remove(account);
        LOG.info("account {} deleted from {}", account, address);
        return Outcome.OK;
    }

    private String decoy() {
        String made = decoy;
        if (made == null) {
            made = hasher.hash("decoy password, never an account's"); // a race makes two: harmless
            decoy = made;
        }
        return made;
    }

    /** Checks a password, throttled and logged: OK, BAD_CREDENTIALS or THROTTLED. */
    private Outcome check(String account, String password, String address, String what) {
        if (throttle.throttled(account, address)) {
            LOG.warn("{} refused (throttled): account {} from {}", what, account, address);
            return Outcome.THROTTLED;
        }
        StoredAccount stored = accounts.get(account);
        boolean ok = hasher.verify(password, stored == null ? decoy() : stored.hash()) && stored != null;
        if (!ok) {
            throttle.failed(account, address);
            LOG.warn("{} failed: account {} from {}{}", what, account, address, stored == null ? " (no such account)" : "");
            return Outcome.BAD_CREDENTIALS;
        }
        throttle.succeeded(account);
        return Outcome.OK;
    }
}
