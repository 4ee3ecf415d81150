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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
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
 *
 * <p>Room events (say, join, part, nick change) go through the {@link RoomBus}, which gives
 * each room its one order and hands the events back to {@code Deliveries}: on the publishing
 * thread for the in-memory bus, on the bus's reader thread in cluster mode. Nicks are claimed
 * both here (this node's sessions) and on the bus (other nodes). A bus that cannot reach its
 * store makes the request fail with {@code unavailable}.
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
    private final RoomBus bus;
    private final HistoryBudget historyBudget;
    private final byte[] password;
    private final ReentrantLock sessionsLock = new ReentrantLock();
    private final Condition sessionClosed = sessionsLock.newCondition();
    /** Set once under sessionsLock; read without it where a stale value is harmless. */
    private volatile boolean shuttingDown;

    /** A hub on {@code bus}, which it starts (it receives the bus's deliveries from now on). */
    ChatHub(ChatConfig config, ServerCounters counters, ScheduledExecutorService timers, RoomBus bus) {
        this.config = config;
        this.bus = bus;
        this.counters = counters;
        this.timers = timers;
        this.historyBudget = new HistoryBudget(config.historyBytes());
        this.password = config.password() == null ? null : config.password().getBytes(StandardCharsets.UTF_8);
        bus.start(new Deliveries());
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
            releaseNick(ContentRules.fold(nick));
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
        return counters.snapshot(rooms.size(), historyBudget.bytes());
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
        } else if (!claimNick(session, hello.nick(), ref)) {
            return;
        } else {
            session.nick(hello.nick());
            counters.welcomed.incrementAndGet();
            session.send(new ServerMessage.Welcome(hello.nick(), SERVER_NAME, Version.current(), Protocol.VERSION,
                    config.limits(), ref));
        }
    }

    /** Claims {@code nick} here and on the bus; on failure replies with the error and returns false. */
    private boolean claimNick(Session session, String nick, String ref) {
        String key = ContentRules.fold(nick);
        if (nicks.putIfAbsent(key, session) != null) {
            error(session, ErrorCode.NICK_IN_USE, "nick " + nick + " is in use", ref);
            return false;
        }
        try {
            if (bus.claimNick(key, nick)) {
                return true;
            }
            error(session, ErrorCode.NICK_IN_USE, "nick " + nick + " is in use", ref);
        } catch (BusUnavailableException e) {
            unavailable(session, e, ref);
        }
        nicks.remove(key, session);
        return false;
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
            Room room = rooms.computeIfAbsent(key, k -> new Room(join.room(), config.historyLength(), historyBudget));
            room.lock().lock();
            try {
                if (room.discarded()) {
                    continue; // emptied and removed while we looked it up: make a fresh one
                }
                long ts = System.currentTimeMillis();
                try {
                    if (room.members().isEmpty()) {
                        load(room, bus.follow(key, room.name(), config.historyLength()));
                    }
                    // Others learn of the join through the bus (the joiner itself is skipped there).
                    bus.publish(key, new RoomEvent(RoomEvent.Kind.JOIN, 0, 0, room.name(), bus.nodeId(),
                            session.nick(), null, ts, null));
                } catch (BusUnavailableException e) {
                    if (room.members().isEmpty()) {
                        discard(key, room);
                    }
                    unavailable(session, e, ref);
                    return;
                }
                room.members().add(session);
                room.roster().put(ContentRules.fold(session.nick()), session.nick());
                session.rooms().put(key, room);
                session.send(new ServerMessage.Joined(room.name(), session.nick(), ts, ref));
                replay(session, room, config.historyLength(), config.replayBytes(), ref);
                return;
            } finally {
                room.lock().unlock();
            }
        }
    }

    /** Fills a room this node starts following from the bus's snapshot; room lock held. */
    private static void load(Room room, RoomBus.Snapshot snapshot) {
        room.position(snapshot.position());
        for (RoomEvent line : snapshot.history()) {
            room.remember(ChatMessage.toRoom(line.id(), line.ts(), line.nick(), room.name(), line.detail()));
        }
        for (String nick : snapshot.members()) {
            room.roster().put(ContentRules.fold(nick), nick);
        }
    }

    /** Forgets a room with no local member left; room lock held. */
    private void discard(String key, Room room) {
        room.discard();
        rooms.remove(key, room);
        try {
            bus.unfollow(key);
        } catch (BusUnavailableException e) {
            LOG.debug("unfollow {}: {}", key, e.getMessage());
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
        RoomEvent event = new RoomEvent(RoomEvent.Kind.SAY, 0, 0, room.name(), bus.nodeId(), session.nick(),
                say.text(), System.currentTimeMillis(), say.ref());
        try {
            publish(room, ContentRules.fold(room.name()), event);
        } catch (BusUnavailableException e) {
            unavailable(session, e, say.ref());
        }
    }

    /**
     * Publishes a room event. A local bus delivers on this thread: the room lock makes id
     * assignment and fan-out one step. A shared bus orders the room itself (and delivers on its
     * reader thread, which takes the lock), so no lock is held across its network round trip.
     */
    private void publish(Room room, String key, RoomEvent event) {
        if (bus.shared()) {
            bus.publish(key, event);
            return;
        }
        room.lock().lock();
        try {
            bus.publish(key, event);
        } finally {
            room.lock().unlock();
        }
    }

    void msg(Session session, ClientMessage.Msg msg) {
        if (!validText(session, msg.text(), msg.ref())) {
            return;
        }
        String toKey = ContentRules.fold(msg.to());
        Session target = nicks.get(toKey);
        String targetNick = target == null ? null : target.nick();
        try {
            ChatMessage message;
            if (targetNick != null) {
                message = ChatMessage.toNick(bus.nextMessageId(), System.currentTimeMillis(), session.nick(),
                        targetNick, msg.text());
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
        } catch (BusUnavailableException e) {
            unavailable(session, e, msg.ref());
        }
    }

    void nick(Session session, ClientMessage.Nick request) {
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
        String oldKey = ContentRules.fold(old);
        String newKey = ContentRules.fold(wanted);
        if (!newKey.equals(oldKey) && !claimNick(session, wanted, ref)) {
            return;
        }
        session.nick(wanted);
        if (!newKey.equals(oldKey)) {
            nicks.remove(oldKey, session);
            releaseNick(oldKey);
        }
        long ts = System.currentTimeMillis();
        for (Map.Entry<String, Room> joined : session.rooms().entrySet()) {
            Room room = joined.getValue();
            try {
                publish(room, joined.getKey(), new RoomEvent(RoomEvent.Kind.NICK, 0, 0, room.name(), bus.nodeId(),
                        old, wanted, ts, null));
            } catch (BusUnavailableException e) {
                LOG.warn("nick change {} -> {} not announced in {}: {}", old, wanted, room.name(), e.getMessage());
            }
        }
        session.send(new ServerMessage.Nick(old, wanted, ts, ref));
    }

    private void releaseNick(String key) {
        try {
            bus.releaseNick(key);
        } catch (BusUnavailableException e) {
            LOG.debug("release nick {}: {}", key, e.getMessage()); // it expires by itself
        }
    }

    void who(Session session, ClientMessage.Who who) {
        Room room = memberRoom(session, who.room(), who.ref());
        if (room == null) {
            return;
        }
        List<String> members;
        room.lock().lock();
        try {
            members = new ArrayList<>(room.roster().values());
        } finally {
            room.lock().unlock();
        }
        session.send(new ServerMessage.Who(room.name(), members, who.ref()));
    }

    void rooms(Session session, ClientMessage.Rooms request) {
        List<RoomInfo> list;
        try {
            list = bus.rooms(MAX_ROOMS_LISTED).orElseGet(this::localRooms);
        } catch (BusUnavailableException e) {
            unavailable(session, e, request.ref());
            return;
        }
        session.send(new ServerMessage.Rooms(list, request.ref()));
    }

    private List<RoomInfo> localRooms() {
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
        list.sort(RoomBus.ROOM_ORDER);
        return list.subList(0, Math.min(list.size(), MAX_ROOMS_LISTED));
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
            replay(session, room, limit, config.replayBytes(), request.ref());
        } finally {
            room.lock().unlock();
        }
    }

    // ---------------------------------------------------------------- bus deliveries

    /** The bus delivers room events and private messages here (any thread, no hub lock held). */
    private final class Deliveries implements RoomBus.Listener {
        @Override
        public void deliver(String roomKey, RoomEvent event) {
            Room room = rooms.get(roomKey);
            if (room == null) {
                return;
            }
            room.lock().lock();
            try {
                if (room.discarded()) {
                    return;
                }
                if (event.position() != 0) {
                    if (event.position() <= room.position()) {
                        return; // already in this node's snapshot of the room
                    }
                    room.position(event.position());
                }
                apply(room, event);
            } finally {
                room.lock().unlock();
            }
        }

        @Override
        public void deliverDirect(String toKey, ChatMessage message) {
            Session target = nicks.get(toKey);
            if (target != null) {
                target.send(message);
            }
        }
    }

    /** Applies one room event to this node's view of the room and fans it out; room lock held. */
    private void apply(Room room, RoomEvent event) {
        boolean here = event.node().equals(bus.nodeId());
        switch (event.kind()) {
            case SAY -> {
                Session origin = here ? nicks.get(ContentRules.fold(event.nick())) : null;
                ChatMessage message = ChatMessage.toRoom(event.id(), event.ts(), event.nick(), room.name(),
                        event.detail());
                room.remember(message);
                Frame frame = Frame.of(message);
                for (Session member : room.members()) {
                    member.send(member == origin && event.ref() != null ? Frame.of(message.withRef(event.ref())) : frame);
                }
            }
            case JOIN -> {
                Session origin = here ? nicks.get(ContentRules.fold(event.nick())) : null;
                room.roster().put(ContentRules.fold(event.nick()), event.nick());
                room.broadcast(Frame.of(new ServerMessage.Joined(room.name(), event.nick(), event.ts(), null)), origin);
            }
            case PART -> {
                room.roster().remove(ContentRules.fold(event.nick()));
                if (!shuttingDown) {
                    room.broadcast(Frame.of(new ServerMessage.Parted(room.name(), event.nick(), event.detail(),
                            event.ts(), null)), null);
                }
            }
            case NICK -> {
                Session origin = here ? nicks.get(ContentRules.fold(event.detail())) : null;
                room.rename(ContentRules.fold(event.nick()), ContentRules.fold(event.detail()), event.detail());
                // A peer sharing several rooms with the renamed client hears of it once.
                String token = event.node() + '/' + event.ts() + '/' + event.nick() + '/' + event.detail();
                Frame frame = Frame.of(new ServerMessage.Nick(event.nick(), event.detail(), event.ts(), null));
                for (Session member : room.members()) {
                    if (member != origin && member.firstNotice(token)) {
                        member.send(frame);
                    }
                }
            }
        }
    }

    void stats(Session session, ClientMessage.Stats request) {
        session.send(new ServerMessage.Stats(stats(), request.ref()));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The replayed messages, then the {@code history} trailer, queued as one burst; room lock
     * held. At most {@code limit} messages and {@code maxBytes} bytes of them: the newest that
     * fit, so that what one request makes the server queue stays bounded however long the texts.
     */
    private static void replay(Session session, Room room, int limit, int maxBytes, String ref) {
        List<ChatMessage> recent = room.recent(limit);
        ArrayDeque<Frame> frames = new ArrayDeque<>(recent.size() + 1);
        long bytes = 0;
        for (int i = recent.size() - 1; i >= 0; i--) {
            Frame frame = Frame.of(recent.get(i).asReplay(ref));
            bytes += frame.length();
            if (bytes > maxBytes) {
                break;
            }
            frames.addFirst(frame);
        }
        frames.addLast(Frame.of(new ServerMessage.History(room.name(), frames.size(), ref)));
        session.sendBurst(List.copyOf(frames));
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
            // A local shutdown tells nobody here; other nodes must still learn who left.
            if (bus.shared() || !shuttingDown) {
                try {
                    bus.publish(key, new RoomEvent(RoomEvent.Kind.PART, 0, 0, room.name(), bus.nodeId(),
                            session.nick(), reason, ts, null));
                } catch (BusUnavailableException e) {
                    LOG.warn("part of {} from {} not announced yet (the bus retries): {}", session.nick(), room.name(),
                            e.getMessage());
                }
            }
            if (room.members().isEmpty()) {
                discard(key, room);
            } else {
                room.roster().remove(ContentRules.fold(session.nick()));
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

    private static void unavailable(Session session, BusUnavailableException e, String ref) {
        error(session, ErrorCode.UNAVAILABLE, "the cluster store is unreachable, try again: " + e.getMessage(), ref);
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
