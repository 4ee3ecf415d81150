package dev.loomchat.server.chat;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.Parted;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.bus.BusUnavailableException;
import dev.loomchat.server.bus.RoomBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The chat core, as doors and the application see it: a door {@linkplain #open opens} a
 * {@link Session} for each accepted connection, hands it every request it reads
 * ({@link #receive}) and {@linkplain #close closes} it when the connection ends; the
 * application runs the {@linkplain #keepalive keepalive} and the {@linkplain #shutdown shutdown}.
 *
 * <p>Behind it: the {@code SessionRegistry}, the {@code NickRegistry}, the {@code RoomDirectory}
 * (rooms, fan-out, the bus's deliveries), the {@code FloodGate} and the {@code Requests}. The policies every door
 * shares live here: the connection limit, the flood budget, the keepalive, the bounded outbound
 * queue and slow-consumer cut-off ({@link Session}), the shutdown notice.
 *
 * <p>Threading: every method is safe from any thread; {@code receive} and {@code close} are
 * called on the session's reader thread.
 */
public final class ChatCore {

    /** The server's name in {@code welcome}. */
    public static final String SERVER_NAME = "loomchat";
    /** The text of the {@code shutdown} notice (clients show it after their own "server shutting down"). */
    public static final String SHUTDOWN_MESSAGE = "closing every connection; reconnect in a moment";
    /** Why a session ended that the server closed for its shutdown (logs; a cluster's other nodes see it as the part reason). */
    public static final String REASON_SHUTDOWN = "shutdown";
    /** Most rooms one {@code rooms} reply lists (PROTOCOL.md). */
    public static final int MAX_ROOMS_LISTED = 1000;

    private final ChatConfig config;
    private final ServerCounters counters;
    private final SessionRegistry sessions;
    private final NickRegistry nicks;
    private final RoomDirectory rooms;
    private final Requests requests;
    private final Supplier<String> failure;
    private final RoomBus bus;
    private final AccountRequests accounts;
    private final OperatorRequests operators;
    private final FloodGate flood;

    /**
     * A core on {@code bus}, which it starts (it receives the bus's deliveries from now on).
     *
     * @param timers  runs the grace period of a dropped session
     * @param version the server software version, announced in {@code welcome}
     * @param failure why the server can no longer serve (an essential thread died), or {@code null}
     *                while it can: a failing server opens no sessions
     */
    public ChatCore(ChatConfig config, ServerCounters counters, ScheduledExecutorService timers, RoomBus bus,
                    String version, Supplier<String> failure) {
        this(config, counters, timers, bus, version, failure, Accounts.NONE);
    }

    /**
     * As the other constructor, with the {@code accounts} that own nicks ({@link Accounts#NONE}
     * there: no accounts).
     */
    public ChatCore(ChatConfig config, ServerCounters counters, ScheduledExecutorService timers, RoomBus bus,
                    String version, Supplier<String> failure, Accounts accounts) {
        this(config, counters, timers, bus, version, failure, accounts, BanStore.memory(), System::currentTimeMillis);
    }

    /**
     * As the other constructors, with the server bans kept in {@code bans} and expiring by
     * {@code clock} (epoch ms; a test's own clock makes expiry deterministic).
     */
    public ChatCore(ChatConfig config, ServerCounters counters, ScheduledExecutorService timers, RoomBus bus,
                    String version, Supplier<String> failure, Accounts accounts, BanStore bans, LongSupplier clock) {
        this.config = config;
        this.failure = failure;
        this.bus = bus;
        this.counters = counters;
        ServerBans serverBans = new ServerBans(bans, clock);
        this.flood = new FloodGate(config, counters);
        this.sessions = new SessionRegistry(config, counters, timers, serverBans);
        this.nicks = new NickRegistry(bus);
        this.rooms = new RoomDirectory(bus, nicks, sessions, config);
        this.accounts = new AccountRequests(config, accounts, nicks);
        this.operators = new OperatorRequests(config, counters, sessions, nicks, serverBans, accounts);
        this.requests = new Requests(config, counters, bus, nicks, rooms, this::stats, version, this.accounts,
                operators);
        bus.start(rooms);
    }

    public ChatConfig config() {
        return config;
    }

    public ServerCounters counters() {
        return counters;
    }

    /**
     * A session for a connection a door accepted, or {@code null} if the server is failing, full
     * or shutting down: the door then sends {@link #refusal()} and closes.
     *
     * @param address the client's address as the door describes it (for the log)
     */
    public Session open(Peer peer, String address) {
        return open(peer, address, FloodPolicy.REFUSE);
    }

    /**
     * As {@link #open(Peer, String)}, with the door's {@link FloodPolicy}: the IRC door's clients
     * expect excess requests to be delayed, not refused.
     */
    public Session open(Peer peer, String address, FloodPolicy floodPolicy) {
        return failure.get() != null ? null : sessions.open(peer, address, floodPolicy);
    }

    /**
     * What a connection that {@link #open} refused is told: {@code unavailable} (failing),
     * {@code shutdown}, {@code server_full}, {@code too_many_connections} (its address is
     * over its limits) or {@code server_banned} (its address is banned).
     *
     * @param address the address given to the refused {@link #open}
     */
    public ServerMessage refusal(String address) {
        ServerMessage.Error overLimit = sessions.addressRefusal(address);
        if (overLimit != null && failure.get() == null && !sessions.shuttingDown()) {
            return overLimit;
        }
        return refusal();
    }

    /** As {@link #refusal(String)}, for a door that does not know the refused address. */
    public ServerMessage refusal() {
        String failed = failure.get();
        if (failed != null) {
            return new ServerMessage.Error(ErrorCode.UNAVAILABLE, "the server is failing (" + failed
                    + ") and stops; try again later", null);
        }
        return sessions.shuttingDown() ? new ServerMessage.Shutdown(SHUTDOWN_MESSAGE)
                : new ServerMessage.Error(ErrorCode.SERVER_FULL, "the server is at its connection limit", null);
    }

    /**
     * Takes one frame the door read from the session's client at {@code nowNanos}: charges the
     * flood budget and carries out the request (a line the door could not decode gets its
     * {@code error}). Every frame pays: requests over the budget are refused ({@code
     * rate_limited}, and persistent flooding ends the session), or under
     * {@link FloodPolicy#DELAY} wait for their token; {@code ping} and {@code pong},
     * which a client must always be able to send, are delayed instead (the reader waits), and
     * {@code quit} is never held back. Before a request is carried out, the reader waits while
     * its client's outbound queue is over half full. The door reports input as it arrives with
     * {@link Session#heard} (the keepalive clock), whatever it decodes to.
     *
     * @return whether to go on reading: false at the end of the stream, on {@code quit}, or when
     *         the client is cut off for flooding
     */
    public boolean receive(Session session, Decoded<ClientMessage> frame, long nowNanos) {
        if (frame instanceof Decoded.End) {
            return false;
        }
        counters.framesIn.increment();
        FloodGate.Next next = flood.admit(session, frame, nowNanos);
        if (next != FloodGate.Next.HANDLE) {
            return next == FloodGate.Next.SKIP;
        }
        if (frame instanceof Decoded.Ok<ClientMessage>(ClientMessage.Pong pong)) {
            return true; // answers our keepalive: nothing to carry out
        }
        if (!session.awaitRoomForReplies()) {
            return false;
        }
        return switch (frame) {
            case Decoded.Bad<ClientMessage> bad -> {
                session.send(bad.error().toMessage());
                yield true;
            }
            case Decoded.Ok<ClientMessage> ok -> requests.handle(session, ok.message());
            case Decoded.End<ClientMessage> end -> false;
        };
    }

    /**
     * Carries out a request that the door derives from the one it has just {@linkplain #receive
     * received}, without charging flood control again: one IRC {@code JOIN} is a {@code join},
     * then a {@code who} for the names list and maybe a {@code history}. Waits, as every request
     * does, while the client's outbound queue is over half full. Reader thread only.
     *
     * @return whether to go on reading
     */
    public boolean followUp(Session session, ClientMessage request) {
        if (session.endReason() != null || !session.awaitRoomForReplies()) {
            return false;
        }
        return requests.handle(session, request);
    }

    /**
     * Charges one request that the door answers itself (an IRC {@code VERSION}, {@code MODE}, …)
     * to the session's flood budget, as {@link #receive} charges the core's requests: it waits
     * for its token ({@link FloodPolicy#DELAY}) or, under {@link FloodPolicy#REFUSE}, takes one if
     * there is one. Reader thread only.
     *
     * @return whether to go on: false when the client is cut off for flooding (or interrupted)
     */
    public boolean pace(Session session, long nowNanos) {
        counters.framesIn.increment();
        return flood.pace(session, nowNanos);
    }

    /**
     * The session on this node that holds {@code nick} (compared case-insensitively), or
     * {@code null}: for a door's look-ups of who is online ({@code WHOIS}, {@code ISON}). A nick
     * held on another node of a cluster is not found here ({@link #onlineNicks}).
     */
    public Session findNick(String nick) {
        return nicks.find(ContentRules.fold(nick));
    }

    /**
     * Which of the nicks {@code asked} are online, on this node or (in cluster mode) another: folded nick
     * -> the nick as its holder spells it; one question to Redis for those not held here. While
     * Redis cannot be reached, the answer is what this node knows.
     */
    public Map<String, String> onlineNicks(List<String> asked) {
        Map<String, String> online = new HashMap<>();
        List<String> notHere = new ArrayList<>();
        for (String nick : asked) {
            String key = ContentRules.fold(nick);
            Session holder = nicks.find(key);
            if (holder != null && holder.nick() != null) {
                online.put(key, holder.nick());
            } else {
                notHere.add(key);
            }
        }
        if (!notHere.isEmpty() && bus.shared()) {
            try {
                online.putAll(bus.nicksElsewhere(notHere.stream().distinct().toList()));
            } catch (BusUnavailableException e) {
                // what this node knows
            }
        }
        return online;
    }

    /**
     * Logs {@code session} in to {@code account} before its {@code hello}, for a door that
     * authenticates on its own (IRC's SASL): throttled and logged as every login. Slow (a
     * password hash); reader thread only, no lock held.
     */
    public Accounts.Outcome login(Session session, String account, String password) {
        return accounts.login(session, account, password);
    }

    /**
     * Registers the account {@code name} (a valid nick) for {@code session}, which is then logged
     * in to it, for a door with its own registration command (IRC's {@code REGISTER}). Slow;
     * reader thread only.
     */
    public Accounts.Outcome register(Session session, String name, String password) {
        return accounts.register(session, name, password);
    }

    /**
     * Logs {@code session} in to the operator account {@code account} (IRC's {@code OPER}):
     * {@link Accounts.Outcome#NO_ACCOUNT} if {@code account} is not one of {@code --operator},
     * else as a login (throttled and logged). Slow; reader thread only.
     */
    public Accounts.Outcome oper(Session session, String account, String password) {
        if (!ContentRules.isValidNick(account) || !config.operators().contains(ContentRules.fold(account))) {
            return Accounts.Outcome.NO_ACCOUNT;
        }
        return accounts.login(session, account, password);
    }

    /** Whether the nick {@code nick} belongs to an account that {@code session} is not logged in to. */
    public boolean registeredToOther(Session session, String nick) {
        return accounts.registeredToOther(session, nick);
    }

    /**
     * Whether the room {@code name} has members on this node: for a door that answers
     * differently for a room that does not exist (IRC's 403) and one the client is not in (442).
     */
    public boolean roomExists(String name) {
        return rooms.exists(name);
    }

    /**
     * Ends a session whose connection's reader is done: it leaves its rooms (others see
     * {@code parted}, except in a shutdown) and its nick is free. Exactly once per session.
     */
    public void close(Session session) {
        session.finish(Parted.REASON_DISCONNECT);
        String reason = session.endReason();
        boolean withMessage = Parted.REASON_QUIT.equals(reason) || Parted.REASON_KILL.equals(reason)
                || Parted.REASON_BAN.equals(reason);
        rooms.leaveAll(session, reason, withMessage ? session.quitMessage() : null);
        String nick = session.nick();
        if (nick != null && nicks.release(session, nick)) {
            counters.welcomed.decrementAndGet();
        }
        sessions.remove(session, reason);
    }

    /**
     * Sends {@code ping} to clients silent for the idle timeout and drops those silent since a
     * ping; in cluster mode also applies the bans set on the other nodes.
     */
    public void keepalive(long nowNanos) {
        operators.refreshBans();
        sessions.keepalive(nowNanos);
        sessions.sweepAddresses(nowNanos);
    }

    /**
     * The graceful shutdown of every session: no new ones, the {@code shutdown} notice to each,
     * up to {@code grace} for their queues to drain, then their connections are closed. The
     * doors' handlers then end by themselves.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        sessions.shutdown(grace);
    }

    /** The counters, as a {@code stats} request returns them. */
    public Map<String, Long> stats() {
        Map<String, Long> stats = counters.snapshot(rooms.size(), rooms.historyBytes());
        stats.putAll(bus.stats());
        return stats;
    }

    /** Room memberships of this server's sessions now, all rooms together (for metrics). */
    public int roomMembers() {
        return rooms.members();
    }
}
