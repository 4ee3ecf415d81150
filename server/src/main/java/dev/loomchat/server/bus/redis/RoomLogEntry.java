package dev.loomchat.server.bus.redis;

import dev.loomchat.server.bus.RoomEvent;
import java.util.Map;

/**
 * How a {@link RoomEvent} is stored in a room's stream: field {@code k} is the kind
 * ({@code SAY}, {@code JOIN}, {@code PART}, {@code NICK}: {@code publish.lua} switches on it),
 * {@code u} the nick (the old one for a rename), {@code d} the detail (text, part reason, new
 * nick), {@code r} the room, {@code n} the node, {@code t} the time, {@code f} {@code "="+ref}.
 * Nodes of different versions share a stream, so the layout stays as it is.
 */
final class RoomLogEntry {

    private RoomLogEntry() {
    }

    static String kind(RoomEvent event) {
        return switch (event) {
            case RoomEvent.Said said -> "SAY";
            case RoomEvent.Joined joined -> "JOIN";
            case RoomEvent.Parted parted -> "PART";
            case RoomEvent.Renamed renamed -> "NICK";
        };
    }

    /** The nick whose membership the event is about (the old nick of a rename). */
    static String nick(RoomEvent event) {
        return switch (event) {
            case RoomEvent.Said said -> said.nick();
            case RoomEvent.Joined joined -> joined.nick();
            case RoomEvent.Parted parted -> parted.nick();
            case RoomEvent.Renamed renamed -> renamed.oldNick();
        };
    }

    /** Field {@code d}: the text, the part reason, the new nick; empty for a join. */
    static String detail(RoomEvent event) {
        return switch (event) {
            case RoomEvent.Said said -> said.text();
            case RoomEvent.Joined joined -> "";
            case RoomEvent.Parted parted -> parted.reason();
            case RoomEvent.Renamed renamed -> renamed.newNick();
        };
    }

    /** Field {@code f}: {@code "="+ref} for a line with a ref, else empty. */
    static String ref(RoomEvent event) {
        return event instanceof RoomEvent.Said said && said.ref() != null ? "=" + said.ref() : "";
    }

    /**
     * The event stored at {@code position} (its stream sequence, also a line's message id), or
     * {@code null} for an entry this version does not know.
     */
    static RoomEvent decode(long position, Map<String, String> f) {
        String room = f.get("r");
        String node = f.get("n");
        String nick = f.get("u");
        String detail = f.getOrDefault("d", "");
        long ts = Long.parseLong(f.get("t"));
        return switch (f.getOrDefault("k", "")) {
            case "SAY" -> {
                String ref = f.getOrDefault("f", "");
                yield new RoomEvent.Said(position, position, room, node, nick, detail, ts,
                        ref.isEmpty() ? null : ref.substring(1));
            }
            case "JOIN" -> new RoomEvent.Joined(position, room, node, nick, ts);
            case "PART" -> new RoomEvent.Parted(position, room, node, nick, detail, ts);
            case "NICK" -> new RoomEvent.Renamed(position, room, node, nick, detail, ts);
            default -> null;
        };
    }
}
