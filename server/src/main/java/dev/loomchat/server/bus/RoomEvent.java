package dev.loomchat.server.bus;

import java.util.Objects;

/**
 * One entry of a room's log on the {@link RoomBus}: a chat line, a join, a part, a nick change,
 * or a moderation step (a topic, a mode change, a kick, an invitation).
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
     * @param notice whether it is a notice (IRC's NOTICE)
     */
    record Said(long position, long id, String room, String node, String nick, String text, long ts, String ref,
                boolean notice) implements RoomEvent {
        public Said {
            requireNames(room, node, nick);
            Objects.requireNonNull(text, "text");
        }

        /** A line that is not a notice. */
        public Said(long position, long id, String room, String node, String nick, String text, long ts, String ref) {
            this(position, id, room, node, nick, text, ts, ref, false);
        }

        /** This line with the message id the bus assigned. */
        public Said withId(long newId) {
            return new Said(position, newId, room, node, nick, text, ts, ref, notice);
        }
    }

    /** {@code nick} joined the room; {@code op}: it created the room, so it is the room's first operator. */
    record Joined(long position, String room, String node, String nick, long ts, boolean op) implements RoomEvent {
        public Joined {
            requireNames(room, node, nick);
        }

        public Joined(long position, String room, String node, String nick, long ts) {
            this(position, room, node, nick, ts, false);
        }
    }

    /**
     * {@code nick} left the room, for {@code reason} (a {@code Parted.REASON_*}), with the
     * client's {@code message} (may be null).
     */
    record Parted(long position, String room, String node, String nick, String reason, String message, long ts)
            implements RoomEvent {
        public Parted {
            requireNames(room, node, nick);
            Objects.requireNonNull(reason, "reason");
        }

        public Parted(long position, String room, String node, String nick, String reason, long ts) {
            this(position, room, node, nick, reason, null, ts);
        }
    }

    /** {@code nick} set the room's topic to {@code text} ({@code ""}: cleared). */
    record TopicSet(long position, String room, String node, String nick, String text, long ts)
            implements RoomEvent {
        public TopicSet {
            requireNames(room, node, nick);
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code nick} changed the room's modes: {@code modes} as IRC writes them ({@code "+o-v bob carol"}), already checked. */
    record ModesChanged(long position, String room, String node, String nick, String modes, long ts)
            implements RoomEvent {
        public ModesChanged {
            requireNames(room, node, nick);
            Objects.requireNonNull(modes, "modes");
        }
    }

    /** {@code by} kicked {@code nick} (a member, on any node) out of the room, for {@code reason} (may be empty). */
    record Kicked(long position, String room, String node, String nick, String by, String reason, long ts)
            implements RoomEvent {
        public Kicked {
            requireNames(room, node, nick);
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** {@code by} invited {@code nick} into the room (so {@code +i} lets it in). */
    record Invited(long position, String room, String node, String nick, String by, long ts) implements RoomEvent {
        public Invited {
            requireNames(room, node, nick);
            Objects.requireNonNull(by, "by");
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
