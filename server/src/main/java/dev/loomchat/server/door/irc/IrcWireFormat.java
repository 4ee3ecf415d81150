package dev.loomchat.server.door.irc;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.protocol.ServerMessage.Parted;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.chat.WireFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The core's events as IRC lines: one instance for the whole door, so a room's fan-out
 * ({@code message}, {@code joined}, {@code parted}, {@code nick}) is encoded once for every IRC
 * member together, as an {@link IrcFrame} with and without its tags. Nothing recipient-specific
 * is in a fan-out frame: its lines name the sender ({@code :alice!chat@loomchat PRIVMSG #room
 * :hi}), never the receiver.
 *
 * <p>Replies to the door's own requests carry the request's {@link IrcRef}, which says which IRC
 * command they answer, for whom, and what that client negotiated; they go to that client alone,
 * so they are rendered for it: the core's {@code who} becomes 353/366 for {@code NAMES} and
 * 352/315 for {@code WHO}, its {@code nick_in_use} 433, and the own copy of a message nothing
 * unless the client asked for {@code echo-message}.
 *
 * <p>Stateless apart from the settings; thread-safe.
 */
final class IrcWireFormat implements WireFormat<IrcFrame> {

    private final IrcSettings settings;
    private final IrcUsers users;

    IrcWireFormat(IrcSettings settings, IrcUsers users) {
        this.settings = settings;
        this.users = users;
    }

    @Override
    public int size(IrcFrame frame) {
        return frame.size();
    }

    @Override
    public IrcFrame encode(ServerMessage message) {
        IrcRef ref = IrcRef.decode(message.ref());
        return switch (message) {
            case ChatMessage m -> chat(m, ref);
            case ServerMessage.Joined j -> event(j.ts(), null, IrcLines.source(j.nick()) + " JOIN " + j.room());
            case Parted p -> parted(p);
            case ServerMessage.Nick n -> event(n.ts(), null, IrcLines.source(n.old()) + " NICK :" + n.nick());
            case ServerMessage.Who w -> who(w, ref);
            case ServerMessage.Rooms r -> list(r, ref);
            case ServerMessage.History h -> ref != null && ref.batch() && "HISTORY".equals(ref.verb())
                    ? IrcFrame.of(":" + IrcLines.SERVER + " BATCH -" + batchId(ref) + "\r\n") : IrcFrame.EMPTY;
            case ServerMessage.Welcome w -> settings.welcome(w.nick());
            case ServerMessage.Ping p -> IrcFrame.of("PING :" + IrcLines.SERVER + "\r\n");
            case ServerMessage.Pong p -> IrcFrame.of(":" + IrcLines.SERVER + " PONG " + IrcLines.SERVER + " :"
                    + (ref == null ? IrcLines.SERVER : ref.arg()) + "\r\n");
            case ServerMessage.Stats s -> IrcFrame.EMPTY;
            case ServerMessage.Account a -> IrcFrame.EMPTY; // the door answers REGISTER itself
            case ServerMessage.Error e -> error(e, ref);
            case ServerMessage.Shutdown s -> IrcFrame.of("ERROR :Closing Link: " + IrcLines.SERVER
                    + " (Server shutting down)\r\n");
            case ServerMessage.Bye b -> IrcFrame.of("ERROR :Closing Link: " + (ref == null ? "*" : ref.nick())
                    + " (Quit: " + (ref == null || ref.arg().isEmpty() ? "leaving" : ref.arg()) + ")\r\n");
            case ServerMessage.Topic t -> IrcModeration.topic(t, ref);
            case ServerMessage.Mode mode -> IrcModeration.mode(mode, ref);
            case ServerMessage.Kicked k -> event(k.ts(), null, IrcLines.source(k.by()) + " KICK " + k.room() + " "
                    + k.nick() + " :" + (k.message() == null ? k.by() : k.message()));
            case ServerMessage.Invited i -> IrcModeration.invited(i, ref);
            case ServerMessage.Killed k -> IrcOperators.killed(k, ref);
            case ServerMessage.Bans b -> IrcOperators.bans(b, ref);
        };
    }

