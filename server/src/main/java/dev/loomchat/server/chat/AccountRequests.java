package dev.loomchat.server.chat;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.ChatConfig;

/**
 * The account side of the requests (PROTOCOL.md §5, "Accounts"): {@code register},
 * {@code password} and {@code unregister}, the login a {@code hello} may carry, and the rule
 * that a registered nick is its owner's alone ({@code nick_registered}).
 *
 * <p>Threading: runs on the requesting connection's reader thread, holding no lock, so that a
 * password hash (tens of milliseconds) costs only that client time.
 */
final class AccountRequests {

    private final ChatConfig config;
    private final Accounts accounts;
    private final NickRegistry nicks;

    AccountRequests(ChatConfig config, Accounts accounts, NickRegistry nicks) {
        this.config = config;
        this.accounts = accounts;
        this.nicks = nicks;
    }

    /**
     * The account a {@code hello} for {@code nick} takes, or replies with the error and returns
     * {@code null}: the account it logs in to ({@code accountPassword}), or the one the door
     * logged in already (IRC's SASL), or {@code ""} for a guest.
     */
    String helloAccount(Session session, ClientMessage.Hello hello) {
        String key = ContentRules.fold(hello.nick());
        String account = session.account();
        if (hello.accountPassword() != null) {
            ErrorCode failed = loginError(accounts.login(key, hello.accountPassword(), source(session)));
            if (failed != null) {
                error(session, failed, loginMessage(failed, hello.nick()), hello.ref());
                return null;
            }
            account = key;
        }
        if (!owns(account, hello.nick(), session, hello.ref())) {
            return null;
        }
        if (account == null && config.requireAccount()) {
            error(session, ErrorCode.ACCOUNT_REQUIRED, "this server takes no guests: log in to an account "
                    + "(hello with accountPassword), or register one first", hello.ref());
            return null;
        }
        return account == null ? "" : account;
    }

    /** Whether a client logged in to {@code account} may take {@code nick}; if not, replies {@code nick_registered}. */
    boolean owns(String account, String nick, Session session, String ref) {
        String key = ContentRules.fold(nick);
        if (!key.equals(account) && accounts.isRegistered(key)) {
            error(session, ErrorCode.NICK_REGISTERED, "nick " + nick + " is registered to an account: log in to it"
                    + " (hello with accountPassword) or pick another nick", ref);
            return false;
        }
        return true;
    }

    /** Whether {@code nick} is registered to an account other than the session's. */
    boolean registeredToOther(Session session, String nick) {
        String key = ContentRules.fold(nick);
        return !key.equals(session.account()) && accounts.isRegistered(key);
    }

    /** Whether the session's own account (or none) may take {@code nick}. */
    boolean owns(Session session, String nick, String ref) {
        return owns(session.account(), nick, session, ref);
    }

    void register(Session session, ClientMessage.Register request) {
        String ref = request.ref();
        String name = request.nick() != null ? request.nick() : session.nick();
        if (name == null) {
            error(session, ErrorCode.BAD_REQUEST, "missing field \"nick\": before hello, say which nick to register",
                    ref);
            return;
        }
        if (!ContentRules.isValidNick(name)) {
            error(session, ErrorCode.BAD_NICK, "invalid nick: 1 to " + ContentRules.MAX_NICK_LENGTH
                    + " of A-Z a-z 0-9 _-[]\\^{}|`, not starting with a digit or '-'", ref);
            return;
        }
        String key = ContentRules.fold(name);
        if (session.welcomed() && !key.equals(ContentRules.fold(session.nick()))) {
            error(session, ErrorCode.BAD_REQUEST, "field \"nick\": after hello, register your own nick ("
                    + session.nick() + ")", ref);
            return;
        }
        Session holder = nicks.find(key);
        if (holder != null && holder != session) {
            error(session, ErrorCode.NICK_IN_USE, "nick " + name + " is in use", ref);
            return;
        }
        Accounts.Outcome outcome = accounts.register(key, name, request.accountPassword(), source(session));
        switch (outcome) {
            case OK -> {
                if (session.welcomed()) {
                    session.account(key);
                }
                session.send(new ServerMessage.Account(key, ServerMessage.Account.REGISTERED, ref));
            }
            case EXISTS -> error(session, ErrorCode.NICK_REGISTERED, "nick " + name + " is registered already", ref);
            case WEAK_PASSWORD -> error(session, ErrorCode.WEAK_PASSWORD, passwordRules(), ref);
            default -> unavailable(session, ref);
        }
    }

