package dev.loomchat.server.chat;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.ChatConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client's chat session, whatever door it came through: its nick, its rooms, its keepalive
 * clock and flood budget, why it ended, and the policies every door shares for its connection's
 * {@link Peer#outbox() outbox}: a sender only ever queues, and a client whose queue overflows is
 * cut off as a slow consumer.
 *
 * <p>Threading: the connection's reader thread owns the nick changes and the flood budget, and
 * joins and leaves rooms; a kick (delivered on the bus's thread) takes it out of {@link #rooms()}
 * too, so that map is synchronized; any thread may {@link #send} to it (fan-out from other clients), read its
 * {@link #nick()}, or {@link #drop} it (slow consumer, idle timeout). {@code drop} never blocks:
 * it queues a last frame and closes the connection a grace period later at the latest.
 */
public final class Session {

    private final Peer peer;
    private final Outbox<?> outbox;
    private final String address;
    private final ServerCounters counters;
    private final ScheduledExecutorService timers;
    private final long dropGraceMillis;
    private final FloodControl flood;
    private final FloodPolicy floodPolicy;
    /** The folded accounts that are server operators ({@code --operator}). */
    private final java.util.Set<String> operators;
    /** Rooms by folded name, in join order; synchronized (iterate a copy): a kick removes from another thread. */
    private final Map<String, Room> rooms = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicReference<String> endReason = new AtomicReference<>();
    /** Set by the reader thread before the session ends; read by it when it closes. */
    private volatile String quitMessage;
    /** The last nick change this client was told of (see {@link #firstNotice}). */
    private final AtomicReference<String> lastNotice = new AtomicReference<>();
    private volatile String nick;
    /** The folded name of the account this client is logged in to, or {@code null} (a guest). */
    private volatile String account;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long pingSentNanos;

    Session(Peer peer, String address, FloodPolicy floodPolicy, ChatConfig config, ServerCounters counters,
            ScheduledExecutorService timers) {
        this.floodPolicy = floodPolicy;
        this.operators = config.operators();
        this.peer = peer;
        this.outbox = peer.outbox();
        this.address = address;
        this.counters = counters;
        this.timers = timers;
        this.dropGraceMillis = Math.max(100, Math.min(config.shutdownGrace().toMillis(), 2000));
        this.flood = new FloodControl(config.msgRate(), config.msgBurst(), lastHeardNanos);
    }

    /** The client's address, as the door describes it (for the log). */
    public String address() {
        return address;
    }

    /** The nick, or {@code null} before a successful {@code hello}. */
    public String nick() {
        return nick;
    }

    void nick(String newNick) {
        nick = newNick;
    }

    /** The (folded) account this client is logged in to, or {@code null} for a guest. */
    public String account() {
        return account;
    }

    void account(String folded) {
        account = folded;
    }

    /** Whether this client is a server operator: logged in to an account named by {@code --operator}. */
    public boolean operator() {
        String folded = account;
        return folded != null && operators.contains(folded);
    }

    boolean welcomed() {
        return nick != null;
    }

    /**
     * The rooms this client is in, by folded name. Joins and parts: reader thread only; a kick
     * removes from any thread. Iterate a copy ({@code List.copyOf(rooms().values())}).
     */
    Map<String, Room> rooms() {
        return rooms;
    }

    /**
     * The names of the rooms this client is in, in the order it joined them: for a door that
     * must name them itself (IRC's {@code JOIN 0} leaves them all). Reader thread only.
     */
    public List<String> roomNames() {
        List<Room> joined = List.copyOf(rooms.values());
        List<String> names = new ArrayList<>(joined.size());
        for (Room room : joined) {
            names.add(room.name());
        }
        return names;
    }

    FloodControl flood() {
        return flood;
    }

    FloodPolicy floodPolicy() {
        return floodPolicy;
    }

    /** Queues one message to this client alone. */
    void send(ServerMessage message) {
        offered(outbox.offer(message), 1);
    }

    /** Queues an event; an overflowing queue drops this client as a slow consumer. */
    void send(Outgoing event) {
        offered(outbox.offer(event), 1);
    }

    /** The bytes {@code event} takes on this client's wire (it is encoded now, once). */
    int sizeOnWire(Outgoing event) {
        return outbox.sizeOf(event);
    }

    /**
     * Before the reader carries out a request: if half the outbound queue's byte bound is already
     * taken, it first writes its pending replies and waits until the queue has room again. A
     * client that pipelines requests without reading their replies (a join with a long replay,
     * over and over) so stalls its own reader, not the server's memory: what is queued for it
     * stays within the bound. Reader thread only; it may block on its own client alone, and ends
     * when the connection is closed (a drop, a shutdown, the keepalive).
     *
     * @return false if the reader was interrupted (the session is then finished)
     */
    boolean awaitRoomForReplies() {
        long half = outbox.maxBytes() / 2;
        if (outbox.queuedBytes() <= half) {
            return true;
        }
        peer.flushReplies();
        try {
            outbox.awaitQueuedAtMost(half);
            return true;
        } catch (InterruptedException e) {
            return interrupted();
        }
    }

    /**
     * Makes the reader wait {@code nanos} before it handles a frame that flood control delays
     * rather than refuses: it writes what it owes its client, then parks.
     *
     * @return false if the reader was interrupted (the session is then finished)
     */
    boolean pause(long nanos) {
        if (nanos <= 0) {
            return true;
        }
        peer.flushReplies();
        try {
            Thread.sleep(Duration.ofNanos(nanos));
            return true;
        } catch (InterruptedException e) {
            return interrupted();
        }
    }

    private boolean interrupted() {
        Thread.currentThread().interrupt();
        finish(ServerMessage.Parted.REASON_DISCONNECT);
        return false;
    }

    /** Queues the events of one reply burst (a replay) in one step; see {@link Outbox#offerBurst}. */
    void sendBurst(List<Outgoing> events) {
        offered(outbox.offerBurst(events), events.size());
    }

    private void offered(Outbox.Offer offer, int frames) {
        switch (offer) {
            case QUEUED -> counters.framesOut.add(frames);
            case OVERFLOW -> drop(ServerMessage.Parted.REASON_SLOW_CONSUMER, ErrorCode.SLOW_CONSUMER,
                    "outbound queue overflowed: the client is not reading fast enough", counters.slowConsumers);
            case CLOSED -> { }
        }
    }

    /**
     * Ends the session from any thread: replaces whatever is queued by an {@code error} frame
     * (best effort), and closes the connection once that is written or the grace period ends.
     * Only the first end counts, in {@code counter}: before anyone can see the session end, so
     * the {@code stats} agree with what clients saw.
     *
     * @return whether this call ended the session
     */
    boolean drop(String reason, ErrorCode code, String message, LongAdder counter) {
        return drop(reason, null, code, message, counter);
    }

    /**
     * As {@link #drop(String, ErrorCode, String, LongAdder)}, with the text the rooms see with
     * the part ({@code partMessage}, may be null): a kill's or a ban's reason.
     */
    boolean drop(String reason, String partMessage, ErrorCode code, String message, LongAdder counter) {
        if (partMessage != null && endReason.get() == null) {
            quitMessage = partMessage;
        }
        if (!endReason.compareAndSet(null, reason)) {
            return false;
        }
        counter.increment();
        outbox.abortWith(new Outgoing(new ServerMessage.Error(code, message, null)));
        timers.schedule(peer::close, dropGraceMillis, TimeUnit.MILLISECONDS);
        return true;
    }

    /**
     * Ends the session after the queued frames are sent: {@code quit}, the end of the client's
     * stream, a shutdown. Only the first end's reason counts.
     */
    public void finish(String reason) {
        endReason.compareAndSet(null, reason);
        outbox.close();
    }

    /** Ends the session as {@link #finish(String)} does, with the client's parting {@code message} (a quit's text). */
    void finish(String reason, String message) {
        if (message != null) {
            quitMessage = message;
        }
        finish(reason);
    }

    /** The text the client quit with, or null. */
    String quitMessage() {
        return quitMessage;
    }

    /** Why the session ended ({@code Parted.REASON_*}), or {@code null} while it runs. */
    public String endReason() {
        return endReason.get();
    }

    /** Closes the connection now (the end of a grace period). Any thread, idempotent. */
    void closeConnection() {
        peer.close();
    }

    /**
     * Whether the notice {@code token} (one nick change, announced in each shared room) is new
     * to this client: a peer sharing several rooms with the renamed client hears of it once.
     */
    boolean firstNotice(String token) {
        return !token.equals(lastNotice.getAndSet(token));
    }

    /**
     * Records that input arrived at {@code nowNanos} (any input: the client is alive): the
     * keepalive clock restarts. The door calls it from its reader.
     */
    public void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
        pingSentNanos = 0;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    long pingSentNanos() {
        return pingSentNanos;
    }

    void pingSent(long nowNanos) {
        pingSentNanos = nowNanos;
    }

    @Override
    public String toString() {
        return (nick == null ? "-" : nick) + "@" + address;
    }
}
