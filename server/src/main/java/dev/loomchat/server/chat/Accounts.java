package dev.loomchat.server.chat;

/**
 * The accounts that own nicks, as the core sees them: whether a nick is registered, and the
 * checks and changes that need a password. Account names are folded nicks
 * ({@link dev.loomchat.protocol.ContentRules#fold}). Hashing, throttling and storage are the
 * implementation's (the server's {@code dev.loomchat.server.account.AccountService}).
 *
 * <p>Threading: safe from any thread. The password methods are slow on purpose (a password
 * hash costs tens of milliseconds); they run on the requesting connection's own thread and
 * must never be called while holding a room or registry lock.
 */
public interface Accounts {

    /** What a password operation came to. */
    enum Outcome {
        /** Done: logged in, made, changed or deleted. */
        OK,
        /** No such account (a login reports it as {@link #BAD_CREDENTIALS}, to say no more than that). */
        NO_ACCOUNT,
        /** An account with that name exists already. */
        EXISTS,
        /** The password does not match. */
        BAD_CREDENTIALS,
        /** Too many failures for the account or from the address lately; nothing was checked. */
        THROTTLED,
        /** The new password breaks the length rules. */
        WEAK_PASSWORD,
        /** Accounts cannot be used now (the store failed, or this server keeps none). */
        UNAVAILABLE
    }

    /**
     * Whether the folded nick {@code account} is registered.
     *
     * @throws dev.loomchat.server.bus.BusUnavailableException if the accounts are shared (cluster
     *         mode) and cannot be read now: the request is answered {@code unavailable}
     */
    boolean isRegistered(String account);

    /**
     * Checks {@code password} for {@code account}, throttled per account and per {@code address}:
     * {@link Outcome#OK}, {@link Outcome#BAD_CREDENTIALS} (also for an unknown account),
     * {@link Outcome#THROTTLED} or {@link Outcome#UNAVAILABLE} (the accounts cannot be read).
     */
    Outcome login(String account, String password, String address);

    /** Makes {@code account} (shown as {@code name}) with {@code password}. */
    Outcome register(String account, String name, String password, String address);

    /** Changes {@code account}'s password, if {@code oldPassword} is right (throttled as a login). */
    Outcome changePassword(String account, String oldPassword, String newPassword, String address);

    /** Deletes {@code account}, if {@code password} is right (throttled as a login). */
    Outcome delete(String account, String password, String address);

    /**
     * Sets {@code account}'s password without the old one (a server operator's reset):
     * {@link Outcome#OK}, {@link Outcome#NO_ACCOUNT}, {@link Outcome#WEAK_PASSWORD} or
     * {@link Outcome#UNAVAILABLE} (the default: accounts that cannot be reset).
     */
    default Outcome resetPassword(String account, String newPassword) {
        return Outcome.UNAVAILABLE;
    }

    /** No accounts at all: nothing is registered, and nothing can be. */
    Accounts NONE = new Accounts() {
        @Override
        public boolean isRegistered(String account) {
            return false;
        }

        @Override
        public Outcome login(String account, String password, String address) {
            return Outcome.BAD_CREDENTIALS;
        }

        @Override
        public Outcome register(String account, String name, String password, String address) {
            return Outcome.UNAVAILABLE;
        }

        @Override
        public Outcome changePassword(String account, String oldPassword, String newPassword, String address) {
            return Outcome.UNAVAILABLE;
        }

        @Override
        public Outcome delete(String account, String password, String address) {
            return Outcome.UNAVAILABLE;
        }
    };
}