    void password(Session session, ClientMessage.Password request) {
        String account = loggedIn(session, request.ref());
        if (account == null) {
            return;
        }
        Accounts.Outcome outcome = accounts.changePassword(account, request.accountPassword(),
                request.newAccountPassword(), source(session));
        if (outcome == Accounts.Outcome.OK) {
            session.send(new ServerMessage.Account(account, ServerMessage.Account.PASSWORD_CHANGED, request.ref()));
        } else {
            failed(session, outcome, account, request.ref());
        }
    }

    void unregister(Session session, ClientMessage.Unregister request) {
        String account = loggedIn(session, request.ref());
        if (account == null) {
            return;
        }
        Accounts.Outcome outcome = accounts.delete(account, request.accountPassword(), source(session));
        if (outcome == Accounts.Outcome.OK) {
            session.account(null);
            session.send(new ServerMessage.Account(account, ServerMessage.Account.DELETED, request.ref()));
        } else {
            failed(session, outcome, account, request.ref());
        }
    }

    /**
     * A door's login outside {@code hello} (IRC's SASL, before registration): on success the
     * session is logged in to {@code account} (folded here).
     */
    Accounts.Outcome login(Session session, String account, String password) {
        if (!ContentRules.isValidNick(account)) {
            return Accounts.Outcome.BAD_CREDENTIALS;
        }
        String key = ContentRules.fold(account);
        Accounts.Outcome outcome = accounts.login(key, password, source(session));
        if (outcome == Accounts.Outcome.OK) {
            session.account(key);
        }
        return outcome;
    }

    /**
     * A door's registration outside the JSON {@code register} (IRC's {@code REGISTER}): as
     * {@code register}, the outcome instead of a reply. A registered session is logged in to it.
     */
    Accounts.Outcome register(Session session, String name, String password) {
        String key = ContentRules.fold(name);
        Session holder = nicks.find(key);
        if (holder != null && holder != session) {
            return Accounts.Outcome.EXISTS;
        }
        Accounts.Outcome outcome = accounts.register(key, name, password, source(session));
        if (outcome == Accounts.Outcome.OK) {
            session.account(key);
        }
        return outcome;
    }

    /** The source address a login is throttled by: the host, not the port; "local" on a Unix socket. */
    private static String source(Session session) {
        String source = AddressLimits.sourceOf(session.address());
        return source == null ? "local" : source;
    }

    private String loggedIn(Session session, String ref) {
        String account = session.account();
        if (account == null) {
            error(session, ErrorCode.NOT_LOGGED_IN, "not logged in to an account", ref);
        }
        return account;
    }

    private void failed(Session session, Accounts.Outcome outcome, String account, String ref) {
        switch (outcome) {
            case WEAK_PASSWORD -> error(session, ErrorCode.WEAK_PASSWORD, passwordRules(), ref);
            case NO_ACCOUNT -> {
                session.account(null); // deleted meanwhile (by another connection of its owner)
                error(session, ErrorCode.NOT_LOGGED_IN, "the account " + account + " no longer exists", ref);
            }
            default -> {
                ErrorCode code = loginError(outcome);
                if (code == ErrorCode.UNAVAILABLE) {
                    unavailable(session, ref);
                } else {
                    error(session, code, loginMessage(code, account), ref);
                }
            }
        }
    }

    /** The error of a failed login, or {@code null} for {@link Accounts.Outcome#OK}. */
    private static ErrorCode loginError(Accounts.Outcome outcome) {
        return switch (outcome) {
            case OK -> null;
            case THROTTLED -> ErrorCode.LOGIN_THROTTLED;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.BAD_CREDENTIALS;
        };
    }

    private static String loginMessage(ErrorCode code, String account) {
        return switch (code) {
            case LOGIN_THROTTLED -> "too many failed logins lately (for this account or from your address); wait and "
                    + "try again";
            case UNAVAILABLE -> "accounts are unavailable now; try again";
            default -> "wrong account password for " + account + " (or no such account)";
        };
    }

    private static String passwordRules() {
        return "an account password has " + PasswordRules.MIN_LENGTH + " to " + PasswordRules.MAX_LENGTH
                + " characters";
    }

    private static void unavailable(Session session, String ref) {
        error(session, ErrorCode.UNAVAILABLE, "accounts are unavailable on this server now", ref);
    }

    private static void error(Session session, ErrorCode code, String message, String ref) {
        session.send(new ServerMessage.Error(code, message, ref));
    }
}
