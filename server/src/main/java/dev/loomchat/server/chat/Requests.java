package dev.loomchat.server.chat;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ErrorText;
import dev.loomchat.protocol.Protocol;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.protocol.ServerMessage.Parted;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.bus.BusUnavailableException;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.RoomEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out each client request as PROTOCOL.md specifies it, and replies to the requester.
 * Requests that touch rooms go through the {@link RoomDirectory}, nicks through the
 * {@link NickRegistry}; a bus that cannot reach its store makes the request fail with
 * {@code unavailable}.
 *
 * <p>Threading: each request is carried out on the requesting connection's reader thread and
 * only queues frames; nothing here waits on another client.
 */
final class Requests {

    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);

    private final ChatConfig config;
    private final ServerCounters counters;
    private final RoomBus bus;
    private final NickRegistry nicks;
    private final RoomDirectory rooms;
    private final Supplier<Map<String, Long>> stats;
    private final String version;
    private final byte[] password;
    private final AccountRequests accounts;
    private final RoomModeration moderation;
    private final OperatorRequests operators;
    private final HistoryRequests history;

    Requests(ChatConfig config, ServerCounters counters, RoomBus bus, NickRegistry nicks, RoomDirectory rooms,
             Supplier<Map<String, Long>> stats, String version, AccountRequests accounts, OperatorRequests operators) {
        this.accounts = accounts;
        this.operators = operators;
        this.config = config;
        this.counters = counters;
        this.bus = bus;
        this.nicks = nicks;
        this.rooms = rooms;
        this.stats = stats;
        this.version = version;
        this.password = config.password() == null ? null : config.password().getBytes(StandardCharsets.UTF_8);
        this.moderation = new RoomModeration(bus, rooms, nicks);
        this.history = new HistoryRequests(config, bus);
    }

    /** Carries out one request; returns false when the session ends ({@code quit}). */
    boolean handle(Session session, ClientMessage message) {
        if (!session.welcomed() && !(message instanceof ClientMessage.Hello
                || message instanceof ClientMessage.Ping || message instanceof ClientMessage.Quit
                || message instanceof ClientMessage.Register)) {
            session.send(new ServerMessage.Error(ErrorCode.NOT_WELCOMED,
                    "say hello first: {\"type\":\"hello\",\"nick\":...}", message.ref()));
            return true;
        }
        try {
            switch (message) {
                case ClientMessage.Hello hello -> hello(session, hello);
                case ClientMessage.Join join -> join(session, join);
                case ClientMessage.Part part -> part(session, part);
                case ClientMessage.Say say -> say(session, say);
                case ClientMessage.Msg msg -> msg(session, msg);
                case ClientMessage.Nick nick -> nick(session, nick);
                case ClientMessage.Who who -> who(session, who);
                case ClientMessage.Rooms list -> rooms(session, list);
                case ClientMessage.History page -> history.handle(session, page);
                case ClientMessage.Stats request -> session.send(new ServerMessage.Stats(stats.get(), request.ref()));
                case ClientMessage.Ping ping -> session.send(new ServerMessage.Pong(ping.ref()));
                case ClientMessage.Pong pong -> { }
                case ClientMessage.Register register -> accounts.register(session, register);
                case ClientMessage.Password change -> accounts.password(session, change);
                case ClientMessage.Unregister unregister -> accounts.unregister(session, unregister);
                case ClientMessage.Kill kill -> operators.kill(session, kill);
                case ClientMessage.Ban ban -> operators.ban(session, ban);
                case ClientMessage.Unban unban -> operators.unban(session, unban);
                case ClientMessage.Bans list -> operators.list(session, list);
                case ClientMessage.ResetPassword reset -> operators.resetPassword(session, reset);
                case ClientMessage.Quit quit -> {
                    session.send(new ServerMessage.Bye(quit.ref()));
                    session.finish(Parted.REASON_QUIT, validMessage(quit.message()));
                    return false;
                }
                case ClientMessage.Topic topic -> inRoom(session, topic.room(), topic.ref(),
                        room -> moderation.topic(session, room, topic));
                case ClientMessage.Mode mode -> inRoom(session, mode.room(), mode.ref(),
                        room -> moderation.mode(session, room, mode));
                case ClientMessage.Kick kick -> {
                    Room any = operators.anyRoom(session, kick.room(), rooms); // a server operator: any room here
                    if (any != null) {
                        moderation.kick(session, any, kick);
                    } else {
                        inRoom(session, kick.room(), kick.ref(), room -> moderation.kick(session, room, kick));
                    }
                }
                case ClientMessage.Invite invite -> inRoom(session, invite.room(), invite.ref(),
                        room -> moderation.invite(session, room, invite));
            }
        } catch (BusUnavailableException e) {
            error(session, ErrorCode.UNAVAILABLE, "the store is unavailable, try again: " + e.getMessage(),
                    message.ref());
        } catch (RuntimeException e) {
            LOG.error("bug while handling a {} request from {}", message.type(), session, e);
            session.send(new ServerMessage.Error(ErrorCode.INTERNAL_ERROR, "internal error; request not processed",
                    message.ref()));
        }
        return true;
    }

    private void hello(Session session, ClientMessage.Hello hello) {
        String ref = hello.ref();
        if (session.welcomed()) {
            error(session, ErrorCode.ALREADY_WELCOMED, "this connection already said hello as " + session.nick(), ref);
        } else if (hello.proto() != null && hello.proto() != Protocol.VERSION) {
            error(session, ErrorCode.UNSUPPORTED_PROTO,
                    "this server speaks protocol " + Protocol.VERSION + ", not " + hello.proto(), ref);
        } else if (password != null && (hello.password() == null
                || !MessageDigest.isEqual(password, hello.password().getBytes(StandardCharsets.UTF_8)))) {
            error(session, ErrorCode.BAD_PASSWORD, "wrong or missing server password", ref);
        } else if (!ContentRules.isValidNick(hello.nick())) {
            error(session, ErrorCode.BAD_NICK, nickRules(hello.nick()), ref);
        } else {
            welcome(session, hello);
        }
    }

    /** The rest of a hello whose server password and nick are right: the account, then the nick. */
    private void welcome(Session session, ClientMessage.Hello hello) {
        String ref = hello.ref();
        String account = accounts.helloAccount(session, hello); // may hash a password: no lock held
        if (account != null && operators.admit(session, account.isEmpty() ? null : account, ref)
                && claimNick(session, hello.nick(), ref)) {
            session.account(account.isEmpty() ? null : account);
            session.nick(hello.nick());
            counters.welcomed.incrementAndGet();
            LOG.info("connect {} nick={}{}", session.address(), hello.nick(),
                    account.isEmpty() ? "" : " account=" + account);
            session.send(new ServerMessage.Welcome(hello.nick(), ChatCore.SERVER_NAME, version, Protocol.VERSION,
                    config.limits(), session.operator(), ref));
        }
    }

    /** Claims {@code nick}; if it is taken, replies with the error and returns false. */
    private boolean claimNick(Session session, String nick, String ref) {
        if (nicks.claim(session, nick) == NickRegistry.Claim.CLAIMED) {
            return true;
        }
        error(session, ErrorCode.NICK_IN_USE, "nick " + nick + " is in use", ref);
        return false;
    }

    private void nick(Session session, ClientMessage.Nick request) {
        String ref = request.ref();
        String old = session.nick();
        String wanted = request.nick();
        if (!ContentRules.isValidNick(wanted)) {
            error(session, ErrorCode.BAD_NICK, nickRules(wanted), ref);
            return;
        }
        if (wanted.equals(old)) {
            // Already so named: nothing changes and nobody else hears of it; the reply confirms.
            session.send(new ServerMessage.Nick(old, wanted, System.currentTimeMillis(), ref));
            return;
        }
        boolean sameNick = ContentRules.fold(wanted).equals(ContentRules.fold(old));
        if (!sameNick && (!accounts.owns(session, wanted, ref) || !claimNick(session, wanted, ref))) {
            return;
        }
        session.nick(wanted);
        if (!sameNick) {
            nicks.release(session, old);
        }
        long ts = System.currentTimeMillis();
        for (Room room : List.copyOf(session.rooms().values())) {
            try {
                rooms.publish(room, new RoomEvent.Renamed(0, room.name(), bus.nodeId(), old, wanted, ts));
            } catch (BusUnavailableException e) {
                LOG.warn("nick change {} -> {} not announced in {}: {}", old, wanted, room.name(), e.getMessage());
            }
        }
        session.send(new ServerMessage.Nick(old, wanted, ts, ref));
    }

    private void join(Session session, ClientMessage.Join join) {
        String ref = join.ref();
        if (!ContentRules.isValidRoom(join.room())) {
            error(session, ErrorCode.BAD_ROOM, roomRules(join.room()), ref);
        } else if (session.rooms().containsKey(ContentRules.fold(join.room()))) {
            error(session, ErrorCode.ALREADY_IN_ROOM, "already in " + join.room(), ref);
        } else if (session.rooms().size() >= config.maxRooms()) {
            error(session, ErrorCode.TOO_MANY_ROOMS, "at most " + config.maxRooms() + " rooms per client", ref);
        } else {
            ErrorCode refused = rooms.join(session, join.room(), join.key(), ref);
            if (refused != null) {
                error(session, refused, RoomModeration.refusal(refused, join.room()), ref);
            }
        }
    }

    private void part(Session session, ClientMessage.Part part) {
        Room room = memberRoom(session, part.room(), part.ref());
        if (room != null) {
            rooms.leave(session, room, Parted.REASON_PART, validMessage(part.message()), part.ref());
        }
    }

    private void say(Session session, ClientMessage.Say say) {
        if (!validText(session, say.text(), say.ref())) {
            return;
        }
        Room room = session.rooms().get(ContentRules.fold(say.room()));
        boolean outsider = room == null;
        if (outsider) {
            room = rooms.find(say.room()); // a room that is -n takes messages from outside
            if (room == null) {
                memberRoom(session, say.room(), say.ref());
                return;
            }
        }
        if (!moderation.maySpeak(session, room, outsider, say.ref())) {
            return;
        }
        counters.messagesIn.increment();
        if (!rooms.publishLine(session, room, new RoomEvent.Said(0, 0, room.name(), bus.nodeId(), session.nick(),
                say.text(), System.currentTimeMillis(), say.ref(), say.notice()), !outsider)) {
            error(session, ErrorCode.NOT_IN_ROOM, "not in " + room.name(), say.ref()); // kicked meanwhile
        }
    }

    private void msg(Session session, ClientMessage.Msg msg) {
        if (!validText(session, msg.text(), msg.ref())) {
            return;
        }
        String toKey = ContentRules.fold(msg.to());
        Session target = nicks.find(toKey);
        String targetNick = target == null ? null : target.nick();
        ChatMessage message;
        if (targetNick != null) {
            message = ChatMessage.toNick(bus.nextMessageId(), System.currentTimeMillis(), session.nick(), targetNick,
                    msg.text()).asNotice(msg.notice());
            if (target != session) {
                target.send(message);
            }
        } else {
            message = bus.sendDirect(toKey, session.nick(), msg.text(), System.currentTimeMillis());
        }
        if (message == null) {
            error(session, ErrorCode.NO_SUCH_NICK, "no client is called " + msg.to(), msg.ref());
            return;
        }
        counters.messagesIn.increment();
        session.send(message.withRef(msg.ref()));
    }

    private void who(Session session, ClientMessage.Who who) {
        Room room = memberRoom(session, who.room(), who.ref());
        if (room == null) {
            return;
        }
        List<String> members;
        List<String> ops = new ArrayList<>();
        List<String> voiced = new ArrayList<>();
        room.lock().lock();
        try {
            members = room.roster();
            for (String nick : members) {
                if (room.modes().isOp(nick)) {
                    ops.add(nick);
                }
                if (room.modes().isVoiced(nick)) {
                    voiced.add(nick);
                }
            }
        } finally {
            room.lock().unlock();
        }
        session.send(new ServerMessage.Who(room.name(), members, ops, voiced, who.ref()));
    }

    private void rooms(Session session, ClientMessage.Rooms request) {
        List<RoomInfo> list = bus.rooms(ChatCore.MAX_ROOMS_LISTED).orElseGet(() -> rooms.list(ChatCore.MAX_ROOMS_LISTED));
        list = list.stream().filter(info -> session.rooms().containsKey(ContentRules.fold(info.room()))
                || !moderation.secret(rooms.find(info.room()))).toList(); // +s rooms: members only
        session.send(new ServerMessage.Rooms(list, request.ref()));
    }

    // ---------------------------------------------------------------- replies

    /** The room {@code name} if the session is in it; otherwise replies with the error and returns null. */
    static Room memberRoom(Session session, String name, String ref) {
        Room room = session.rooms().get(ContentRules.fold(name));
        if (room == null) {
            if (ContentRules.isValidRoom(name)) {
                error(session, ErrorCode.NOT_IN_ROOM, "not in " + name, ref);
            } else {
                error(session, ErrorCode.BAD_ROOM, roomRules(name), ref);
            }
        }
        return room;
    }

    /** Runs {@code action} on the room {@code name} if the session is in it; else replies with the error. */
    private static void inRoom(Session session, String name, String ref, Consumer<Room> action) {
        Room room = memberRoom(session, name, ref);
        if (room != null) {
            action.accept(room);
        }
    }

    /** A part or quit message if it is valid text, else none (it is only a courtesy to the others). */
    private static String validMessage(String message) {
        return message != null && ContentRules.isValidText(message) ? message : null;
    }

    private static boolean validText(Session session, String text, String ref) {
        if (ContentRules.isValidText(text)) {
            return true;
        }
        error(session, ErrorCode.BAD_TEXT, "text must be 1 to " + ContentRules.MAX_TEXT_CODE_POINTS
                + " characters without control characters (tab allowed)", ref);
        return false;
    }

    private static void error(Session session, ErrorCode code, String message, String ref) {
        session.send(new ServerMessage.Error(code, message, ref));
    }

    private static String nickRules(String nick) {
        return "invalid nick \"" + clip(nick) + "\": 1 to " + ContentRules.MAX_NICK_LENGTH
                + " of A-Z a-z 0-9 _-[]\\^{}|`, not starting with a digit or '-'";
    }

    private static String roomRules(String room) {
        return "invalid room \"" + clip(room) + "\": '#' then 1 to " + (ContentRules.MAX_ROOM_LENGTH - 1)
                + " of A-Z a-z 0-9 _-.";
    }

    /** A client's name quoted in an error: at most 40 code points (never half a surrogate pair), control characters escaped. */
    private static String clip(String value) {
        return ErrorText.clip(value, 40);
    }
}
