package dev.loomchat.server.account;

import dev.loomchat.server.bus.BusUnavailableException;
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
 * The server's {@link Accounts}: the accounts from the {@link AccountRecords}, passwords checked
 * with the {@link Argon2idHasher}, failures counted by the {@link LoginThrottle} (this server's
 * own: in cluster mode each node throttles what it sees). Records of this server alone are read
 * once at start and kept in memory, so that "is this nick registered?" on every {@code hello}
 * and {@code nick} costs a map look-up; {@linkplain AccountRecords#shared() shared} records (a
 * cluster's Redis) are looked up on each use instead, so that what one node changes holds on
 * every node at once. Every change is written through to the records before it is answered;
 * records that cannot be reached make the operation {@link Outcome#UNAVAILABLE}.
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
    /** The accounts, when this server alone has them ({@code null}: shared records, looked up each time). */
    private final Map<String, StoredAccount> accounts;
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
        if (records.shared()) {
            this.accounts = null;
        } else {
            this.accounts = new ConcurrentHashMap<>();
            for (StoredAccount account : records.all()) {
                accounts.put(account.key(), account);
            }
        }
    }

    /** How many accounts there are (read from the records if they are shared). */
    public int size() {
        return accounts != null ? accounts.size() : records.all().size();
    }

    /**
     * {@inheritDoc}
     *
     * @throws BusUnavailableException if the accounts are shared and cannot be read now
     */
    @Override
    public boolean isRegistered(String account) {
        try {
            return find(account) != null;
        } catch (StoreUnavailableException e) {
            throw new BusUnavailableException(e.getMessage(), e);
        }
    }

    /** The account {@code key} or null; reads shared records (may throw {@link StoreUnavailableException}). */
    private StoredAccount find(String key) {
        return accounts != null ? accounts.get(key) : records.find(key).orElse(null);
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
        try {
            if (find(account) != null) {
                return Outcome.EXISTS;
            }
            long now = System.currentTimeMillis();
            StoredAccount made = new StoredAccount(account, name, hasher.hash(password), now, now);
            if (!insert(made)) {
                return Outcome.EXISTS; // registered by another client (or node) while we hashed
            }
        } catch (StoreUnavailableException e) {
            LOG.warn("account {} not registered: {}", account, e.getMessage());
            return Outcome.UNAVAILABLE;
        }
        LOG.info("account {} registered from {}", account, address);
        return Outcome.OK;
    }

    /**
     * Writes a new account; false if one with its key exists. Kept in memory while it is written,
     * so that two clients of this server cannot both make it; shared records decide that
     * themselves (an atomic insert).
     */
    private boolean insert(StoredAccount made) {
        if (accounts == null) {
            return records.insert(made);
        }
        if (accounts.putIfAbsent(made.key(), made) != null) {
            return false;
        }
        boolean inserted = false;
        try {
            inserted = records.insert(made);
            return inserted;
        } finally {
            if (!inserted) {
                accounts.remove(made.key(), made);
            }
        }
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
        try {
            StoredAccount current = find(account);
            if (current == null) {
                return Outcome.NO_ACCOUNT;
            }
            StoredAccount changed = current.withHash(hasher.hash(newPassword), System.currentTimeMillis());
            if (!records.update(changed)) {
                return Outcome.NO_ACCOUNT;
            }
            if (accounts != null) {
                accounts.replace(account, changed);
            }
        } catch (StoreUnavailableException e) {
            LOG.warn("password of account {} not {}: {}", account, what, e.getMessage());
            return Outcome.UNAVAILABLE;
        }
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
        if (accounts != null) {
            accounts.remove(account);
        }
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

    /** Checks a password, throttled and logged: OK, BAD_CREDENTIALS, THROTTLED or UNAVAILABLE. */
    private Outcome check(String account, String password, String address, String what) {
        if (throttle.throttled(account, address)) {
            LOG.warn("{} refused (throttled): account {} from {}", what, account, address);
            return Outcome.THROTTLED;
        }
        StoredAccount stored;
        try {
            stored = find(account);
        } catch (StoreUnavailableException e) {
            LOG.warn("{} not checked (accounts unavailable): account {} from {}: {}", what, account, address,
                    e.getMessage());
            return Outcome.UNAVAILABLE;
        }
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
