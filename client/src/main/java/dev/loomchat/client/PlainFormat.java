package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The stable one-line-per-event format of non-interactive mode (stdin or stdout not a
 * terminal), for scripts. No colours, no timestamps; text is printed as received (control
 * characters other than tab replaced by {@code ?}). The lines, by event:
 *
 * <pre>
 * welcome NICK                       hello succeeded
 * message #ROOM NICK: TEXT           a room message (your own too: it confirms the send)
 * replay #ROOM NICK: TEXT            a message replayed from history (after join or /history)
 * history #ROOM COUNT                end of a replay: COUNT replay lines came before it
 * private FROM -> TO: TEXT           a private message (sent or received)
 * joined #ROOM NICK                  someone (you too) entered a room
 * parted #ROOM NICK (REASON)         someone left: part, quit, disconnect, ...
 * nick OLD -> NEW                    someone (you too) changed nick
 * who #ROOM NICK NICK ...            members, sorted
 * rooms #ROOM:COUNT #ROOM:COUNT ...  the room list, busiest first
 * error CODE: MESSAGE                a server error, or a client one (see {@link Notice.Error});
 *                                    {@code error usage: /join #room} for a command used wrongly
 * shutdown MESSAGE                   the server is going away
 * bye                                the server confirmed /quit (or end of input)
 * connection lost, reconnecting      the connection dropped ("connection lost" if not retrying)
 * reconnected NICK                   back, as NICK (NICK_ if NICK was still taken after 30 s); the
 *                                    joined lines of the re-join follow, and only missed replays
 * switched #ROOM                     /switch made ROOM the current room
 * </pre>
 *
 * {@code /me waves} is a say whose text is {@code "/me waves"}, so it appears as
 * {@code message #ROOM NICK: /me waves}. Keepalive pings print nothing. Pure and thread-safe.
 */
final class PlainFormat {

    private PlainFormat() {
    }

    /** One ban, as the {@code bans} lines show it: {@code bob(by alice, until 2026-12-01T22:00:00Z: why)}. */
    static String ban(dev.loomchat.protocol.BanInfo ban) {
        return (ban.account() != null ? ban.account() : ban.address()) + "(by " + ban.by()
                + (ban.expires() == null ? "" : ", until " + java.time.Instant.ofEpochMilli(ban.expires()))
                + (ban.reason() == null ? "" : ": " + Ansi.sanitize(ban.reason())) + ")";
    }

    /** The line for {@code frame}, or null if it prints nothing. */
    static String format(ServerMessage frame, FrameContext context) {
        if (context.hidden()) {
            return null;
        }
        return switch (frame) {
            case ServerMessage.Welcome m -> "welcome " + m.nick();
            case ServerMessage.ChatMessage m when m.room() != null ->
                    (m.replay() ? "replay " : "message ") + m.room() + " " + m.from() + ": " + Ansi.sanitize(m.text());
            case ServerMessage.ChatMessage m -> "private " + m.from() + " -> " + m.to() + ": " + Ansi.sanitize(m.text());
            case ServerMessage.Joined m -> "joined " + m.room() + " " + m.nick();
            case ServerMessage.Parted m -> "parted " + m.room() + " " + m.nick()
                    + (m.reason() == null ? "" : " (" + Ansi.sanitize(m.reason()) + ")")
                    + (m.message() == null ? "" : ": " + Ansi.sanitize(m.message()));
            case ServerMessage.Topic m -> "topic " + m.room() + (m.nick() == null ? "" : " " + m.nick()) + ": "
                    + Ansi.sanitize(m.text());
            case ServerMessage.Mode m -> "mode " + m.room() + (m.nick() == null ? "" : " " + m.nick()) + " "
                    + Ansi.sanitize(m.modes());
            case ServerMessage.Kicked m -> "kicked " + m.room() + " " + m.nick() + " by " + m.by()
                    + (m.message() == null ? "" : ": " + Ansi.sanitize(m.message()));
            case ServerMessage.Invited m -> "invited " + m.room() + " " + m.nick() + " by " + m.by();
            case ServerMessage.Killed m -> "killed " + m.nick() + " by " + m.by()
                    + (m.message() == null ? "" : ": " + Ansi.sanitize(m.message()));
            case ServerMessage.Bans m -> "bans" + (m.event() == null ? "" : " " + m.event())
                    + joined(m.bans().stream().map(PlainFormat::ban).toList());
            case ServerMessage.Nick m -> "nick " + m.old() + " -> " + m.nick();
            case ServerMessage.Who m -> "who " + m.room() + joined(sorted(m.nicks()));
            case ServerMessage.Rooms m -> "rooms" + joined(m.rooms().stream()
                    .map(r -> r.room() + ":" + r.members()).toList());
            // The number of replay lines printed: after a re-join, those shown before the drop are not.
            case ServerMessage.History m -> "history " + m.room() + " " + Math.max(0, m.count() - context.skipped());
            case ServerMessage.Error m -> "error " + m.code().wire() + ": " + Ansi.sanitize(m.message());
            case ServerMessage.Shutdown m -> "shutdown " + Ansi.sanitize(m.message());
            case ServerMessage.Bye m -> "bye";
            case ServerMessage.Account m -> "account " + m.account() + " " + m.event();
            case ServerMessage.Stats m -> "stats" + joined(m.counters().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            case ServerMessage.Ping m -> null;
            case ServerMessage.Pong m -> null;
        };
    }

    /** The line for a client notice, or null if it prints nothing. */
    static String format(Notice notice) {
        return switch (notice) {
            case Notice.Error e -> "error " + e.code() + ": " + e.message();
            case Notice.Info i -> i.text();
            case Notice.ConnectionLost c -> c.reconnecting() ? "connection lost, reconnecting" : "connection lost";
            case Notice.Reconnected r -> "reconnected " + r.nick();
            case Notice.Switched s -> "switched " + s.room();
            case Notice.NickTaken n -> null; // "reconnected NICK" tells the outcome
        };
    }

    static List<String> sorted(List<String> nicks) {
        var copy = new ArrayList<>(nicks);
        copy.sort(String.CASE_INSENSITIVE_ORDER.thenComparing(s -> s));
        return copy;
    }

    private static String joined(List<String> words) {
        return words.isEmpty() ? "" : words.stream().collect(Collectors.joining(" ", " ", ""));
    }
}
