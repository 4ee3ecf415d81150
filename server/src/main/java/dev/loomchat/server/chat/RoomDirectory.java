package dev.loomchat.server.chat;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.bus.BusUnavailableException;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.RoomEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms with members on this node, and the way in and out of them: joining (a room this
 * node starts following is loaded from the bus's snapshot), leaving (a room with no local member
 * left is forgotten), publishing room events to the bus, and applying the events the bus
 * delivers ({@link RoomBus.Listener}) to the rooms here, which fan them out.
 *
 * <p>A local bus delivers on the publishing thread: publishing under the room lock makes id
 * assignment and fan-out one step. A shared bus orders the room itself and delivers on its reader
 * thread, which takes the lock; no lock is held across its network round trip.
 *
 * <p>Threading: safe from any thread; a session's joins and parts come from its reader thread.
 */
final class RoomDirectory implements RoomBus.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(RoomDirectory.class);

    private final RoomBus bus;
    private final NickRegistry nicks;
    private final SessionRegistry sessions;
    private final int historyLength;
    private final int replayBytes;
    private final HistoryBudget historyBudget;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    RoomDirectory(RoomBus bus, NickRegistry nicks, SessionRegistry sessions, ChatConfig config) {
        this.bus = bus;
        this.nicks = nicks;
        this.sessions = sessions;
        this.historyLength = config.historyLength();
        this.replayBytes = config.replayBytes();
        this.historyBudget = new HistoryBudget(config.historyBytes());
    }

    /** Rooms with members on this node. */
    int size() {
        return rooms.size();
    }

    /** Whether the room {@code name} has members on this node. */
    boolean exists(String name) {
        return rooms.containsKey(ContentRules.fold(name));
    }

    /** Room memberships of local sessions, all rooms together (a gauge: read without the rooms' locks). */
    int members() {
        int members = 0;
        for (Room room : rooms.values()) {
            members += room.memberCount();
        }
        return members;
    }

    /** Bytes of history all rooms hold in memory (estimated). */
    long historyBytes() {
        return historyBudget.bytes();
    }

    /**
     * Puts {@code session} in the room {@code name} (not yet one of its rooms) and queues its
     * {@code joined}, the topic if one is set, and the replay; everyone else in the room hears of
     * the join. The first member of a new room is its operator.
     *
     * @param key the key the client gave ({@code +k}), or null
     * @return null if it joined, else why the room's modes refuse it (nothing was published)
     * @throws BusUnavailableException if the bus cannot be reached; the session did not join
     */
    ErrorCode join(Session session, String name, String key, String ref) {
        String roomKey = ContentRules.fold(name);
        while (true) {
            Room room = rooms.computeIfAbsent(roomKey, k -> new Room(name, historyLength, historyBudget, bus.keepsHistory()));
            room.lock().lock();
            try {
                if (room.discarded()) {
                    continue; // emptied and removed while we looked it up: make a fresh one
                }
                long ts = System.currentTimeMillis();
                try {
                    if (room.members().isEmpty()) {
                        room.load(bus.follow(roomKey, room.name(), historyLength));
                    }
                    ErrorCode refused = room.modes().refusal(session.nick(), key, room.rosterSize());
                    if (refused != null) {
                        if (room.members().isEmpty()) {
                            discard(roomKey, room);
                        }
                        return refused;
                    }
                    // Others learn of the join through the bus (the joiner itself is skipped there).
                    bus.publish(roomKey, new RoomEvent.Joined(0, room.name(), bus.nodeId(), session.nick(), ts,
                            room.rosterSize() == 0));
                } catch (BusUnavailableException e) {
                    if (room.members().isEmpty()) {
                        discard(roomKey, room);
                    }
                    throw e;
                }
                room.add(session);
                session.rooms().put(roomKey, room);
                session.send(new ServerMessage.Joined(room.name(), session.nick(), ts, ref));
                if (!room.modes().topic().isEmpty()) {
                    session.send(room.topic(ref));
                }
                room.replay(session, historyLength, replayBytes, ref);
                return null;
            } finally {
                room.lock().unlock();
            }
        }
    }

    /**
     * Takes {@code session} out of {@code room}; the others hear {@code reason} (except in a
     * shutdown), and so does the session if it asked ({@code ref}) or parted on purpose.
     */
    void leave(Session session, Room room, String reason, String ref) {
        leave(session, room, reason, null, ref);
    }

    /** As {@link #leave(Session, Room, String, String)}, with the client's {@code message} (may be null). */
    void leave(Session session, Room room, String reason, String message, String ref) {
        String key = ContentRules.fold(room.name());
        room.lock().lock();
        try {
            boolean othersHere = room.remove(session);
            session.rooms().remove(key);
            long ts = System.currentTimeMillis();
            // A local shutdown tells nobody here; other nodes must still learn who left.
            if (bus.shared() || !sessions.shuttingDown()) {
                try {
                    bus.publish(key, new RoomEvent.Parted(0, room.name(), bus.nodeId(), session.nick(), reason, message,
                            ts));
                } catch (BusUnavailableException e) {
                    LOG.warn("part of {} from {} not announced yet (the bus retries): {}", session.nick(), room.name(),
                            e.getMessage());
                }
            }
            if (!othersHere) {
                discard(key, room);
            }
            if (ref != null || reason.equals(ServerMessage.Parted.REASON_PART)) {
                session.send(new ServerMessage.Parted(room.name(), session.nick(), reason, message, ts, ref));
            }
        } finally {
            room.lock().unlock();
        }
    }

    /** Takes a closing session out of all its rooms. */
    void leaveAll(Session session, String reason, String message) {
        for (Room room : List.copyOf(session.rooms().values())) {
            leave(session, room, reason, message, null);
        }
    }

    /** The room {@code name} if it has members on this node, else null. */
    Room find(String name) {
        Room room = rooms.get(ContentRules.fold(name));
        return room == null || room.discarded() ? null : room;
    }

    /**
     * Publishes {@code speaker}'s chat line to {@code room}; {@code member}: it speaks as a member
     * (not as an outsider of a {@code -n} room).
     *
     * @return false if a member's line was refused because the speaker is no longer in the room
     *         (a kick got there first); nothing was published then
     * @throws BusUnavailableException if the bus cannot be reached
     */
    boolean publishLine(Session speaker, Room room, RoomEvent.Said line, boolean member) {
        String key = ContentRules.fold(room.name());
        if (bus.shared()) {
            return member ? bus.publishMemberLine(key, line) : publishShared(key, line);
        }
        room.lock().lock();
        try {
            // The session read its rooms without this lock: a kick may have come in between.
            if (member && !room.members().contains(speaker)) {
                return false;
            }
            bus.publish(key, line);
            return true;
        } finally {
            room.lock().unlock();
        }
    }

    private boolean publishShared(String key, RoomEvent event) {
        bus.publish(key, event);
        return true;
    }

    /**
     * Publishes a room event (see the class comment for the lock).
     *
     * @throws BusUnavailableException if the bus cannot be reached
     */
    void publish(Room room, RoomEvent event) {
        String key = ContentRules.fold(room.name());
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

    /** The rooms with members here, most members first, at most {@code max}. */
    List<RoomInfo> list(int max) {
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
        return list.subList(0, Math.min(list.size(), max));
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

    // ---------------------------------------------------------------- bus deliveries (any thread)

    @Override
    public void deliver(String roomKey, RoomEvent event) {
        Room room = rooms.get(roomKey);
        if (room == null) {
            return;
        }
        room.lock().lock();
        try {
            if (room.discarded() || !room.advance(event)) {
                return; // gone, or already in this node's snapshot of the room
            }
            switch (event) {
                case RoomEvent.Said line -> room.said(line, origin(event, line.nick()));
                case RoomEvent.Joined join -> room.joined(join, origin(event, join.nick()));
                case RoomEvent.Parted part -> room.parted(part, sessions.shuttingDown());
                case RoomEvent.Renamed rename -> room.renamed(rename, origin(event, rename.newNick()));
                case RoomEvent.TopicSet topic -> room.topicSet(topic);
                case RoomEvent.ModesChanged change -> room.modesChanged(change);
                case RoomEvent.Invited invite -> room.modes().invited(invite.nick());
                case RoomEvent.Kicked kick -> kicked(roomKey, room, kick);
            }
        } finally {
            room.lock().unlock();
        }
    }

    /**
     * A kick: the kicked client, if it is here, is out of the room first, then everyone (it too)
     * hears of it; room lock held. Out first because the client may answer its {@code kicked} at
     * once (a {@code say}), and that request, on the client's reader thread, must find it out of
     * the room: were it still a member there, its line would be published, and then dropped here
     * where this delivery removed it (no echo, no error: the client would wait for ever).
     */
    private void kicked(String roomKey, Room room, RoomEvent.Kicked kick) {
        Session target = nicks.find(ContentRules.fold(kick.nick()));
        boolean here = target != null && room.members().contains(target);
        boolean othersHere = true;
        if (here) {
            target.rooms().remove(roomKey);
            othersHere = room.remove(target);
        }
        room.kicked(kick, here ? target : null);
        if (!othersHere) {
            discard(roomKey, room);
        }
    }

    @Override
    public void deliverDirect(String toKey, ChatMessage message) {
        Session target = nicks.find(toKey);
        if (target != null) {
            target.send(message);
        }
    }

    /** The local session that caused {@code event}, known here by {@code nick}, or {@code null}. */
    private Session origin(RoomEvent event, String nick) {
        return event.node().equals(bus.nodeId()) ? nicks.find(ContentRules.fold(nick)) : null;
    }
}