    /** A fan-out line: plain, and with its {@code time} (and {@code msgid}) tag. */
    private static IrcFrame event(long ts, String msgid, String line) {
        String tags = "@time=" + IrcLines.time(ts) + (msgid == null ? "" : ";msgid=" + msgid) + " :";
        return IrcFrame.of(":" + line + "\r\n", tags + line + "\r\n");
    }

    private IrcFrame chat(ChatMessage m, IrcRef ref) {
        if (ref != null) {
            if ("JOIN".equals(ref.verb())) {
                return IrcFrame.EMPTY; // the join's replay: the door asks for it after NAMES, or not at all
            }
            if ("HISTORY".equals(ref.verb())) {
                return replayed(m, ref);
            }
            if (!ref.echo()) {
                return IrcFrame.EMPTY; // the sender's own copy: IRC shows what it sent itself
            }
        }
        String target = m.room() != null ? m.room() : m.to();
        StringBuilder plain = new StringBuilder(m.text().length() + 64);
        StringBuilder tagged = new StringBuilder(m.text().length() + 128);
        String tags = "@time=" + IrcLines.time(m.ts()) + ";msgid=" + m.id() + " ";
        for (String line : privmsgs(m.from(), target, m.text(), m.notice())) {
            plain.append(line);
            tagged.append(tags).append(line);
        }
        return IrcFrame.of(plain.toString(), tagged.toString());
    }

    /** A message of a {@code HISTORY} replay: only clients that take tags are sent one, so tagged only. */
    private static IrcFrame replayed(ChatMessage m, IrcRef ref) {
        String target = m.room() != null ? m.room() : m.to();
        String tags = "@time=" + IrcLines.time(m.ts()) + ";msgid=" + m.id()
                + (ref.batch() ? ";batch=" + batchId(ref) : "") + " ";
        StringBuilder lines = new StringBuilder(m.text().length() + 128);
        for (String line : privmsgs(m.from(), target, m.text(), m.notice())) {
            lines.append(tags).append(line);
        }
        return IrcFrame.of(lines.toString());
    }

    /**
     * {@code text} as PRIVMSG lines from {@code from} to {@code target}: as many as it takes to
     * keep each within 512 bytes (a JSON user's text may be 4000 characters), in order; an
     * action stays an action in every piece.
     */
    static List<String> privmsgs(String from, String target, String text) {
        return privmsgs(from, target, text, false);
    }

    /** As {@link #privmsgs(String, String, String)}, as NOTICE lines for a {@code notice}. */
    static List<String> privmsgs(String from, String target, String text, boolean notice) {
        String head = ":" + IrcLines.source(from) + (notice ? " NOTICE " : " PRIVMSG ") + target + " :";
        boolean action = text.startsWith("/me ") && text.length() > 4;
        String body = action ? text.substring(4) : text;
        String open = action ? IrcText.CTCP + "ACTION " : "";
        String close = action ? String.valueOf(IrcText.CTCP) : "";
        int budget = IrcLines.MAX_BODY_BYTES - IrcLines.utf8Length(head) - open.length() - close.length();
        return IrcLines.split(body, Math.max(budget, 16)).stream()
                .map(piece -> head + open + piece + close + "\r\n").toList();
    }

    private static IrcFrame parted(Parted p) {
        String source = IrcLines.source(p.nick());
        String reason = p.reason() == null ? Parted.REASON_PART : p.reason();
        return switch (reason) {
            case Parted.REASON_PART -> event(p.ts(), null, source + " PART " + p.room()
                    + (p.message() == null ? "" : " :" + p.message()));
            case Parted.REASON_QUIT -> event(p.ts(), null, source + " QUIT :"
                    + (p.message() == null ? "Quit" : "Quit: " + p.message()));
            case Parted.REASON_KILL -> event(p.ts(), null, source + " QUIT :Killed"
                    + (p.message() == null ? "" : " (" + p.message() + ")"));
            case Parted.REASON_BAN -> event(p.ts(), null, source + " QUIT :Banned"
                    + (p.message() == null ? "" : " (" + p.message() + ")"));
            default -> event(p.ts(), null, source + " QUIT :" + quitReason(reason));
        };
    }

