package dev.loomchat.server.door.irc;

import dev.loomchat.protocol.ServerMessage;

/**
 * The core's topics, modes, invitations and moderation errors as IRC lines and numerics
 * (RFC 2812): {@code TOPIC}/332/333/331, {@code MODE}/324, the ban list 367/368, {@code INVITE}/341,
 * and 482, 471, 473, 474, 475, 404, 472, 441, 443. Stateless.
 */
final class IrcModeration {

    private IrcModeration() {
    }

    /** A topic: the fan-out line, or (answering a JOIN or a TOPIC query) 332 and 333, or 331. */
    static IrcFrame topic(ServerMessage.Topic t, IrcRef ref) {
        if (ref == null) {
            String line = IrcLines.source(t.nick() == null ? IrcLines.SERVER : t.nick()) + " TOPIC " + t.room() + " :"
                    + t.text();
            String tags = "@time=" + IrcLines.time(t.ts()) + " :";
            return IrcFrame.of(":" + line + "\r\n", tags + line + "\r\n");
        }
        IrcLines lines = new IrcLines();
        if (t.text().isEmpty()) {
            return lines.numeric("331", ref.nick(), t.room(), "No topic is set").frame();
        }
        return lines.numeric("332", ref.nick(), t.room(), t.text())
                .numeric("333", ref.nick(), t.room(), t.nick() == null ? IrcLines.SERVER : t.nick(),
                        Long.toString(t.ts() / 1000))
                .frame();
    }

    /** A mode change (fan-out), the channel's modes (324) or its ban list (367/368, for the door's {@code BANS}). */
    static IrcFrame mode(ServerMessage.Mode m, IrcRef ref) {
        if (ref == null) {
            String line = IrcLines.source(m.nick() == null ? IrcLines.SERVER : m.nick()) + " MODE " + m.room() + " "
                    + m.modes();
            String tags = "@time=" + IrcLines.time(m.ts()) + " :";
            return IrcFrame.of(":" + line + "\r\n", tags + line + "\r\n");
        }
        IrcLines lines = new IrcLines();
        if (m.modes().startsWith("+b") || m.modes().equals("+") && "BANS".equals(ref.verb())) {
            String[] words = m.modes().split(" ");
            for (int i = 1; i < words.length; i++) {
                lines.numeric("367", ref.nick(), m.room(), words[i]);
            }
            return lines.numeric("368", ref.nick(), m.room(), "End of channel ban list").frame();
        }
        String[] words = m.modes().split(" ");
        String[] params = new String[words.length + 1];
        params[0] = m.room();
        System.arraycopy(words, 0, params, 1, words.length);
        return lines.numeric("324", ref.nick(), params).frame();
    }

    /** An invitation: the {@code INVITE} line to the invited, 341 to the one who invited. */
    static IrcFrame invited(ServerMessage.Invited i, IrcRef ref) {
        if (ref == null) {
            return IrcFrame.of(":" + IrcLines.source(i.by()) + " INVITE " + i.nick() + " " + i.room() + "\r\n");
        }
        return new IrcLines().numeric("341", ref.nick(), i.nick(), i.room()).frame();
    }

    /** The numeric for a moderation error of the core; the subject (a nick, a letter) is the message's first word. */
    static void error(IrcLines lines, ServerMessage.Error e, IrcRef ref) {
        String nick = ref.nick();
        String room = ref.arg();
        String subject = e.message().split(" ", 2)[0];
        switch (e.code()) {
            case NOT_OPERATOR -> lines.numeric("482", nick, room, "You're not channel operator");
            case BANNED -> lines.numeric("474", nick, room, "Cannot join channel (+b)");
            case INVITE_ONLY -> lines.numeric("473", nick, room, "Cannot join channel (+i)");
            case BAD_KEY -> lines.numeric("475", nick, room, "Cannot join channel (+k)");
            case ROOM_FULL -> lines.numeric("471", nick, room, "Cannot join channel (+l)");
            case CANNOT_SEND -> lines.numeric("404", nick, room, "Cannot send to channel");
            case UNKNOWN_MODE -> lines.numeric("472", nick, subject, "is unknown mode char to me");
            case USER_NOT_IN_ROOM -> lines.numeric("441", nick, subject, room, "They aren't on that channel");
            case USER_IN_ROOM -> lines.numeric("443", nick, subject, room, "is already on channel");
            default -> lines.line(":" + IrcLines.SERVER + " NOTICE " + nick + " :" + e.code().wire() + ": "
                    + e.message());
        }
    }

    /** The NAMES/WHO prefix of {@code nick} in a {@code who} reply: {@code @}, {@code +}, both, or none. */
    static String prefix(ServerMessage.Who w, String nick, boolean all) {
        String op = w.ops().contains(nick) ? "@" : "";
        String voice = w.voiced().contains(nick) ? "+" : "";
        return all ? op + voice : op.isEmpty() ? voice : op;
    }
}
