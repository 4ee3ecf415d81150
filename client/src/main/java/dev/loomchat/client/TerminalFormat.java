package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/**
 * How interactive mode shows events: local {@code HH:mm} time, room, nick.
 *
 * <pre>
 * 14:03 #general &lt;alice&gt; hi all
 * 14:03 #general * alice waves              (a say whose text starts with "/me ")
 * 14:04 [alice -&gt; you] psst                 (private, received)
 * 14:04 [you -&gt; alice] hi                   (private, sent)
 * 14:05 #general --&gt; bob joined             (presence: faint)
 * 14:06 #general &lt;-- bob left (quit)
 * 14:06 -- bob is now bobby
 * 14:07 !! not_in_room: you are not in #random
 * </pre>
 *
 * With colour on, each nick has its {@link NickColors stable colour}, presence lines and the
 * time are faint, replayed history is faint as a whole, errors are red. With colour off the
 * same text is printed plain and replayed lines carry a {@code [history]} tag instead. Network
 * text is {@link Ansi#sanitize sanitized}. Pure and thread-safe.
 */
final class TerminalFormat {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final String ME = "/me ";

    private final Ansi ansi;
    private final ZoneId zone;

    TerminalFormat(boolean color, ZoneId zone) {
        this.ansi = new Ansi(color);
        this.zone = zone;
    }

    boolean color() {
        return ansi.enabled();
    }

