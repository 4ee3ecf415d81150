package dev.loomchat.server.bus;

import java.util.Objects;

/**
 * One entry of a room's log on the {@link RoomBus}: a chat line, a join, a part or a nick change.
 * Every event names its room (display name), the node whose client caused it (so that node finds
 * the origin session) and the server time; a bus that orders rooms itself gives it a
 * {@link #position()}.
 */
public sealed interface RoomEvent {

    /**
     * The entry's place in the room's total order, increasing along the room's log; 0 when the
     * bus delivers synchronously and needs none.
     */
    long position();

    /** The room's display name. */
    String room();

    /** The node whose client caused the event. */
    String node();

    /** Server time in ms. */
    long ts();

    /**
     * A chat line.
     *
     * @param id   its message id (assigned by the bus: 0 until published)
     * @param nick who spoke
     * @param ref  the origin client's {@code ref}, echoed to that client only; may be null
     */
    record Said(long position, long id, String room, String node, String nick, String text, long ts, String ref)
            implements RoomEvent {
        public Said {
            requireNames(room, node, nick);
            Objects.requireNonNull(text, "text");
        }

        /** This line with the message id the bus assigned. */
        public Said withId(long newId) {
            return new Said(position, newId, room, node, nick, text, ts, ref);
        }
    }

    /** {@code nick} joined the room. */
    record Joined(long position, String room, String node, String nick, long ts) implements RoomEvent {
        public Joined {
            requireNames(room, node, nick);
        }
    }

    /** {@code nick} left the room, for {@code reason} (a {@code Parted.REASON_*}). */
    record Parted(long position, String room, String node, String nick, String reason, long ts)
            implements RoomEvent {
        public Parted {
            requireNames(room, node, nick);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A member of the room changed its nick from {@code oldNick} to {@code newNick}. */
    record Renamed(long position, String room, String node, String oldNick, String newNick, long ts)
            implements RoomEvent {
        public Renamed {
            requireNames(room, node, oldNick);
            Objects.requireNonNull(newNick, "newNick");
        }
    }

    private static void requireNames(String room, String node, String nick) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(nick, "nick");
    }
}
