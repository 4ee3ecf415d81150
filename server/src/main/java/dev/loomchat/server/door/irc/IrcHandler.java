package dev.loomchat.server.door.irc;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.FloodPolicy;
import dev.loomchat.server.chat.Outbox;
import dev.loomchat.server.chat.Session;
import dev.loomchat.server.door.ConnectionWriter;
import dev.loomchat.server.door.FairInputStream;
import dev.loomchat.server.door.TlsAcceptance;
import dev.loomchat.server.door.ParkingStreamHandler;
import dev.loomchat.server.tls.ServerTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One IRC connection: a {@link ParkingStreamHandler} whose conversation reads the client's
 * lines (while the client is quiet the connection waits for its next line without a thread), registers it ({@code PASS}, {@code NICK}, {@code USER}, {@code CAP}) and turns each
 * command into requests for the {@link ChatCore} ({@code JOIN} is a {@code join}, then a
 * {@code who} for the names list, then for clients that take tags a {@code history}), or answers
 * it itself where the core has nothing to say ({@code MODE}, {@code VERSION}, …). Replies go out
 * as in the JSON door: the reader writes its own just before it waits for the next line, a
 * short-lived writer thread writes the fan-out.
 *
 * <p>Flood control is IRC's: a command over the budget waits for its token ("fake lag",
 * {@link FloodPolicy#DELAY}); the door's own answers pay like the core's ({@link ChatCore#pace}).
 */
final class IrcHandler extends ParkingStreamHandler {

    /**
     * ISUPPORT's TOPICLEN: the core's (longer topics are cut there).
     */
    static final int TOPIC_LENGTH = 390;
    /** Targets of one PRIVMSG or NOTICE. */
    static final int MAX_TARGETS = 4;
    static final int AWAY_LENGTH = 200;
    /** The capabilities this door offers (IRCv3), as {@code CAP LS} lists them. */
    static final List<String> CAPABILITIES = List.of("batch", "cap-notify", "echo-message", "message-tags",
            "multi-prefix", "server-time", "sasl", "draft/account-registration");
    /** The values {@code CAP LS 302} gives capabilities (README "Accounts"). */
    private static final java.util.Map<String, String> CAP_VALUES = java.util.Map.of(
            "sasl", IrcAccounts.MECHANISMS, "draft/account-registration", "before-connect");
    /** The most bytes a line takes: tags and the line itself. */
    private static final long LINE_BYTES = IrcLineReader.MAX_TAG_BYTES + IrcLineReader.MAX_LINE_BYTES;

    private final IrcDoor door;
    private final ChatCore core;
    private Session session;
    private IrcPeer peer;
    // The conversation's reading and writing, kept while the connection is parked.
    private ConnectionWriter<IrcFrame> writer;
    private FairInputStream input;
    private IrcLineReader reader;
    private ScheduledFuture<?> registrationTimeout;
    // Registration and capabilities: reader thread only.
    private String password;
    private String pendingNick;
    private String realname;
    private String username;
    private boolean capNegotiating;
    private final Set<String> caps = new LinkedHashSet<>();
    private volatile boolean registered;
    private IrcUsers.User user;
    private IrcAccounts accounts;

    IrcHandler(IrcDoor door, ServerTls tls) {
        super(tls, door.core().counters().parked);
        this.door = door;
        this.core = door.core();
    }

    @Override
    protected int rbufsize() {
        return 0; // IrcLineReader buffers
    }

    @Override
    protected boolean disableNagleAlgorithm() {
        return true;
    }

    @Override
    protected void handle() throws Exception {
        TlsAcceptance failed = failedHandshake();
        if (failed != null) {
            if (failed.plainClient()) { // told in plain text, which an IRC client shows
                IrcFrame.of("ERROR :Closing Link: " + IrcLines.SERVER + " (this port speaks TLS: connect with TLS)\r\n")
                        .writeTo(wfile(), false);
            }
            return;
        }
        ChatConfig config = core.config();
        peer = new IrcPeer(connection(), parking(), door.format(), config);
        String address = String.valueOf(clientAddress());
        session = core.open(peer, address, FloodPolicy.DELAY);
        if (session == null) {
            door.format().encode(core.refusal(address)).writeTo(wfile(), false);
            return;
        }
        accounts = new IrcAccounts(core, session);
        writer = peer.startWriting(output(), core.counters().bytesOut, "irc-writer-" + session.address());
        registrationTimeout = door.timers().schedule(this::registrationTimedOut,
                door.settings().irc().registrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        input = new FairInputStream(input(), core.counters().bytesIn, session::heard,
                config.msgRate() * LINE_BYTES, config.msgBurst() * LINE_BYTES);
        reader = new IrcLineReader(input);
        converse(peer);
    }

    @Override
    protected void readRequests() throws IOException {
        while (session.endReason() == null) {
            if (!reader.hasBufferedLine()) {
                writer.flushReplies(); // as the JSON door: the replies go out before the read waits, and no yield
            }
            switch (reader.read()) {
                case IrcLineReader.Line.End end -> {
                    return;
                }
                case IrcLineReader.Line.TooLong tooLong -> {
                    input.answered();
                    if (!core.pace(session, System.nanoTime())) {
                        return;
                    }
                    reply(new IrcLines().numeric("417", nick(), "Input line was too long"));
                }
                case IrcLineReader.Line.Text(String text) -> {
                    if (text.isBlank()) {
                        continue; // costs its bytes, gets no reply
                    }
                    input.answered();
                    IrcMessage message = IrcMessage.parse(text);
                    if (!message.command().isEmpty() && !command(message)) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    protected void beforePark() {
        reader.releaseBuffer();
    }

    @Override
    protected void endConversation() throws InterruptedException {
        registrationTimeout.cancel(false);
        if (user != null && session.nick() != null) {
            door.users().gaveUp(session.nick(), user);
        }
        door.users().remove(session);
        core.close(session);
        writer.handOffReplies();
        awaitWriter(core.config().shutdownGrace());
    }

    /** Carries out one command; returns whether to go on reading. */
    private boolean command(IrcMessage m) {
        switch (m.command()) {
            case "PING" -> {
                if (!m.has(0)) {
                    return local(new IrcLines().numeric("409", nick(), "No origin specified"));
                }
                return toCore(new ClientMessage.Ping(ref("PING", m.param(0))));
            }
            case "PONG" -> {
                return toCore(new ClientMessage.Pong(null));
            }
            case "QUIT" -> {
                String reason = m.has(0) ? m.param(0) : "";
                return toCore(new ClientMessage.Quit(reason.isEmpty() ? null : IrcText.fromIrc(reason), ref("QUIT", reason)));
            }
            case "CAP" -> {
                return pace() && cap(m);
            }
            case "AUTHENTICATE" -> {
                // The login hashes a password on this thread (tens of ms): only this client waits.
                return pace() && reply(accounts.authenticate(m, nick(), caps.contains("sasl")));
            }
            case "REGISTER" -> {
                return pace() && reply(accounts.register(m, nick(), registered ? session.nick() : pendingNick,
                        registered));
            }
            default -> {
                return registered ? registeredCommand(m) : registrationCommand(m);
            }
        }
    }

    // ---------------------------------------------------------------- registration

    private boolean registrationCommand(IrcMessage m) {
        if (!pace()) {
            return false;
        }
        switch (m.command()) {
            case "PASS" -> {
                if (!m.has(0)) {
                    reply(new IrcLines().numeric("461", "*", "PASS", "Not enough parameters"));
                } else {
                    password = m.param(0);
                }
            }
            case "NICK" -> {
                String wanted = m.param(0);
                if (wanted == null || wanted.isEmpty()) {
                    reply(new IrcLines().numeric("431", "*", "No nickname given"));
                } else if (!ContentRules.isValidNick(wanted)) {
                    reply(new IrcLines().numeric("432", "*", wanted, "Erroneous nickname"));
                } else if (core.findNick(wanted) != null) {
                    reply(new IrcLines().numeric("433", "*", wanted, "Nickname is already in use"));
                } else {
                    pendingNick = wanted;
                    return register();
                }
            }
            case "USER" -> {
                if (m.params().size() < 4 || m.param(0).isEmpty()) {
                    reply(new IrcLines().numeric("461", "*", "USER", "Not enough parameters"));
                } else {
                    username = "~" + m.param(0);
                    realname = m.param(3).isEmpty() ? m.param(0) : m.param(3);
                    return register();
                }
            }
            default -> reply(new IrcLines().numeric("451", "*", "You have not registered"));
        }
        return true;
    }

    /** Registers once NICK and USER are in and CAP negotiation (if any) has ended: the core's hello. */
    private boolean register() {
        if (pendingNick == null || realname == null || capNegotiating || registered) {
            return true;
        }
        String required = core.config().password();
        if (required != null && (password == null || !MessageDigest.isEqual(required.getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8)))) {
            reply(new IrcLines().numeric("464", "*", "Password incorrect")
                    .line("ERROR :Closing Link: " + IrcLines.SERVER + " (Bad Password)"));
            peer.outbox().close();
            return false;
        }
        String nick = pendingNick;
        pendingNick = null;
        if (!core.followUp(session, new ClientMessage.Hello(nick, password, "irc", null, ref("REGISTER", nick)))) {
            return false;
        }
        if (session.nick() == null) {
            return true; // 433 or 432 went out: the client picks another nick
        }
        registered = true;
        user = new IrcUsers.User(username, realname, peer);
        door.users().add(session, user);
        reply(door.settings().lusers(session.nick(), core.stats()));
        reply(door.settings().motd(session.nick()));
        if (session.operator()) { // logged in (SASL) to an operator account
            String me = session.nick();
            reply(new IrcLines().line(":" + IrcLines.source(me) + " MODE " + me + " :+o"));
        }
        return true;
    }

    /** The registration timeout: a connection that has not registered by now is closed. Timer thread. */
    private void registrationTimedOut() {
        if (!registered) {
            peer.outbox().offer(IrcFrame.of("ERROR :Closing Link: " + IrcLines.SERVER + " (Registration timed out)\r\n"));
            peer.outbox().close();
        }
    }

    private boolean cap(IrcMessage m) {
        String sub = m.has(0) ? m.param(0).toUpperCase(Locale.ROOT) : "";
        String prefix = ":" + IrcLines.SERVER + " CAP " + nick() + " ";
        switch (sub) {
            case "LS" -> {
                if (!registered) {
                    capNegotiating = true;
                }
                if ("302".equals(m.param(1))) {
                    caps.add("cap-notify"); // implied by 302
                }
                boolean values = m.has(1) && m.param(1).compareTo("302") >= 0 && m.param(1).length() == 3;
                reply(new IrcLines().line(prefix + "LS :" + String.join(" ", CAPABILITIES.stream()
                        .map(cap -> values && CAP_VALUES.containsKey(cap) ? cap + "=" + CAP_VALUES.get(cap) : cap)
                        .toList())));
            }
            case "LIST" -> reply(new IrcLines().line(prefix + "LIST :" + String.join(" ", caps)));
            case "REQ" -> {
                if (!registered) {
                    capNegotiating = true;
                }
                String wanted = m.param(1) == null ? "" : m.param(1).trim();
                List<String> tokens = List.of(wanted.split(" +"));
                boolean ok = !wanted.isEmpty() && tokens.stream()
                        .allMatch(token -> CAPABILITIES.contains(token.startsWith("-") ? token.substring(1) : token));
                if (ok) {
                    for (String token : tokens) {
                        if (token.startsWith("-")) {
                            caps.remove(token.substring(1));
                        } else {
                            caps.add(token);
                        }
                    }
                    peer.tags(takesTags());
                }
                reply(new IrcLines().line(prefix + (ok ? "ACK" : "NAK") + " :" + wanted));
            }
            case "END" -> {
                if (!registered && capNegotiating) {
                    capNegotiating = false;
                    return register();
                }
            }
            default -> reply(new IrcLines().numeric("410", nick(), sub.isEmpty() ? "*" : sub, "Invalid CAP command"));
        }
        return true;
    }

    private boolean takesTags() {
        return caps.contains("server-time") || caps.contains("message-tags");
    }

    // ---------------------------------------------------------------- commands

    private boolean registeredCommand(IrcMessage m) {
        String me = session.nick();
        return switch (m.command()) {
            case "JOIN" -> join(m);
            case "PART" -> part(m);
            case "PRIVMSG", "NOTICE" -> message(m);
            case "NICK" -> m.has(0) ? nick(m.param(0)) : local(new IrcLines().numeric("431", me, "No nickname given"));
            case "WHOWAS" -> whowas(m);
            case "KICK" -> kick(m);
            case "INVITE" -> invite(m);
            case "INFO" -> local(new IrcLines().numeric("371", me, "loomchat " + door.settings().version()
                    + ": a chat server on Java virtual threads; this is its IRC door")
                    .numeric("374", me, "End of INFO list"));
            case "NAMES" -> names(m);
            case "WHO" -> who(m);
            case "WHOIS" -> whois(m);
            case "LIST" -> toCore(new ClientMessage.Rooms(ref("LIST", m.has(0) ? m.param(0) : "")));
            case "TOPIC" -> topic(m);
            case "MODE" -> mode(m);
            case "AWAY" -> away(m);
            case "ISON" -> ison(m);
            case "USERHOST" -> userhost(m);
            case "VERSION" -> local(door.settings().versionReply(me));
            case "TIME" -> local(door.settings().time(me));
            case "MOTD" -> local(door.settings().motd(me));
            case "LUSERS" -> pace() && reply(door.settings().lusers(me, core.stats()));
            case "USER", "PASS" -> local(new IrcLines().numeric("462", me, "You may not reregister"));
            case "TAGMSG" -> pace(); // client-only tags are not relayed
            // The login hashes a password on this thread (tens of ms): only this client waits.
            case "OPER" -> pace() && reply(IrcOperators.oper(core, session, m));
            case "KILL" -> {
                ClientMessage.Kill kill = IrcOperators.kill(m, ref("KILL", m.has(0) ? m.param(0) : ""));
                yield kill == null ? local(new IrcLines().numeric("461", me, "KILL", "Not enough parameters"))
                        : toCore(kill);
            }
            case "UBAN" -> {
                IrcLines refused = new IrcLines();
                ClientMessage request = IrcOperators.uban(m, me, ref("UBAN", ""), refused);
                yield request == null ? local(refused) : toCore(request);
            }
            default -> local(new IrcLines().numeric("421", me, m.command(), "Unknown command"));
        };
    }

    private boolean nick(String wanted) {
        String old = session.nick();
        if (wanted.equals(old)) {
            return pace(); // no change: IRC says nothing, to anyone
        }
        if (!toCore(new ClientMessage.Nick(wanted, ref("NICK", wanted)))) {
            return false;
        }
        if (!old.equals(session.nick()) && !ContentRules.fold(old).equals(ContentRules.fold(session.nick()))) {
            door.users().gaveUp(old, user);
        }
        return true;
    }

    private boolean whowas(IrcMessage m) {
        String me = session.nick();
        if (!m.has(0)) {
            return local(new IrcLines().numeric("431", me, "No nickname given"));
        }
        String nick = m.param(0).split(",")[0];
        int count = 0;
        try {
            count = m.has(1) ? Integer.parseInt(m.param(1)) : 0;
        } catch (NumberFormatException e) {
            count = 0;
        }
        IrcLines lines = new IrcLines();
        List<IrcUsers.Former> formers = door.users().whowas(nick, count);
        if (formers.isEmpty()) {
            lines.numeric("406", me, nick, "There was no such nickname");
        }
        for (IrcUsers.Former former : formers) {
            lines.numeric("314", me, former.nick(), former.username(), IrcLines.HOST, "*", former.realname());
        }
        return local(lines.numeric("369", me, nick, "End of WHOWAS"));
    }

    /** KICK: the core checks that the kicker is an operator and the kicked a member. */
    private boolean kick(IrcMessage m) {
        String me = session.nick();
        if (m.params().size() < 2) {
            return local(new IrcLines().numeric("461", me, "KICK", "Not enough parameters"));
        }
        String room = m.param(0);
        if (!ContentRules.isValidRoom(room) || !core.roomExists(room)) {
            return local(new IrcLines().numeric("403", me, room, "No such channel"));
        }
        if (!inRoom(room) && !session.operator()) { // a server operator kicks from any channel
            return local(new IrcLines().numeric("442", me, room, "You're not on that channel"));
        }
        String reason = m.has(2) ? IrcText.fromIrc(m.param(2)) : null;
        boolean first = true;
        for (String nick : m.param(1).split(",")) {
            if (nick.isEmpty()) {
                continue;
            }
            ClientMessage kick = new ClientMessage.Kick(room, nick, reason, ref("KICK", room));
            if (!(first ? toCore(kick) : core.followUp(session, kick))) {
                return false;
            }
            first = false;
        }
        return !first || pace();
    }

    /**
     * INVITE: into a room that exists here, the core's (it records the invitation, for {@code +i},
     * and tells the invited); into one that does not, only a notice to an IRC user, as before.
     */
    private boolean invite(IrcMessage m) {
        String me = session.nick();
        if (m.params().isEmpty()) {
            return local(new IrcLines().numeric("337", me, "End of /INVITE list")); // nobody invited you anywhere
        }
        if (m.params().size() < 2) {
            return local(new IrcLines().numeric("461", me, "INVITE", "Not enough parameters"));
        }
        String target = m.param(0);
        String room = m.param(1);
        Session other = ContentRules.isValidNick(target) ? core.findNick(target) : null;
        IrcLines lines = new IrcLines();
        if (other == null || other.nick() == null) {
            lines.numeric("401", me, target, "No such nick/channel");
        } else if (ContentRules.isValidRoom(room) && core.roomExists(room)) {
            if (!inRoom(room)) {
                lines.numeric("442", me, room, "You're not on that channel");
            } else {
                return toCore(new ClientMessage.Invite(room, other.nick(), ref("INVITE", room)));
            }
        } else {
            lines.numeric("341", me, other.nick(), room);
            IrcUsers.User invited = door.users().byNick(other.nick());
            if (invited != null) {
                invited.peer.outbox().offer(IrcFrame.of(":" + IrcLines.source(me) + " INVITE " + other.nick() + " "
                        + room + "\r\n"));
            }
        }
        return local(lines);
    }

    private boolean join(IrcMessage m) {
        if (!m.has(0)) {
            return local(new IrcLines().numeric("461", session.nick(), "JOIN", "Not enough parameters"));
        }
        if ("0".equals(m.param(0))) {
            if (!pace()) {
                return false;
            }
            for (String room : session.roomNames()) {
                if (!core.followUp(session, new ClientMessage.Part(room, ref("PART", room)))) {
                    return false;
                }
            }
            return true;
        }
        boolean first = true;
        String[] keys = m.has(1) ? m.param(1).split(",") : new String[0];
        String[] names = m.param(0).split(",");
        for (int i = 0; i < names.length; i++) {
            String room = names[i];
            if (room.isEmpty() || inRoom(room)) {
                continue; // IRC servers ignore a JOIN to a channel one is in
            }
            String key = i < keys.length && !keys[i].isEmpty() ? keys[i] : null;
            ClientMessage join = new ClientMessage.Join(room, key, ref("JOIN", room));
            if (!(first ? toCore(join) : core.followUp(session, join))) {
                return false;
            }
            first = false;
            if (!inRoom(room)) {
                continue;
            }
            if (!core.followUp(session, new ClientMessage.Who(room, ref("NAMES", room)))) {
                return false;
            }
            if (takesTags()) {
                // A client that shows each message's own time gets the room's recent history
                // (in a chathistory batch if it takes batches); one that does not would show old
                // lines as if they were said now, so it gets none.
                if (caps.contains("batch")) {
                    reply(new IrcLines().line(":" + IrcLines.SERVER + " BATCH +" + IrcWireFormat.batchId(room)
                            + " chathistory " + room));
                }
                if (!core.followUp(session, new ClientMessage.History(room, null, ref("HISTORY", room)))) {
                    return false;
                }
            }
        }
        return !first || pace(); // a JOIN of channels one is in still pays
    }

    private boolean inRoom(String room) {
        String key = ContentRules.fold(room);
        for (String name : session.roomNames()) {
            if (ContentRules.fold(name).equals(key)) {
                return true;
            }
        }
        return false;
    }

    private boolean part(IrcMessage m) {
        if (!m.has(0)) {
            return local(new IrcLines().numeric("461", session.nick(), "PART", "Not enough parameters"));
        }
        boolean first = true;
        String message = m.has(1) && !m.param(1).isEmpty() ? IrcText.fromIrc(m.param(1)) : null;
        for (String room : m.param(0).split(",")) {
            if (room.isEmpty()) {
                continue;
            }
            ClientMessage part = new ClientMessage.Part(room, message, ref("PART", room));
            if (!(first ? toCore(part) : core.followUp(session, part))) {
                return false;
            }
            first = false;
        }
        return true;
    }

    private boolean message(IrcMessage m) {
        boolean notice = m.command().equals("NOTICE");
        String me = session.nick();
        if (!m.has(0)) {
            return notice ? pace() : local(new IrcLines().numeric("411", me, "No recipient given (PRIVMSG)"));
        }
        if (!m.has(1)) {
            return notice ? pace() : local(new IrcLines().numeric("412", me, "No text to send"));
        }
        String text = IrcText.fromIrc(m.param(1));
        if (text == null) {
            return pace(); // a CTCP request other than ACTION: not chat, not relayed
        }
        if (text.isEmpty()) {
            return notice ? pace() : local(new IrcLines().numeric("412", me, "No text to send"));
        }
        String[] targets = m.param(0).split(",");
        boolean first = true;
        for (int i = 0; i < targets.length && i < MAX_TARGETS; i++) {
            String target = targets[i];
            if (target.isEmpty()) {
                continue;
            }
            String ref = ref(m.command(), target, notice);
            ClientMessage request = target.startsWith("#") ? new ClientMessage.Say(target, text, notice, ref)
                    : new ClientMessage.Msg(target, text, notice, ref);
            if (!(first ? toCore(request) : core.followUp(session, request))) {
                return false;
            }
            first = false;
            String away = target.startsWith("#") || notice ? null : door.users().away(target);
            if (away != null) {
                reply(new IrcLines().numeric("301", me, target, away));
            }
        }
        return true;
    }

    private boolean names(IrcMessage m) {
        if (!m.has(0)) {
            return local(new IrcLines().numeric("366", session.nick(), "*", "End of /NAMES list."));
        }
        boolean first = true;
        for (String room : m.param(0).split(",")) {
            if (room.isEmpty()) {
                continue;
            }
            ClientMessage who = new ClientMessage.Who(room, ref("NAMES", room));
            if (!(first ? toCore(who) : core.followUp(session, who))) {
                return false;
            }
            first = false;
        }
        return true;
    }

    private boolean who(IrcMessage m) {
        String me = session.nick();
        String mask = m.has(0) ? m.param(0) : "*";
        if (mask.startsWith("#")) {
            return toCore(new ClientMessage.Who(mask, ref("WHO", mask)));
        }
        IrcLines lines = new IrcLines();
        Session other = ContentRules.isValidNick(mask) ? core.findNick(mask) : null;
        if (other != null && other.nick() != null) {
            String nick = other.nick();
            IrcUsers.User u = door.users().byNick(nick);
            lines.numeric("352", me, "*", u == null ? IrcLines.USER : u.username, IrcLines.HOST, IrcLines.SERVER, nick,
                    u != null && u.away != null ? "G" : "H", "0 " + (u == null ? nick : u.realname));
        }
        return local(lines.numeric("315", me, mask, "End of /WHO list."));
    }

    private boolean whois(IrcMessage m) {
        String me = session.nick();
        String target = m.params().size() >= 2 ? m.param(1) : m.param(0);
        if (target == null || target.isEmpty()) {
            return local(new IrcLines().numeric("431", me, "No nickname given"));
        }
        target = target.split(",")[0];
        Session other = ContentRules.isValidNick(target) ? core.findNick(target) : null;
        String elsewhere = other == null && ContentRules.isValidNick(target)
                ? core.onlineNicks(List.of(target)).get(ContentRules.fold(target)) : null;
        IrcLines lines = new IrcLines();
        if (elsewhere != null) {
            // on another node of the cluster: its name is all this node knows of it
            lines.numeric("311", me, elsewhere, IrcLines.USER, IrcLines.HOST, "*", elsewhere)
                    .numeric("312", me, elsewhere, IrcLines.SERVER, "loomchat chat server (another node)");
            target = elsewhere;
        } else if (other == null || other.nick() == null) {
            lines.numeric("401", me, target, "No such nick/channel");
        } else {
            String nick = other.nick();
            IrcUsers.User u = door.users().byNick(nick);
            lines.numeric("311", me, nick, u == null ? IrcLines.USER : u.username, IrcLines.HOST, "*",
                            u == null ? nick : u.realname)
                    .numeric("312", me, nick, IrcLines.SERVER, "loomchat chat server");
            if (u != null && u.away != null) {
                lines.numeric("301", me, nick, u.away);
            }
            target = nick;
        }
        return local(lines.numeric("318", me, target, "End of /WHOIS list."));
    }

    private boolean topic(IrcMessage m) {
        String me = session.nick();
        if (!m.has(0)) {
            return local(new IrcLines().numeric("461", me, "TOPIC", "Not enough parameters"));
        }
        String room = m.param(0);
        if (!ContentRules.isValidRoom(room) || !core.roomExists(room)) {
            return local(new IrcLines().numeric("403", me, room, "No such channel"));
        }
        if (!inRoom(room)) {
            return local(new IrcLines().numeric("442", me, room, "You're not on that channel"));
        }
        String text = m.params().size() < 2 ? null : IrcText.fromIrc(m.param(1));
        return toCore(new ClientMessage.Topic(room, text == null && m.params().size() >= 2 ? "" : text,
                ref("TOPIC", room)));
    }

    private boolean mode(IrcMessage m) {
        String me = session.nick();
        if (!m.has(0)) {
            return local(new IrcLines().numeric("461", me, "MODE", "Not enough parameters"));
        }
        String target = m.param(0);
        String modes = m.has(1) ? m.param(1) : "";
        IrcLines lines = new IrcLines();
        if (target.startsWith("#")) {
            if (!ContentRules.isValidRoom(target) || !core.roomExists(target)) {
                lines.numeric("403", me, target, "No such channel");
            } else if (modes.replace("+", "").equals("e")) {
                lines.numeric("349", me, target, "End of channel exception list");
            } else if (modes.replace("+", "").equals("I")) {
                lines.numeric("347", me, target, "End of channel invite list");
            } else if (modes.isEmpty()) {
                return toCore(new ClientMessage.Mode(target, null, ref("MODE", target)));
            } else {
                String verb = modes.replace("+", "").equals("b") && m.params().size() == 2 ? "BANS" : "MODE";
                String change = String.join(" ", m.params().subList(1, m.params().size()));
                return toCore(new ClientMessage.Mode(target, change, ref(verb, target)));
            }
        } else if (!ContentRules.fold(target).equals(ContentRules.fold(me))) {
            lines.numeric(core.findNick(target) == null ? "401" : "502", me, target,
                    core.findNick(target) == null ? "No such nick/channel" : "Can't change mode for other users");
        } else if (modes.isEmpty() || modes.chars().allMatch(c -> c == '+' || c == '-' || c == 'i')) {
            lines.numeric("221", me, "+" + IrcSettings.USER_MODES + (session.operator() ? "o" : ""));
        } else {
            lines.numeric("501", me, "Unknown MODE flag");
        }
        return local(lines);
    }

    private boolean away(IrcMessage m) {
        String me = session.nick();
        if (m.has(0)) {
            String message = m.param(0);
            user.away = message.length() > AWAY_LENGTH ? message.substring(0, AWAY_LENGTH) : message;
            return local(new IrcLines().numeric("306", me, "You have been marked as being away"));
        }
        user.away = null;
        return local(new IrcLines().numeric("305", me, "You are no longer marked as being away"));
    }

    private boolean ison(IrcMessage m) {
        String me = session.nick();
        if (!m.has(0)) {
            return local(new IrcLines().numeric("461", me, "ISON", "Not enough parameters"));
        }
        List<String> asked = new ArrayList<>();
        for (String param : m.params()) {
            for (String nick : param.split(" ")) {
                if (ContentRules.isValidNick(nick)) {
                    asked.add(nick);
                }
            }
        }
        Map<String, String> online = core.onlineNicks(asked);
        List<String> found = asked.stream().map(nick -> online.get(ContentRules.fold(nick)))
                .filter(Objects::nonNull).toList();
        return local(new IrcLines().numeric("303", me, String.join(" ", found)));
    }

    private boolean userhost(IrcMessage m) {
        String me = session.nick();
        if (!m.has(0)) {
            return local(new IrcLines().numeric("461", me, "USERHOST", "Not enough parameters"));
        }
        List<String> asked = m.params().subList(0, Math.min(5, m.params().size())).stream()
                .filter(ContentRules::isValidNick).toList();
        Map<String, String> online = core.onlineNicks(asked);
        List<String> replies = new ArrayList<>();
        for (String nick : asked) {
            String spelled = online.get(ContentRules.fold(nick));
            if (spelled != null) {
                String away = door.users().away(spelled); // null for a user of another node: not shared
                replies.add(spelled + "=" + (away == null ? "+" : "-") + IrcLines.USER + "@" + IrcLines.HOST);
            }
        }
        return local(new IrcLines().numeric("302", me, String.join(" ", replies)));
    }

    // ---------------------------------------------------------------- plumbing

    /** The nick numerics are addressed to: the client's, or {@code *} before registration. */
    private String nick() {
        String nick = session.nick();
        return nick == null ? "*" : nick;
    }

    private String ref(String verb, String arg) {
        return ref(verb, arg, false);
    }

    private String ref(String verb, String arg, boolean quiet) {
        return new IrcRef(verb, nick(), takesTags(), caps.contains("echo-message"), quiet, caps.contains("batch"),
                caps.contains("multi-prefix"), arg).encode();
    }

    /** Hands one request to the core (flood control included); returns whether to go on. */
    private boolean toCore(ClientMessage request) {
        return core.receive(session, new Decoded.Ok<>(request), System.nanoTime());
    }

    /** Charges a request the door answers itself to the flood budget; returns whether to go on. */
    private boolean pace() {
        return core.pace(session, System.nanoTime());
    }

    /** Answers a request the door handles itself, after flood control. */
    private boolean local(IrcLines lines) {
        return local(lines.frame());
    }

    private boolean local(IrcFrame frame) {
        return pace() && reply(frame);
    }

    private boolean reply(IrcLines lines) {
        return reply(lines.frame());
    }

    /** Queues the door's own lines after the core's replies so far; a full queue ends the connection. */
    private boolean reply(IrcFrame frame) {
        if (peer.outbox().offer(frame) == Outbox.Offer.OVERFLOW) {
            peer.close();
            return false;
        }
        return true;
    }

    /** As the JSON door: a bounded time for the writer to flush, then the connection is closed. */
    private void awaitWriter(Duration grace) throws InterruptedException {
        if (!peer.outbox().awaitTerminated(grace)) {
            peer.close();
            peer.outbox().awaitTerminated();
        }
    }
}