    /** Why a client left without {@code QUIT}, as IRC servers say it. */
    static String quitReason(String reason) {
        return switch (reason) {
            case Parted.REASON_DISCONNECT -> "Connection closed";
            case Parted.REASON_IDLE_TIMEOUT -> "Ping timeout";
            case Parted.REASON_SLOW_CONSUMER -> "SendQ exceeded";
            case Parted.REASON_EXCESS_FLOOD -> "Excess Flood";
            case "shutdown" -> "Server shutting down";
            default -> reason;
        };
    }

    private IrcFrame who(ServerMessage.Who w, IrcRef ref) {
        IrcLines lines = new IrcLines();
        if (ref == null) {
            return IrcFrame.EMPTY;
        }
        List<String> nicks = w.nicks().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        if ("WHO".equals(ref.verb())) {
            for (String nick : nicks) {
                lines.numeric("352", ref.nick(), w.room(), IrcLines.USER, IrcLines.HOST, IrcLines.SERVER, nick,
                        (users.away(nick) == null ? "H" : "G") + IrcModeration.prefix(w, nick, ref.multiPrefix()),
                        "0 " + realname(nick));
            }
            return lines.numeric("315", ref.nick(), ref.arg().isEmpty() ? w.room() : ref.arg(), "End of /WHO list.")
                    .frame();
        }
        String head = ":" + IrcLines.SERVER + " 353 " + ref.nick() + " = " + w.room() + " :";
        int budget = IrcLines.MAX_BODY_BYTES - IrcLines.utf8Length(head);
        StringBuilder names = new StringBuilder();
        for (String bare : nicks) {
            String nick = IrcModeration.prefix(w, bare, ref.multiPrefix()) + bare;
            if (!names.isEmpty() && names.length() + 1 + nick.length() > budget) {
                lines.line(head + names);
                names.setLength(0);
            }
            names.append(names.isEmpty() ? "" : " ").append(nick);
        }
        if (!names.isEmpty()) {
            lines.line(head + names);
        }
        return lines.numeric("366", ref.nick(), w.room(), "End of /NAMES list.").frame();
    }

    private String realname(String nick) {
        IrcUsers.User user = users.byNick(nick);
        return user == null ? nick : user.realname;
    }

    private static IrcFrame list(ServerMessage.Rooms r, IrcRef ref) {
        if (ref == null) {
            return IrcFrame.EMPTY;
        }
        Set<String> only = new HashSet<>();
        for (String name : ref.arg().split(",")) {
            if (!name.isEmpty()) {
                only.add(ContentRules.fold(name));
            }
        }
        IrcLines lines = new IrcLines().numeric("321", ref.nick(), "Channel", "Users  Name");
        for (RoomInfo room : r.rooms()) {
            if (only.isEmpty() || only.contains(ContentRules.fold(room.room()))) {
                lines.numeric("322", ref.nick(), room.room(), String.valueOf(room.members()), "");
            }
        }
        return lines.numeric("323", ref.nick(), "End of /LIST").frame();
    }

