package dev.loomchat.server.door.irc;

import dev.loomchat.protocol.BanInfo;
import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.Session;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IRC door's server-operator commands, mapped onto the core's operator requests:
 * {@code OPER name password} (381 RPL_YOUREOPER, 464 ERR_PASSWDMISMATCH, 491 ERR_NOOPERHOST;
 * the account {@code name} must be one of {@code --operator}, the password its account
 * password), {@code KILL nick [reason]}, and Ergo's {@code UBAN} family for bans:
 * {@code UBAN ADD <ip|cidr|account> [DURATION <1d2h30m|seconds>] [reason...]},
 * {@code UBAN DEL <ip|cidr|account>}, {@code UBAN LIST}. A client that is not an operator gets
 * 481 ERR_NOPRIVILEGES from the core's {@code no_privileges}. Replies to {@code KILL} and
 * {@code UBAN} are server notices, as Ergo sends them.
 *
 * <p>Threading: the connection's reader thread, except the static formatting, which the wire
 * format calls on any thread.
 */
final class IrcOperators {

    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,6})w)?(?:(\\d{1,6})d)?(?:(\\d{1,6})h)?"
            + "(?:(\\d{1,6})m)?(?:(\\d{1,9})s?)?");
    private static final long[] UNIT_SECONDS = {7 * 86_400, 86_400, 3_600, 60, 1};

    private IrcOperators() {
    }

    /** {@code OPER name password}: a login to the operator account {@code name}. Slow (a hash). */
    static IrcLines oper(ChatCore core, Session session, IrcMessage m) {
        String me = session.nick();
        IrcLines lines = new IrcLines();
        if (m.params().size() < 2) {
            return lines.numeric("461", me, "OPER", "Not enough parameters");
        }
        return switch (core.oper(session, m.param(0), m.param(1))) {
            case OK -> lines.line(":" + IrcLines.source(me) + " MODE " + me + " :+o")
                    .numeric("381", me, "You are now an IRC operator");
            case NO_ACCOUNT -> lines.numeric("491", me, "No O-lines for your host");
            case THROTTLED -> lines.numeric("464", me, "Password incorrect (too many failures lately; wait)");
            case UNAVAILABLE -> lines.numeric("464", me, "Password incorrect (accounts are unavailable now)");
            default -> lines.numeric("464", me, "Password incorrect");
        };
    }

    /** {@code KILL nick [reason]} as the core's {@code kill}, or {@code null} if a parameter is missing. */
    static ClientMessage.Kill kill(IrcMessage m, String ref) {
        if (!m.has(0) || m.param(0).isEmpty()) {
            return null;
        }
        String reason = m.has(1) && !m.param(1).isEmpty() ? IrcText.fromIrc(m.param(1)) : null;
        return new ClientMessage.Kill(m.param(0), reason, ref);
    }

    /**
     * {@code UBAN ADD|DEL|LIST ...} as the core's request, or {@code null} with the error
     * already in {@code lines} (a missing parameter, an unknown subcommand, a bad duration).
     */
    static ClientMessage uban(IrcMessage m, String me, String ref, IrcLines lines) {
        String sub = m.has(0) ? m.param(0).toUpperCase(Locale.ROOT) : "";
        List<String> params = m.params();
        switch (sub) {
            case "LIST" -> {
                return new ClientMessage.Bans(ref);
            }
            case "ADD", "DEL" -> {
                if (params.size() < 2 || params.get(1).isEmpty()) {
                    lines.numeric("461", me, "UBAN", "Not enough parameters");
                    return null;
                }
                String target = params.get(1);
                boolean address = target.indexOf('.') >= 0 || target.indexOf(':') >= 0;
                String account = address ? null : target;
                String ip = address ? target : null;
                if (sub.equals("DEL")) {
                    return new ClientMessage.Unban(account, ip, ref);
                }
                int next = 2;
                Long seconds = null;
                if (params.size() > next + 1 && params.get(next).equalsIgnoreCase("DURATION")) {
                    seconds = seconds(params.get(next + 1));
                    if (seconds == null) {
                        lines.line(":" + IrcLines.SERVER + " FAIL UBAN INVALID_DURATION :" + params.get(next + 1)
                                + " is no duration (e.g. 90s, 30m, 2h, 1d12h, 1w)");
                        return null;
                    }
                    next += 2;
                }
                String reason = next < params.size() ? IrcText.fromIrc(String.join(" ", params.subList(next,
                        params.size()))) : null;
                return new ClientMessage.Ban(account, ip, seconds, reason, ref);
            }
            default -> {
                lines.line(":" + IrcLines.SERVER + " FAIL UBAN INVALID_PARAMS :Use UBAN ADD <ip|cidr|account> "
                        + "[DURATION <duration>] [reason], UBAN DEL <ip|cidr|account> or UBAN LIST");
                return null;
            }
        }
    }

    /** Seconds of an Ergo-style duration ({@code 1d2h30m}, {@code 90s}, {@code 90}), or {@code null}. */
    static Long seconds(String text) {
        Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (text.isEmpty() || !matcher.matches()) {
            return null;
        }
        long total = 0;
        for (int group = 1; group <= 5; group++) {
            if (matcher.group(group) != null) {
                total += Long.parseLong(matcher.group(group)) * UNIT_SECONDS[group - 1];
            }
        }
        return total;
    }

    /** The core's {@code killed} confirmation, as a server notice to the operator. */
    static IrcFrame killed(ServerMessage.Killed k, IrcRef ref) {
        if (ref == null) {
            return IrcFrame.EMPTY;
        }
        return new IrcLines().line(":" + IrcLines.SERVER + " NOTICE " + ref.nick() + " :Killed " + k.nick()
                + (k.message() == null ? "" : " (" + k.message() + ")")).frame();
    }

    /** The core's {@code bans} reply, as server notices: the ban added or removed, or the list. */
    static IrcFrame bans(ServerMessage.Bans b, IrcRef ref) {
        if (ref == null) {
            return IrcFrame.EMPTY;
        }
        IrcLines lines = new IrcLines();
        String head = ":" + IrcLines.SERVER + " NOTICE " + ref.nick() + " :";
        if (b.event() != null) {
            String what = ServerMessage.Bans.ADDED.equals(b.event()) ? "Ban added: " : "Ban removed: ";
            for (BanInfo ban : b.bans()) {
                lines.line(head + what + describe(ban));
            }
            return lines.frame();
        }
        for (BanInfo ban : b.bans()) {
            lines.line(head + describe(ban));
        }
        return lines.line(head + "End of ban list (" + b.bans().size() + (b.bans().size() == 1 ? " ban)" : " bans)"))
                .frame();
    }

    private static String describe(BanInfo ban) {
        return (ban.account() != null ? "account " + ban.account() : "address " + ban.address())
                + " by " + ban.by() + (ban.expires() == null ? ", until lifted"
                : ", until " + Instant.ofEpochMilli(ban.expires())) + (ban.reason() == null ? "" : ": " + ban.reason());
    }
}
