package dev.loomchat.server.door.irc;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.server.ChatConfig;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * What the door tells IRC clients about the server: the welcome burst (001–005 with ISUPPORT),
 * LUSERS, MOTD, VERSION and TIME. Immutable.
 */
final class IrcSettings {

    /** The network's name (ISUPPORT {@code NETWORK}). */
    static final String NETWORK = "loomchat";
    /** The core folds ASCII letters only (PROTOCOL.md §9): {@code [} and {@code {} are different nicks. */
    static final String CASEMAPPING = "ascii";
    /** User modes: every user is {@code +i} (invisible: WHO of a channel one is not in lists nobody). */
    static final String USER_MODES = "i";
    /** Channel modes (the chat core's RoomModes): bans, invite-only, key, limit, moderated, no outside messages, operator, secret, topic lock, voice. */
    static final String CHANNEL_MODES = "biklmnostv";

    /** The most bytes of the MOTD file's text in one 372 line: room for the prefix and a 32-character nick. */
    private static final int MOTD_LINE_BYTES = 400;

    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final ChatConfig config;
    private final IrcConfig irc;
    private final String version;
    private final String created;

    IrcSettings(ChatConfig config, IrcConfig irc, String version, Instant created) {
        this.config = config;
        this.irc = irc;
        this.version = version;
        this.created = HUMAN.format(created);
    }

    ChatConfig config() {
        return config;
    }

    IrcConfig irc() {
        return irc;
    }

    String version() {
        return "loomchat-" + version;
    }

    /** 001–005: what a client learns on registration. */
    IrcFrame welcome(String nick) {
        IrcLines lines = new IrcLines()
                .numeric("001", nick, "Welcome to the " + NETWORK + " IRC network, " + IrcLines.source(nick))
                .numeric("002", nick, "Your host is " + IrcLines.SERVER + ", running version " + version())
                .numeric("003", nick, "This server was created " + created)
                .line(":" + IrcLines.SERVER + " 004 " + nick + " " + IrcLines.SERVER + " " + version() + " "
                        + USER_MODES + " " + CHANNEL_MODES);
        isupport(lines, nick);
        return lines.frame();
    }

    /** RPL_ISUPPORT (005), in lines of at most 13 tokens. */
    void isupport(IrcLines lines, String nick) {
        List<String> tokens = List.of(
                "CASEMAPPING=" + CASEMAPPING, "CHANTYPES=#", "NICKLEN=" + ContentRules.MAX_NICK_LENGTH,
                "CHANNELLEN=" + ContentRules.MAX_ROOM_LENGTH, "TOPICLEN=" + IrcHandler.TOPIC_LENGTH,
                "PREFIX=(ov)@+", "CHANLIMIT=#:" + config.maxRooms(), "CHANMODES=b,k,l,imnst", "NETWORK=" + NETWORK,
                "MAXTARGETS=" + IrcHandler.MAX_TARGETS, "TARGMAX=PRIVMSG:" + IrcHandler.MAX_TARGETS + ",NOTICE:"
                        + IrcHandler.MAX_TARGETS + ",JOIN:,PART:,NAMES:,WHOIS:1",
                "AWAYLEN=" + IrcHandler.AWAY_LENGTH, "KICKLEN=0", "MODES=1", "STATUSMSG=", "LINELEN=512");
        for (int from = 0; from < tokens.size(); from += 13) {
            List<String> some = tokens.subList(from, Math.min(tokens.size(), from + 13));
            lines.line(":" + IrcLines.SERVER + " 005 " + nick + " " + String.join(" ", some)
                    + " :are supported by this server");
        }
    }

    /** LUSERS: 251, 254, 255 (and 265/266) from the core's counters. */
    IrcFrame lusers(String nick, Map<String, Long> stats) {
        long users = stats.getOrDefault("welcomed", 0L);
        long connections = stats.getOrDefault("connections", 0L);
        long rooms = stats.getOrDefault("rooms", 0L);
        return new IrcLines()
                .numeric("251", nick, "There are " + users + " users and 0 invisible on 1 servers")
                .numeric("252", nick, "0", "operator(s) online")
                .numeric("253", nick, String.valueOf(Math.max(0, connections - users)), "unknown connection(s)")
                .numeric("254", nick, String.valueOf(rooms), "channels formed")
                .numeric("255", nick, "I have " + users + " clients and 0 servers")
                .numeric("265", nick, String.valueOf(users), String.valueOf(users), "Current local users " + users)
                .numeric("266", nick, String.valueOf(users), String.valueOf(users), "Current global users " + users)
                .frame();
    }

    /** MOTD: 375, 372 per line, 376; or 422 without one. */
    IrcFrame motd(String nick) {
        IrcLines lines = new IrcLines();
        if (irc.motd() == null) {
            return lines.numeric("422", nick, "MOTD File is missing").frame();
        }
        lines.numeric("375", nick, "- " + IrcLines.SERVER + " Message of the day - ");
        for (String line : irc.motd()) {
            for (String piece : line.isEmpty() ? List.of("") : IrcLines.split(line, MOTD_LINE_BYTES)) {
                lines.numeric("372", nick, "- " + piece); // a long line of the file: several, each within 512 bytes
            }
        }
        return lines.numeric("376", nick, "End of /MOTD command.").frame();
    }

    IrcFrame versionReply(String nick) {
        IrcLines lines = new IrcLines().line(":" + IrcLines.SERVER + " 351 " + nick + " " + version() + " "
                + IrcLines.SERVER + " :loomchat chat server, IRC door");
        isupport(lines, nick);
        return lines.frame();
    }

    IrcFrame time(String nick) {
        return new IrcLines().numeric("391", nick, IrcLines.SERVER, HUMAN.format(Instant.now())).frame();
    }
}