    private static IrcFrame error(ServerMessage.Error e, IrcRef ref) {
        if (ref == null) {
            return closing(e);
        }
        if (ref.quiet()) {
            return IrcFrame.EMPTY; // NOTICE: never an automatic reply
        }
        String nick = ref.nick();
        String arg = ref.arg();
        IrcLines lines = new IrcLines();
        switch (e.code()) {
            case NICK_IN_USE -> lines.numeric("433", nick, arg, "Nickname is already in use");
            // As Ergo: 433 for a nick another account owns; the text says how to get it.
            case NICK_REGISTERED -> lines.numeric("433", nick, arg,
                    "Nickname is registered to an account; log in to it with SASL, or pick another");
            case ACCOUNT_REQUIRED -> lines.line(":" + IrcLines.SERVER + " FAIL * ACCOUNT_REQUIRED :This server takes "
                    + "no guests: log in with SASL (or REGISTER an account first)");
            case BAD_NICK -> lines.numeric("432", nick, arg.isEmpty() ? "*" : arg, "Erroneous nickname");
            case BAD_PASSWORD -> lines.numeric("464", nick, "Password incorrect");
            case ALREADY_IN_ROOM -> { } // IRC servers ignore a JOIN to a channel one is in
            case TOO_MANY_ROOMS -> lines.numeric("405", nick, arg, "You have joined too many channels");
            case NO_SUCH_NICK -> lines.numeric("401", nick, arg, "No such nick/channel");
            case BAD_ROOM, NOT_IN_ROOM -> roomError(lines, e.code(), ref);
            case BAD_TEXT -> lines.numeric("404", nick, arg, "Cannot send to channel (" + e.message() + ")");
            case NOT_OPERATOR, BANNED, INVITE_ONLY, BAD_KEY, ROOM_FULL, CANNOT_SEND, UNKNOWN_MODE, USER_NOT_IN_ROOM,
                 USER_IN_ROOM -> IrcModeration.error(lines, e, ref);
            case NO_PRIVILEGES -> lines.numeric("481", nick, "Permission Denied- You're not an IRC operator");
            case EXCESS_FLOOD, IDLE_TIMEOUT, SLOW_CONSUMER, SERVER_FULL, KILLED, SERVER_BANNED -> {
                return closing(e);
            }
            default -> lines.line(":" + IrcLines.SERVER + " NOTICE " + nick + " :" + e.code().wire() + ": "
                    + e.message());
        }
        return lines.frame();
    }

    private static void roomError(IrcLines lines, ErrorCode code, IrcRef ref) {
        String nick = ref.nick();
        String room = ref.arg();
        switch (ref.verb()) {
            case "NAMES" -> lines.numeric("366", nick, room, "End of /NAMES list.");
            case "WHO" -> lines.numeric("315", nick, room, "End of /WHO list.");
            case "HISTORY" -> { }
            case "PRIVMSG", "NOTICE" -> lines.numeric(code == ErrorCode.BAD_ROOM ? "403" : "404", nick, room,
                    code == ErrorCode.BAD_ROOM ? "No such channel" : "Cannot send to channel");
            default -> {
                if (code == ErrorCode.BAD_ROOM) {
                    lines.numeric("403", nick, room, "No such channel");
                } else {
                    lines.numeric("442", nick, room, "You're not on that channel");
                }
            }
        }
    }

    /** An error that ends the connection: IRC's {@code ERROR}. */
    private static IrcFrame closing(ServerMessage.Error e) {
        String why = switch (e.code()) {
            case EXCESS_FLOOD -> "Excess Flood";
            case IDLE_TIMEOUT -> "Closing Link: " + IrcLines.SERVER + " (Ping timeout)";
            case SLOW_CONSUMER -> "Closing Link: " + IrcLines.SERVER + " (SendQ exceeded)";
            case SERVER_FULL -> "Closing Link: " + IrcLines.SERVER + " (Server is full)";
            case KILLED, SERVER_BANNED -> "Closing Link: " + IrcLines.SERVER + " (" + e.message() + ")";
            default -> "Closing Link: " + IrcLines.SERVER + " (" + e.code().wire() + ": " + e.message() + ")";
        };
        return IrcFrame.of("ERROR :" + why + "\r\n");
    }

    private static String batchId(IrcRef ref) {
        return batchId(ref.arg());
    }

    /** The id of the {@code chathistory} batch that replays {@code room} (unique among one client's open batches: one at a time). */
    static String batchId(String room) {
        return "h" + Integer.toUnsignedString(room.toLowerCase(Locale.ROOT).hashCode(), 36);
    }

    @Override
    public String toString() {
        return "irc";
    }
}
