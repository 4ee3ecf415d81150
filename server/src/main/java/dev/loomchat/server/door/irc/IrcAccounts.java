package dev.loomchat.server.door.irc;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.server.chat.Accounts;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.Session;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The IRC door's accounts, for one connection: SASL PLAIN ({@code AUTHENTICATE}, IRCv3 SASL
 * 3.1: 900, 903, 904, 905, 906, 907, 908) and {@code REGISTER} (the IRCv3
 * {@code draft/account-registration}, before or after connection registration; answered with
 * {@code REGISTER SUCCESS} or {@code FAIL REGISTER ...} standard replies). Both end in the
 * core's {@link ChatCore#login} / {@link ChatCore#register}, so they are throttled, logged and
 * hashed as the JSON door's are.
 *
 * <p>Threading: the connection's reader thread only.
 */
final class IrcAccounts {

    /** The SASL mechanisms offered ({@code sasl=PLAIN} in {@code CAP LS 302}). */
    static final String MECHANISMS = "PLAIN";
    /** One AUTHENTICATE line's payload at most; a line of exactly this many means more follows. */
    static final int CHUNK = 400;
    /** The most base64 a PLAIN exchange may take: a 32-character name twice and a 256-character password, with room. */
    static final int MAX_PAYLOAD = 1200;

    private final ChatCore core;
    private final Session session;
    /** Between {@code AUTHENTICATE PLAIN} and the last chunk: the base64 so far; {@code null} otherwise. */
    private StringBuilder payload;

    IrcAccounts(ChatCore core, Session session) {
        this.core = core;
        this.session = session;
    }

    /**
     * One {@code AUTHENTICATE} line.
     *
     * @param nick the nick numerics go to ({@code *} before registration)
     * @param sasl whether the client negotiated the {@code sasl} capability
     */
    IrcLines authenticate(IrcMessage m, String nick, boolean sasl) {
        IrcLines lines = new IrcLines();
        String arg = m.has(0) ? m.param(0) : "";
        if (!sasl) {
            return lines.numeric("904", nick, "SASL authentication failed: request the sasl capability first");
        }
        if (arg.equals("*")) {
            payload = null;
            return lines.numeric("906", nick, "SASL authentication aborted");
        }
        if (session.account() != null) {
            payload = null;
            return lines.numeric("907", nick, "You have already authenticated using SASL");
        }
        if (payload == null) {
            if (!arg.toUpperCase(Locale.ROOT).equals(MECHANISMS)) {
                return lines.numeric("908", nick, MECHANISMS, "are available SASL mechanisms")
                        .numeric("904", nick, "SASL authentication failed");
            }
            payload = new StringBuilder();
            return lines.line("AUTHENTICATE +");
        }
        if (arg.length() > CHUNK || payload.length() + arg.length() > MAX_PAYLOAD) {
            payload = null;
            return lines.numeric("905", nick, "SASL message too long");
        }
        if (!arg.equals("+")) {
            payload.append(arg);
        }
        if (arg.length() == CHUNK) {
            return lines; // more follows
        }
        String base64 = payload.toString();
        payload = null;
        String[] parts = plain(base64);
        if (parts == null) {
            return lines.numeric("904", nick, "SASL authentication failed: not a PLAIN message");
        }
        String authzid = parts[0];
        String account = parts[1];
        if (!authzid.isEmpty() && !ContentRules.fold(authzid).equals(ContentRules.fold(account))) {
            return lines.numeric("904", nick, "SASL authentication failed: cannot act as another account");
        }
        return switch (core.login(session, account, parts[2])) {
            case OK -> loggedIn(lines, nick, account).numeric("903", nick, "SASL authentication successful");
            case THROTTLED -> lines.numeric("904", nick,
                    "SASL authentication failed: too many failed logins lately, try again later");
            case UNAVAILABLE -> lines.numeric("904", nick, "SASL authentication failed: accounts are unavailable");
            default -> lines.numeric("904", nick, "SASL authentication failed");
        };
    }

    /**
     * One {@code REGISTER <account> {<email> | *} <password>} line ({@code *} as the account:
     * the current nick). The email is not used.
     *
     * @param nick       the nick numerics go to
     * @param currentNick the nick the client has or asked for, or {@code null}
     * @param registered whether connection registration is complete (then only the current nick may be registered)
     */
    IrcLines register(IrcMessage m, String nick, String currentNick, boolean registered) {
        IrcLines lines = new IrcLines();
        if (m.params().size() < 3) {
            return lines.numeric("461", nick, "REGISTER", "Not enough parameters");
        }
        String account = m.param(0).equals("*") ? currentNick : m.param(0);
        if (account == null) {
            return fail(lines, "NEED_NICK", "*", "Send NICK first, or name the account");
        }
        if (session.account() != null) {
            return fail(lines, "ALREADY_AUTHENTICATED", account, "You are logged in to an account already");
        }
        if (!ContentRules.isValidNick(account)
                || registered && !ContentRules.fold(account).equals(ContentRules.fold(currentNick))) {
            return fail(lines, "BAD_ACCOUNT_NAME", account, registered ? "You can register your current nick only"
                    : "An account name is a valid nick");
        }
        Accounts.Outcome outcome = core.register(session, account, m.param(2));
        return switch (outcome) {
            case OK -> loggedIn(lines.line(":" + IrcLines.SERVER + " REGISTER SUCCESS " + account
                    + " :Account created"), nick, account);
            case EXISTS -> fail(lines, "ACCOUNT_EXISTS", account, "Account already exists");
            case WEAK_PASSWORD -> fail(lines, "WEAK_PASSWORD", account, "A password has 8 to 256 characters");
            default -> fail(lines, "TEMPORARILY_UNAVAILABLE", account, "Accounts are unavailable now; try again");
        };
    }

    private static IrcLines loggedIn(IrcLines lines, String nick, String account) {
        String shown = nick.equals("*") ? account : nick;
        return lines.numeric("900", nick, shown + "!" + IrcLines.USER + "@" + IrcLines.HOST, account,
                "You are now logged in as " + account);
    }

    private static IrcLines fail(IrcLines lines, String code, String account, String text) {
        return lines.line(":" + IrcLines.SERVER + " FAIL REGISTER " + code + " " + account + " :" + text);
    }

    /** {@code authzid NUL authcid NUL password} from base64, or {@code null} if it is not that. */
    private static String[] plain(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\0", -1);
        return parts.length == 3 && !parts[1].isEmpty() ? parts : null;
    }
}
