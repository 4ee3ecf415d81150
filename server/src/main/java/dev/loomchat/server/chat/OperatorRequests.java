package dev.loomchat.server.chat;

import dev.loomchat.protocol.BanInfo;
import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.Parted;
import dev.loomchat.server.ChatConfig;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server operators' requests (PROTOCOL.md §5, "Server operators"): {@code kill},
 * {@code ban}, {@code unban}, {@code bans} and {@code reset_password}, each refused with
 * {@code no_privileges} to a client that is not an operator ({@link Session#operator()}); and
 * the ban checks the rest of the core makes: at {@code hello} ({@link #admit}) and, through
 * the {@link SessionRegistry}, when a connection is accepted.
 *
 * <p>A killed or banned client is dropped with an {@code error} ({@code killed},
 * {@code server_banned}) that says who, why and until when; when its connection closes, every
 * room it was in sees it leave ({@code parted}, reason {@code kill} or {@code ban}, the reason as
 * the message), the way any part is announced.
 *
 * <p>Threading: runs on the requesting connection's reader thread, holding no lock.
 */
final class OperatorRequests {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorRequests.class);

    /** The longest ban or kill reason kept, in code points (longer ones are cut, as IRC servers cut them). */
    static final int MAX_REASON = 300;
    /** The longest ban, in seconds: ten years (longer is "until lifted": leave {@code duration} out). */
    static final long MAX_DURATION_SECONDS = 10L * 366 * 24 * 3600;

    private final ChatConfig config;
    private final ServerCounters counters;
    private final SessionRegistry sessions;
    private final NickRegistry nicks;
    private final ServerBans bans;
    private final Accounts accounts;

    OperatorRequests(ChatConfig config, ServerCounters counters, SessionRegistry sessions, NickRegistry nicks,
                     ServerBans bans, Accounts accounts) {
        this.config = config;
        this.counters = counters;
        this.sessions = sessions;
        this.nicks = nicks;
        this.bans = bans;
        this.accounts = accounts;
    }

    /**
     * At {@code hello}: whether the folded {@code account} (null: a guest) may log in. A banned
     * one is answered {@code server_banned} (with the hello's {@code ref}) and closed, and false
     * returned.
     */
    boolean admit(Session session, String account, String ref) {
        ServerBan ban = bans.onAccount(account);
        if (ban == null) {
            return true;
        }
        LOG.info("refused {}: {}", session.address(), ban.describe());
        counters.banned.increment();
        // The answer to this hello (its ref), then the end: the session is in no room yet.
        session.send(new ServerMessage.Error(ErrorCode.SERVER_BANNED, ban.describe(), ref));
        session.finish(Parted.REASON_BAN);
        return false;
    }

    /** A room on this node that a server operator may moderate without being in it, or {@code null}. */
    Room anyRoom(Session session, String name, RoomDirectory rooms) {
        return session.operator() && ContentRules.isValidRoom(name) ? rooms.find(name) : null;
    }

    void kill(Session session, ClientMessage.Kill request) {
        if (!operator(session, request.ref())) {
            return;
        }
        Session target = ContentRules.isValidNick(request.nick()) ? nicks.find(ContentRules.fold(request.nick()))
                : null;
        String nick = target == null ? null : target.nick();
        if (nick == null) {
            error(session, ErrorCode.NO_SUCH_NICK, "no client is called " + request.nick() + " on this server",
                    request.ref());
            return;
        }
        String reason = reason(request.reason());
        LOG.info("kill {} by {}{}", target, session.nick(), reason.isEmpty() ? "" : ": " + reason);
        session.send(new ServerMessage.Killed(nick, session.nick(), reason.isEmpty() ? null : reason, request.ref()));
        target.drop(Parted.REASON_KILL, reason.isEmpty() ? null : reason, ErrorCode.KILLED,
                "Killed (" + session.nick() + (reason.isEmpty() ? "" : " (" + reason + ")") + ")", counters.killed);
    }

    void ban(Session session, ClientMessage.Ban request) {
        String ref = request.ref();
        if (!operator(session, ref) || !oneTarget(session, request.account(), request.address(), ref)) {
            return;
        }
        Long duration = request.duration();
        if (duration != null && (duration < 1 || duration > MAX_DURATION_SECONDS)) {
            error(session, ErrorCode.BAD_REQUEST, "field \"duration\": seconds, 1 to " + MAX_DURATION_SECONDS
                    + " (leave it out for a ban until lifted)", ref);
            return;
        }
        if (request.reason() != null && !request.reason().isEmpty() && !ContentRules.isValidText(request.reason())) {
            error(session, ErrorCode.BAD_TEXT, "a ban's reason is text without control characters", ref);
            return;
        }
        String account = account(session, request.account(), ref);
        IpMask mask = mask(session, request.address(), ref);
        if (account == null && mask == null) {
            return;
        }
        if (account != null && config.operators().contains(account)) {
            error(session, ErrorCode.BAD_REQUEST, "the account " + account + " is a server operator (--operator) "
                    + "and cannot be banned", ref);
            return;
        }
        long now = bans.now();
        ServerBan ban = new ServerBan(account != null ? ServerBan.Kind.ACCOUNT : ServerBan.Kind.ADDRESS,
                account != null ? account : mask.toString(), reason(request.reason()), session.nick(), now,
                duration == null ? 0 : now + duration * 1000);
        try {
            bans.add(ban, mask);
        } catch (RuntimeException e) {
            error(session, ErrorCode.UNAVAILABLE, "the ban could not be stored; try again: " + e.getMessage(), ref);
            return;
        }
        session.send(new ServerMessage.Bans(List.of(ban.info()), ServerMessage.Bans.ADDED, ref));
        enforce(ban);
    }

    /** Disconnects the sessions on this node that {@code ban} matches (an address ban spares operators). */
    void enforce(ServerBan ban) {
        IpMask mask = ban.kind() == ServerBan.Kind.ADDRESS ? IpMask.parse(ban.mask()) : null;
        for (Session banned : sessions.matching(other -> mask != null
                ? !other.operator() && mask.matches(AddressLimits.sourceOf(other.address()))
                : ban.kind() == ServerBan.Kind.ACCOUNT && ban.mask().equals(other.account()))) {
            banned.drop(Parted.REASON_BAN, ban.reason().isEmpty() ? null : ban.reason(), ErrorCode.SERVER_BANNED,
                    ban.describe(), counters.banned);
        }
    }

    /** A shared ban store's news (cluster mode): the bans set on other nodes since the last tick, enforced here. */
    void refreshBans() {
        for (ServerBan ban : bans.refresh()) {
            enforce(ban);
        }
    }

    void unban(Session session, ClientMessage.Unban request) {
        String ref = request.ref();
        if (!operator(session, ref) || !oneTarget(session, request.account(), request.address(), ref)) {
            return;
        }
        String account = account(session, request.account(), ref);
        IpMask mask = mask(session, request.address(), ref);
        if (account == null && mask == null) {
            return;
        }
        ServerBan lifted;
        try {
            lifted = bans.remove(account, mask);
        } catch (RuntimeException e) {
            error(session, ErrorCode.UNAVAILABLE, "the ban could not be lifted in the store; try again: "
                    + e.getMessage(), ref);
            return;
        }
        if (lifted == null) {
            error(session, ErrorCode.NO_SUCH_BAN, "no ban on " + (account != null ? "the account " + account
                    : "the address " + mask), ref);
            return;
        }
        session.send(new ServerMessage.Bans(List.of(lifted.info()), ServerMessage.Bans.REMOVED, ref));
    }

    void list(Session session, ClientMessage.Bans request) {
        if (!operator(session, request.ref())) {
            return;
        }
        List<BanInfo> list = new ArrayList<>();
        for (ServerBan ban : bans.list()) {
            list.add(ban.info());
        }
        session.send(new ServerMessage.Bans(list, null, request.ref()));
    }

    /** Slow (a password hash), on this client's thread alone. */
    void resetPassword(Session session, ClientMessage.ResetPassword request) {
        String ref = request.ref();
        if (!operator(session, ref)) {
            return;
        }
        String account = account(session, request.account(), ref);
        if (account == null) {
            return;
        }
        switch (accounts.resetPassword(account, request.newAccountPassword())) {
            case OK -> {
                LOG.info("account {}: password reset by the operator {}", account, session.account());
                session.send(new ServerMessage.Account(account, ServerMessage.Account.PASSWORD_RESET, ref));
            }
            case NO_ACCOUNT -> error(session, ErrorCode.NO_SUCH_ACCOUNT, "no account is called " + account, ref);
            case WEAK_PASSWORD -> error(session, ErrorCode.WEAK_PASSWORD, "an account password has "
                    + PasswordRules.MIN_LENGTH + " to " + PasswordRules.MAX_LENGTH + " characters", ref);
            default -> error(session, ErrorCode.UNAVAILABLE, "accounts are unavailable on this server now", ref);
        }
    }

    private static boolean operator(Session session, String ref) {
        if (session.operator()) {
            return true;
        }
        error(session, ErrorCode.NO_PRIVILEGES, "only server operators may do that (accounts named by --operator)",
                ref);
        return false;
    }

    private static boolean oneTarget(Session session, String account, String address, String ref) {
        if ((account == null) == (address == null)) {
            error(session, ErrorCode.BAD_REQUEST, "give exactly one of \"account\" and \"address\"", ref);
            return false;
        }
        return true;
    }

    /** The folded account {@code name} names ({@code null} if absent); a name that is no nick gets {@code bad_request}. */
    private static String account(Session session, String name, String ref) {
        if (name == null) {
            return null;
        }
        if (!ContentRules.isValidNick(name)) {
            error(session, ErrorCode.BAD_REQUEST, "field \"account\": an account name is a valid nick", ref);
            return null;
        }
        return ContentRules.fold(name);
    }

    private static IpMask mask(Session session, String address, String ref) {
        if (address == null) {
            return null;
        }
        IpMask mask = IpMask.parse(address);
        if (mask == null) {
            error(session, ErrorCode.BAD_REQUEST, "field \"address\": an IP address or a CIDR network "
                    + "(203.0.113.7, 203.0.113.0/24, 2001:db8::/32)", ref);
        }
        return mask;
    }

    /** A reason as kept: valid text cut to {@link #MAX_REASON} code points, else {@code ""}. */
    static String reason(String reason) {
        if (reason == null || !ContentRules.isValidText(reason)) {
            return "";
        }
        return reason.codePointCount(0, reason.length()) <= MAX_REASON ? reason
                : reason.substring(0, reason.offsetByCodePoints(0, MAX_REASON));
    }

    private static void error(Session session, ErrorCode code, String message, String ref) {
        session.send(new ServerMessage.Error(code, message, ref));
    }
}
