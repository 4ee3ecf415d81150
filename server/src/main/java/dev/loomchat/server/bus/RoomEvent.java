package dev.loomchat.server.bus;

import java.util.Objects;

/**
 * One entry of a room's log on the {@link RoomBus}: a chat line, a join, a part or a nick change.
 *
 * @param kind     what happened
 * @param position the entry's place in the room's total order (0 when the bus delivers
 *                 synchronously and needs none); increases along a room's log
 * @param id       the message id of a {@link Kind#SAY} (0 for the other kinds)
 * @param room     the room's display name
 * @param node     the node whose client caused the event (to find the origin session)
 * @param nick     who spoke, joined, parted, or the old nick of a nick change
 * @param detail   SAY: the text; PART: the reason; NICK: the new nick; JOIN: {@code null}
 * @param ts       server time in ms
 * @param ref      the origin client's {@code ref}, echoed to that client only; may be null
 */
public record RoomEvent(Kind kind, long position, long id, String room, String node, String nick, String detail,
                        long ts, String ref) {

    /** The kinds of room events. */
    public enum Kind { SAY, JOIN, PART, NICK }

    public RoomEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(nick, "nick");
    }

    /** This event with the position and message id the bus assigned. */
    public RoomEvent placed(long newPosition, long newId) {
        return new RoomEvent(kind, newPosition, newId, room, node, nick, detail, ts, ref);
    }
}