    /** The line for {@code frame}, or null if it shows nothing; {@code now} stamps frames without a {@code ts}. */
    String format(ServerMessage frame, FrameContext context, long now) {
        if (context.hidden()) {
            return null;
        }
        return switch (frame) {
            case ServerMessage.ChatMessage m -> chat(m, context);
            // Presence lines are faint as a whole, so nicks in them are not coloured separately.
            case ServerMessage.Joined m -> presence(m.ts(), m.room(), "--> "
                    + (isMe(m.nick(), context) ? "you joined" : m.nick() + " joined"));
            case ServerMessage.Parted m -> presence(m.ts(), m.room(), "<-- "
                    + (isMe(m.nick(), context) ? "you left" : m.nick() + " left")
                    + (m.reason() == null || m.reason().equals(ServerMessage.Parted.REASON_PART)
                    ? "" : " (" + Ansi.sanitize(m.reason()) + ")")
                    + (m.message() == null ? "" : ": " + Ansi.sanitize(m.message())));
            case ServerMessage.Topic m -> presence(m.ts() == 0 ? now : m.ts(), m.room(), m.text().isEmpty()
                    ? "-- no topic" : "-- topic: " + Ansi.sanitize(m.text())
                    + (m.nick() == null ? "" : " (set by " + m.nick() + ")"));
            case ServerMessage.Mode m -> presence(m.ts() == 0 ? now : m.ts(), m.room(), "-- mode "
                    + Ansi.sanitize(m.modes()) + (m.nick() == null ? "" : " by " + m.nick()));
            case ServerMessage.Kicked m -> presence(m.ts(), m.room(), "<-- "
                    + (isMe(m.nick(), context) ? "you were" : m.nick() + " was") + " kicked by " + m.by()
                    + (m.message() == null ? "" : ": " + Ansi.sanitize(m.message())));
            case ServerMessage.Invited m -> line(now, m.room(), "-- " + m.by() + " invited " + m.nick());
            case ServerMessage.Killed m -> line(now, null, "-- you killed " + m.nick()
                    + (m.message() == null ? "" : ": " + Ansi.sanitize(m.message())));
            case ServerMessage.Bans m -> line(now, null, (m.event() == null ? "-- bans: " : "-- ban " + m.event() + ": ")
                    + (m.bans().isEmpty() ? "none" : m.bans().stream().map(PlainFormat::ban)
                    .collect(Collectors.joining(", "))));
            case ServerMessage.Nick m -> presence(m.ts(), null, isMe(m.old(), context) || isMe(m.nick(), context)
                    ? "-- you are now " + m.nick()
                    : "-- " + m.old() + " is now " + m.nick());
            case ServerMessage.History m -> history(m, context, now);
            case ServerMessage.Who m -> line(now, m.room(), "-- " + m.nicks().size()
                    + (m.nicks().size() == 1 ? " member: " : " members: ")
                    + PlainFormat.sorted(m.nicks()).stream().map(ansi::nick).collect(Collectors.joining(" ")));
            case ServerMessage.Rooms m -> line(now, null, m.rooms().isEmpty() ? "-- no rooms"
                    : "-- rooms: " + m.rooms().stream().map(r -> r.room() + " (" + r.members() + ")")
                    .collect(Collectors.joining(", ")));
            case ServerMessage.Welcome m -> line(now, null, "-- connected to " + Ansi.sanitize(m.server()) + " "
                    + Ansi.sanitize(m.version()) + " as " + ansi.nick(m.nick()));
            case ServerMessage.Error m -> alert(now, m.code().wire() + ": " + Ansi.sanitize(m.message()), Ansi.RED);
            case ServerMessage.Shutdown m -> alert(now, "server shutting down: " + Ansi.sanitize(m.message()),
                    Ansi.YELLOW);
            case ServerMessage.Bye m -> line(now, null, "-- bye");
            case ServerMessage.Account m -> line(now, null, "-- " + account(m));
            case ServerMessage.Stats m -> line(now, null, "-- stats: " + m.counters().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
            case ServerMessage.Ping m -> null;
            case ServerMessage.Pong m -> null;
        };
    }

    /** What an {@code account} event means for the user, in words. */
    private static String account(ServerMessage.Account m) {
        return switch (m.event()) {
            case ServerMessage.Account.REGISTERED -> "registered the account " + m.account()
                    + ": you are logged in to it, and only you can use this nick";
            case ServerMessage.Account.PASSWORD_CHANGED -> "account " + m.account() + ": password changed";
            case ServerMessage.Account.DELETED -> "deleted the account " + m.account()
                    + ": you are a guest now, and the nick is anyone's once you leave it";
            default -> "account " + m.account() + ": " + Ansi.sanitize(m.event());
        };
    }

    /** The line for a client notice. */
    String format(Notice notice, long now) {
        return switch (notice) {
            // A usage error's message is the bare usage line; the code is said here, where other codes are not.
            case Notice.Error e -> alert(now, (e.code().equals(Command.Invalid.USAGE) ? "usage: " : "")
                    + Ansi.sanitize(e.message()), Ansi.RED);
            case Notice.Info i -> i.text();
            case Notice.ConnectionLost c -> alert(now, "connection lost"
                    + (c.reason() == null ? "" : " (" + Ansi.sanitize(c.reason()) + ")")
                    + (c.reconnecting() ? ", reconnecting\u2026" : ""), Ansi.YELLOW);
            case Notice.Reconnected r -> line(now, null, "-- reconnected to " + r.server() + " as " + ansi.nick(r.nick())
                    + (r.nick().equals(r.wanted()) ? "" : " (" + r.wanted() + " is still taken; /nick " + r.wanted()
                    + " to try again)"));
            case Notice.Switched s -> line(now, s.room(), "-- now talking in " + s.room());
            case Notice.NickTaken n -> line(now, null, "-- " + ansi.nick(n.nick()) + " is still taken (most likely by "
                    + "the connection just lost); trying it for up to " + Durations.format(n.keepTrying())
                    + " after the drop, then " + n.nick() + "_");
        };
    }

    private String chat(ServerMessage.ChatMessage m, FrameContext context) {
        String text = Ansi.sanitize(m.text());
        boolean action = text.startsWith(ME);
        if (action) {
            text = text.substring(ME.length());
        }
        // A replayed line is faint as a whole, so its parts are not coloured separately.
        Ansi parts = m.replay() ? new Ansi(false) : ansi;
        String body;
        if (m.room() != null) {
            body = (action ? "* " + parts.nick(m.from()) + " " : "<" + parts.nick(m.from()) + "> ") + text;
        } else {
            String from = isMe(m.from(), context) ? "you" : parts.nick(m.from());
            String to = isMe(m.to(), context) ? "you" : parts.nick(m.to());
            body = "[" + from + " -> " + to + "] " + (action ? "* " + m.from() + " " : "") + text;
        }
        if (!m.replay()) {
            return time(m.ts()) + " " + (m.room() == null ? "" : m.room() + " ") + body;
        }
        String plain = time(m.ts(), false) + " " + (m.room() == null ? "" : m.room() + " ")
                + (ansi.enabled() ? "" : "[history] ") + body;
        return ansi.style(plain, Ansi.FAINT);
    }

    private String history(ServerMessage.History m, FrameContext context, long now) {
        int shown = m.count() - context.skipped();
        if (shown <= 0 && context.joinReply()) {
            return null; // joining an empty room, or re-joining one with nothing new: nothing worth a line
        }
        String what = shown <= 0 ? "-- no history"
                : "-- end of history (" + shown + (shown == 1 ? " message)" : " messages)");
        return presence(now, m.room(), what);
    }

    /** A faint presence-style line. */
    private String presence(long ts, String room, String text) {
        String plain = time(ts, false) + " " + (room == null ? "" : room + " ") + text;
        return ansi.style(plain, Ansi.FAINT);
    }

    private String line(long ts, String room, String text) {
        return time(ts) + " " + (room == null ? "" : room + " ") + text;
    }

    private String alert(long ts, String text, int color) {
        return time(ts) + " " + ansi.style("!! " + text, Ansi.BOLD, color);
    }

    private String time(long ts) {
        return time(ts, true);
    }

    private String time(long ts, boolean styled) {
        String hhmm = HH_MM.format(Instant.ofEpochMilli(ts).atZone(zone));
        return styled ? ansi.style(hhmm, Ansi.FAINT) : hhmm;
    }

    private static boolean isMe(String nick, FrameContext context) {
        return context.ownNick() != null && nick.equalsIgnoreCase(context.ownNick());
    }
}
