package dev.loomchat.server.chat;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.Parted;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.bus.RoomBus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The chat core, as doors and the application see it: a door {@linkplain #open opens} a
 * {@link Session} for each accepted connection, hands it every request it reads
 * ({@link #receive}) and {@linkplain #close closes} it when the connection ends; the
 * application runs the {@linkplain #keepalive keepalive} and the {@linkplain #shutdown shutdown}.
 *
 * <p>Behind it: the {@code SessionRegistry}, the {@code NickRegistry}, the {@code RoomDirectory}
 * (rooms, fan-out, the bus's deliveries) and the {@code Requests}. The policies every door
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
        this.config = config;
        this.failure = failure;
        this.counters = counters;
        this.sessions = new SessionRegistry(config, counters, timers);
        this.nicks = new NickRegistry(bus);
        this.rooms = new RoomDirectory(bus, nicks, sessions, config);
        this.requests = new Requests(config, counters, bus, nicks, rooms, this::stats, version);
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
        return failure.get() != null ? null : sessions.open(peer, address);
    }

    /**
     * What a connection that {@link #open} refused is told: {@code unavailable} (failing),
     * {@code shutdown}, or {@code server_full}.
     */
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
     * rate_limited}, and persistent flooding ends the session); {@code ping} and {@code pong},
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
        switch (frame) {
            case Decoded.Ok<ClientMessage>(ClientMessage.Quit quit) -> { } // leaving is never refused
            case Decoded.Ok<ClientMessage>(ClientMessage.Pong pong) -> {
                // Answers our keepalive: never refused, but not free.
                return session.pause(session.flood().delayNanos(nowNanos));
            }
            case Decoded.Ok<ClientMessage>(ClientMessage.Ping ping) -> {
                if (!session.pause(session.flood().delayNanos(nowNanos))) {
                    return false;
                }
            }
            default -> {
                switch (session.flood().take(nowNanos)) {
                    case ALLOW -> { }
                    case REFUSE -> {
                        counters.rateLimited.increment();
                        session.send(new ServerMessage.Error(ErrorCode.RATE_LIMITED, "over " + config.msgRate()
                                + " requests/s (burst " + config.msgBurst() + "); request dropped", refOf(frame)));
                        return true;
                    }
                    case DISCONNECT -> {
                        counters.floodDisconnects.increment();
                        session.send(new ServerMessage.Error(ErrorCode.EXCESS_FLOOD,
                                "kept flooding while rate limited; disconnecting", refOf(frame)));
                        session.finish(Parted.REASON_EXCESS_FLOOD);
                        return false;
                    }
                }
            }
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
     * Ends a session whose connection's reader is done: it leaves its rooms (others see
     * {@code parted}, except in a shutdown) and its nick is free. Exactly once per session.
     */
    public void close(Session session) {
        session.finish(Parted.REASON_DISCONNECT);
        String reason = session.endReason();
        rooms.leaveAll(session, reason);
        String nick = session.nick();
        if (nick != null && nicks.release(session, nick)) {
            counters.welcomed.decrementAndGet();
        }
        sessions.remove(session, reason);
    }

    /** Sends {@code ping} to clients silent for the idle timeout; drops those silent since a ping. */
    public void keepalive(long nowNanos) {
        sessions.keepalive(nowNanos);
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
        return counters.snapshot(rooms.size(), rooms.historyBytes());
    }

    /** Room memberships of this server's sessions now, all rooms together (for metrics). */
    public int roomMembers() {
        return rooms.members();
    }

    private static String refOf(Decoded<ClientMessage> frame) {
        return switch (frame) {
            case Decoded.Ok<ClientMessage> ok -> ok.message().ref();
            case Decoded.Bad<ClientMessage> bad -> bad.error().ref();
            case Decoded.End<ClientMessage> end -> null;
        };
    }
}
