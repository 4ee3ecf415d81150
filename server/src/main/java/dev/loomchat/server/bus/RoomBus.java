package dev.loomchat.server.bus;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The room bus: the one place that orders room events and owns nicks, so that every client of a
 * room sees the same order whichever node it reached. {@link LocalRoomBus} (the default) keeps
 * everything in this process, as a single server always did; {@code RedisRoomBus} (package
 * {@code dev.loomchat.server.bus.redis}) shares rooms between nodes through Redis.
 *
 * <p>Contract: events {@link #publish published} to a room are delivered to the
 * {@link Listener} of every node that {@link #follow follows} the room, each exactly once, in
 * one order that is the same on every node. A bus may deliver on the publishing thread (local)
 * or on its own reader thread (Redis); the listener must accept both.
 *
 * <p>Failures: a bus that cannot reach its backing store throws {@link BusUnavailableException}
 * from the call; nothing was done then, or (for a publish whose answer was lost) it may have
 * been done once. It recovers by itself when the store returns.
 *
 * <p>Threading: every method is safe from any thread.
 */
public interface RoomBus extends AutoCloseable {

    /** The order of a {@code rooms} reply: most members first, then by name as rooms compare (case-insensitively). */
    Comparator<RoomInfo> ROOM_ORDER = Comparator.comparingInt(RoomInfo::members).reversed()
            .thenComparing((RoomInfo info) -> ContentRules.fold(info.room()))
            .thenComparing(RoomInfo::room);

    /** Receives the events of followed rooms and private messages for local nicks. */
    interface Listener {
        /** A room event, in the room's order. Called with no lock of the bus held. */
        void deliver(String roomKey, RoomEvent event);

        /** A private message for the local client whose folded nick is {@code toKey}. */
        void deliverDirect(String toKey, ChatMessage message);
    }

    /**
     * What a node needs to start following a room: its recent chat lines and its members
     * (on every node) as of {@code position}; events after that position will be delivered.
     *
     * @param position the log position the snapshot was taken at
     * @param history  up to the asked number of recent chat lines, oldest first
     * @param members  the nicks in the room, in join order
     */
    record Snapshot(long position, List<RoomEvent.Said> history, List<String> members) {
        public static final Snapshot EMPTY = new Snapshot(0, List.of(), List.of());
    }

    /**
     * Some chat lines of a room's log, oldest first.
     *
     * @param lines the lines, ids increasing
     * @param more  whether the log has further lines beyond these in the direction asked
     */
    record Page(List<RoomEvent.Said> lines, boolean more) {
        public Page {
            lines = List.copyOf(lines);
        }
    }

    /**
     * A page of a room's kept history: with {@code before}, its newest {@code limit} chat lines
     * with a smaller id; with {@code after}, its oldest {@code limit} with a greater id (exactly
     * one of the two is given). The room need not be followed. Called with no room lock held.
     *
     * @return empty if this bus keeps no history of its own (in memory without a store: the
     *         room's recent messages in the chat core are all there is)
     * @throws BusUnavailableException if the log cannot be read now
     */
    default Optional<Page> history(String roomKey, String roomName, Long before, Long after, int limit) {
        return Optional.empty();
    }

    /** Whether {@link #history} pages through a kept log (a store, Redis): then a room's past outlives its members. */
    default boolean keepsHistory() {
        return false;
    }

    /** Counters of the bus (and its store) for {@code stats}; none by default. */
    default Map<String, Long> stats() {
        return Map.of();
    }

    /** This node's id (what {@link RoomEvent#node()} says for events caused here). */
    String nodeId();

    /** Starts delivering to {@code listener}; call once, before any other method. */
    void start(Listener listener);

    /** Whether rooms, nicks and history are shared with other nodes (false: this process only). */
    boolean shared();

    /**
     * Claims the folded nick {@code key} for this node, {@code nick} as spelled.
     *
     * @return false if another node holds it
     */
    boolean claimNick(String key, String nick);

    /** Gives up a nick this node claimed (best effort: it expires anyway). */
    void releaseNick(String key);

    /**
     * Which of the folded nicks {@code keys} a session on another live node holds, for a door's
     * look-ups of who is online ({@code WHOIS}, {@code ISON}): folded key -> the nick as its
     * holder spells it. Empty where nothing is shared.
     *
     * @throws BusUnavailableException if the bus cannot be asked
     */
    default Map<String, String> nicksElsewhere(List<String> keys) {
        return Map.of();
    }

    /**
     * Starts following a room: returns its snapshot; later events come to the listener.
     * The caller holds the room's lock, so the snapshot and the first delivery cannot cross.
     */
    Snapshot follow(String roomKey, String roomName, int historyLimit);

    /** Stops following a room (no local member is left). */
    void unfollow(String roomKey);

    /** Appends {@code event} to the room's log; the bus assigns its position and message id. */
    void publish(String roomKey, RoomEvent event);

    /**
     * Appends a member's chat line, unless the room's order already has its speaker kicked out
     * (after its last join): a node may accept a line just before it applies a kick that another
     * node ordered first, and a line placed after its speaker's kick would reach the others
     * and never come back to the speaker, who is out of the room here by then.
     * A bus that delivers under the room's lock (local) needs no check of its own: the chat core
     * checks membership under that lock.
     *
     * @return false if refused: nothing was appended
     * @throws BusUnavailableException if the bus cannot be reached
     */
    default boolean publishMemberLine(String roomKey, RoomEvent.Said line) {
        publish(roomKey, line);
        return true;
    }

    /** A fresh message id for a private message (same sequence as room messages). */
    long nextMessageId();

    /**
     * Sends a private message to a nick held on another node.
     *
     * @return the message as delivered (with its id and the target's spelling), or {@code null}
     *         if no node holds {@code toKey}
     */
    ChatMessage sendDirect(String toKey, String from, String text, long ts);

    /** Every room with members on any node, if shared; empty: the caller lists its own rooms. */
    Optional<List<RoomInfo>> rooms(int max);

    /** Stops delivering and releases the connection; nicks this node held expire. */
    @Override
    void close();
}
