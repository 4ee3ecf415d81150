package dev.loomchat.server;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.Protocol;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat itself: sessions, nicks, rooms, message ids, and every request's effect, as
 * PROTOCOL.md specifies it.
 *
 * <p>Threading: each request method is called on the requesting connection's reader thread and
 * replies by queueing frames ({@link Session#send}); nothing here waits on another client.
 * Shared state is concurrent: nicks and rooms are concurrent maps, each room is guarded by its
 * own lock (see {@link Room}).
 */
final class ChatHub {

    /** Most rooms one {@code rooms} reply lists (PROTOCOL.md). */
    static final int MAX_ROOMS_LISTED = 1000;
    static final String SERVER_NAME = "loomchat";

    private static final Logger LOG = LoggerFactory.getLogger(ChatHub.class);
    private static final Frame PING = Frame.of(new ServerMessage.Ping());

    private final ChatConfig config;
    private final ServerCounters counters;
    private final ScheduledExecutorService timers;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, Session> nicks = new ConcurrentHashMap<>();
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicLong lastMessageId = new AtomicLong();
    private final byte[] password;
    private final ReentrantLock sessionsLock = new ReentrantLock();
    private final Condition sessionClosed = sessionsLock.newCondition();
    /** Set once under sessionsLock; read without it where a stale value is harmless. */
    private volatile boolean shuttingDown;

    ChatHub(ChatConfig config, ServerCounters counters, ScheduledExecutorService timers) {
        this.config = config;
        this.counters = counters;
        this.timers = timers;
        this.password = config.password() == null ? null : config.password().getBytes(StandardCharsets.UTF_8);
    }

    ChatConfig config() {
        return config;
    }

    ServerCounters counters() {
        return counters;
    }

    // ---------------------------------------------------------------- connections

    /**
     * A new session for an accepted connection, or {@code null} when the server is full or
     * {@linkplain #beginShutdown shutting down} (see {@link #shuttingDown()} for which).
     */
    Session open(SocketChannel channel, SocketAddress address) {
        counters.accepted.increment();
        // Under the lock that beginShutdown takes: a session is either in its snapshot (and told
        // to go) or never opened. One opened after the snapshot would be left waiting for its
        // client, and close() would wait for its handler forever.
        sessionsLock.lock();
        try {
            if (shuttingDown) {
                return null;
            }
            if (counters.connections.incrementAndGet() > config.maxConnections()) {
                counters.connections.decrementAndGet();
                counters.refusedFull.increment();
                LOG.warn("refused {}: server full ({} connections)", address, config.maxConnections());
                return null;
            }
            Session session = new Session(channel, address, config, counters, timers);
            sessions.add(session);
            LOG.info("connect {}", address);
            return session;
        } finally {
            sessionsLock.unlock();
        }
    }

    /**
     * Stops opening sessions and returns those open now: the ones a graceful shutdown notifies.
     * From then on nobody is told that others leave (PROTOCOL.md: no {@code parted} for a shutdown).
     */
    List<Session> beginShutdown() {
        sessionsLock.lock();
        try {
            shuttingDown = true;
            return List.copyOf(sessions);
        } finally {
            sessionsLock.unlock();
        }
    }

    /** Whether {@link #beginShutdown} was called. */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /** Ends a session: it leaves its rooms (others see {@code parted}) and its nick is free. */
    void close(Session session) {
        String reason = session.endReason();
        leaveAll(session, reason);
        String nick = session.nick();
        if (nick != null && nicks.remove(ContentRules.fold(nick), session)) {
            counters.welcomed.decrementAndGet();
        }
        if (sessions.remove(session)) {
            counters.connections.decrementAndGet();
        }
        sessionsLock.lock();
        try {
            sessionClosed.signalAll();
        } finally {
            sessionsLock.unlock();
        }
        LOG.info("disconnect {} nick={} reason={}", session.address(), nick == null ? "-" : nick, reason);
    }

    Set<Session> sessions() {
        return sessions;
    }

    /** Waits until every session has closed or {@code timeout} passed; returns whether all closed. */
    boolean awaitNoSessions(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        sessionsLock.lock();
        try {
            while (!sessions.isEmpty()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = sessionClosed.awaitNanos(nanos);
            }
            return true;
        } finally {
            sessionsLock.unlock();
        }
    }

    /** The counters, as a {@code stats} request returns them. */
    Map<String, Long> stats() {
        return counters.snapshot(rooms.size());
    }

    /** Sends {@code ping} to clients silent for the idle timeout; drops those silent since a ping. */
    void keepalive(long nowNanos) {
        long idle = config.idleTimeout().toNanos();
        long grace = config.pingTimeout().toNanos();
        for (Session session : sessions) {
            if (session.endReason() != null) {
                continue;
            }
            long pingSent = session.pingSentNanos();
            if (pingSent == 0 && nowNanos - session.lastHeardNanos() >= idle) {
                session.pingSent(nowNanos);
                session.send(PING);
            } else if (pingSent != 0 && nowNanos - pingSent >= grace
                    && session.drop(ServerMessage.Parted.REASON_IDLE_TIMEOUT, ErrorCode.IDLE_TIMEOUT,
                    "no frame for " + (config.idleTimeout().plus(config.pingTimeout()).toMillis()) + " ms")) {
                counters.idleTimeouts.increment();
            }
        }
    }

    // ---------------------------------------------------------------- requests

    void hello(Session session, ClientMessage.Hello hello) {
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
        } else if (nicks.putIfAbsent(ContentRules.fold(hello.nick()), session) != null) {
            error(session, ErrorCode.NICK_IN_USE, "nick " + hello.nick() + " is in use", ref);
        } else {
            session.nick(hello.nick());
            counters.welcomed.incrementAndGet();
            session.send(new ServerMessage.Welcome(hello.nick(), SERVER_NAME, Version.current(), Protocol.VERSION,
                    config.limits(), ref));
        }
    }

    void join(Session session, ClientMessage.Join join) {
        String ref = join.ref();
        if (!ContentRules.isValidRoom(join.room())) {
            error(session, ErrorCode.BAD_ROOM, roomRules(join.room()), ref);
            return;
        }
        String key = ContentRules.fold(join.room());
        if (session.rooms().containsKey(key)) {
            error(session, ErrorCode.ALREADY_IN_ROOM, "already in " + join.room(), ref);
            return;
        }
        if (session.rooms().size() >= config.maxRooms()) {
            error(session, ErrorCode.TOO_MANY_ROOMS, "at most " + config.maxRooms() + " rooms per client", ref);
            return;
        }
        while (true) {
            Room room = rooms.computeIfAbsent(key, k -> new Room(join.room(), config.historyLength()));
            room.lock().lock();
            try {
                if (room.discarded()) {
                    continue; // emptied and removed while we looked it up: make a fresh one
                }
                room.members().add(session);
                session.rooms().put(key, room);
                long ts = System.currentTimeMillis();
                session.send(new ServerMessage.Joined(room.name(), session.nick(), ts, ref));
                replay(session, room, config.historyLength(), ref);
                room.broadcast(Frame.of(new ServerMessage.Joined(room.name(), session.nick(), ts, null)), session);
                return;
            } finally {
                room.lock().unlock();
            }
        }
    }

    void part(Session session, ClientMessage.Part part) {
        Room room = memberRoom(session, part.room(), part.ref());
        if (room != null) {
            leave(session, room, ServerMessage.Parted.REASON_PART, part.ref());
        }
    }

    void say(Session session, ClientMessage.Say say) {
        if (!validText(session, say.text(), say.ref())) {
            return;
        }
        Room room = memberRoom(session, say.room(), say.ref());
        if (room == null) {
            return;
        }
        counters.messagesIn.increment();
        room.lock().lock();
        try {
            ChatMessage message = ChatMessage.toRoom(lastMessageId.incrementAndGet(), System.currentTimeMillis(),
                    session.nick(), room.name(), say.text());
            room.remember(message);
            Frame frame = Frame.of(message);
            for (Session member : room.members()) {
                member.send(member == session && say.ref() != null ? Frame.of(message.withRef(say.ref())) : frame);
            }
        } finally {
            room.lock().unlock();
        }
    }

    void msg(Session session, ClientMessage.Msg msg) {
        if (!validText(session, msg.text(), msg.ref())) {
            return;
        }
        Session target = nicks.get(ContentRules.fold(msg.to()));
        String targetNick = target == null ? null : target.nick();
        if (targetNick == null) {
            error(session, ErrorCode.NO_SUCH_NICK, "no client is called " + msg.to(), msg.ref());
            return;
        }
        counters.messagesIn.increment();
        ChatMessage message = ChatMessage.toNick(lastMessageId.incrementAndGet(), System.currentTimeMillis(),
                session.nick(), targetNick, msg.text());
        if (target != session) {
            target.send(message);
        }
        session.send(message.withRef(msg.ref()));
    }

    void nick(Session session, ClientMessage.Nick request) {
        String ref = request.ref();
        String old = session.nick();
        String wanted = request.nick();
        if (!ContentRules.isValidNick(wanted)) {
            error(session, ErrorCode.BAD_NICK, nickRules(wanted), ref);
            return;
        }
        String oldKey = ContentRules.fold(old);
        String newKey = ContentRules.fold(wanted);
        if (!newKey.equals(oldKey) && nicks.putIfAbsent(newKey, session) != null) {
            error(session, ErrorCode.NICK_IN_USE, "nick " + wanted + " is in use", ref);
            return;
        }
        session.nick(wanted);
        if (!newKey.equals(oldKey)) {
            nicks.remove(oldKey, session);
        }
        long ts = System.currentTimeMillis();
        Set<Session> peers = new HashSet<>();
        for (Room room : session.rooms().values()) {
            room.lock().lock();
            try {
                peers.addAll(room.members());
            } finally {
                room.lock().unlock();
            }
        }
        peers.remove(session);
        Frame event = Frame.of(new ServerMessage.Nick(old, wanted, ts, null));
        peers.forEach(peer -> peer.send(event));
        session.send(new ServerMessage.Nick(old, wanted, ts, ref));
    }

    void who(Session session, ClientMessage.Who who) {
        Room room = memberRoom(session, who.room(), who.ref());
        if (room == null) {
            return;
        }
        List<String> members = new ArrayList<>();
        room.lock().lock();
        try {
            room.members().forEach(member -> members.add(member.nick()));
        } finally {
            room.lock().unlock();
        }
        session.send(new ServerMessage.Who(room.name(), members, who.ref()));
    }

    void rooms(Session session, ClientMessage.Rooms request) {
        List<RoomInfo> list = new ArrayList<>();
        for (Room room : rooms.values()) {
            room.lock().lock();
            try {
                if (!room.discarded() && room.memberCount() > 0) {
                    list.add(new RoomInfo(room.name(), room.memberCount()));
                }
            } finally {
                room.lock().unlock();
            }
        }
        list.sort(Comparator.comparingInt(RoomInfo::members).reversed().thenComparing(RoomInfo::room));
        session.send(new ServerMessage.Rooms(list.subList(0, Math.min(list.size(), MAX_ROOMS_LISTED)), request.ref()));
    }

    void history(Session session, ClientMessage.History request) {
        if (request.limit() != null && request.limit() < 1) {
            error(session, ErrorCode.BAD_REQUEST, "field \"limit\" must be at least 1", request.ref());
            return;
        }
        Room room = memberRoom(session, request.room(), request.ref());
        if (room == null) {
            return;
        }
        int limit = request.limit() == null ? config.historyLength() : Math.min(request.limit(), config.historyLength());
        room.lock().lock();
        try {
            replay(session, room, limit, request.ref());
        } finally {
            room.lock().unlock();
        }
    }

    void stats(Session session, ClientMessage.Stats request) {
        session.send(new ServerMessage.Stats(stats(), request.ref()));
    }

    // ---------------------------------------------------------------- helpers

    /** The replayed messages, then the {@code history} trailer, queued as one burst; room lock held. */
    private static void replay(Session session, Room room, int limit, String ref) {
        List<ChatMessage> recent = room.recent(limit);
        List<Frame> frames = new ArrayList<>(recent.size() + 1);
        for (ChatMessage message : recent) {
            frames.add(Frame.of(message.asReplay(ref)));
        }
        frames.add(Frame.of(new ServerMessage.History(room.name(), recent.size(), ref)));
        session.sendBurst(frames);
    }

    /** The room {@code name} if the session is in it; otherwise replies with the error and returns null. */
    private Room memberRoom(Session session, String name, String ref) {
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

    private void leave(Session session, Room room, String reason, String ref) {
        String key = ContentRules.fold(room.name());
        room.lock().lock();
        try {
            room.members().remove(session);
            session.rooms().remove(key);
            long ts = System.currentTimeMillis();
            if (room.members().isEmpty()) {
                room.discard();
                rooms.remove(key, room);
            } else if (!shuttingDown) {
                room.broadcast(Frame.of(new ServerMessage.Parted(room.name(), session.nick(), reason, ts, null)), null);
            }
            if (ref != null || reason.equals(ServerMessage.Parted.REASON_PART)) {
                session.send(new ServerMessage.Parted(room.name(), session.nick(), reason, ts, ref));
            }
        } finally {
            room.lock().unlock();
        }
    }

    private void leaveAll(Session session, String reason) {
        String why = reason == null ? ServerMessage.Parted.REASON_DISCONNECT : reason;
        for (Room room : List.copyOf(session.rooms().values())) {
            leave(session, room, why, null);
        }
    }

    private boolean validText(Session session, String text, String ref) {
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

    private static String clip(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
