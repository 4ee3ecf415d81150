package dev.loomchat.server.bus.redis;

import dev.loomchat.server.bus.RoomEvent;
import java.util.Map;

/**
 * How a {@link RoomEvent} is stored in a room's stream: field {@code k} is the kind
 * ({@code SAY}, {@code JOIN}, {@code PART}, {@code NICK}, {@code TOPIC}, {@code MODE}, {@code KICK},
 * {@code INVITE}: {@code publish.lua} switches on it), {@code u} the nick (the old one for a
 * rename, the kicked or invited one), {@code d} the detail (text, part reason, new nick, topic,
 * modes, {@code "@"} for a join that created the room, {@code by + "\n" + reason} for a kick,
 * {@code by} for an invitation), {@code r} the room, {@code n} the node, {@code t} the time,
 * {@code f} {@code "="+ref} for a line ({@code "N"} first for a notice), the message text of a part.
 * Nodes of different versions share a stream, so the layout stays as it is (an older node skips
 * kinds it does not know and ignores the new uses of {@code d} and {@code f}).
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
            case RoomEvent.TopicSet topic -> "TOPIC";
            case RoomEvent.ModesChanged modes -> "MODE";
            case RoomEvent.Kicked kicked -> "KICK";
            case RoomEvent.Invited invited -> "INVITE";
        };
    }

    /** The nick whose membership the event is about (the old nick of a rename). */
    static String nick(RoomEvent event) {
        return switch (event) {
            case RoomEvent.Said said -> said.nick();
            case RoomEvent.Joined joined -> joined.nick();
            case RoomEvent.Parted parted -> parted.nick();
            case RoomEvent.Renamed renamed -> renamed.oldNick();
            case RoomEvent.TopicSet topic -> topic.nick();
            case RoomEvent.ModesChanged modes -> modes.nick();
            case RoomEvent.Kicked kicked -> kicked.nick();
            case RoomEvent.Invited invited -> invited.nick();
        };
    }

    /** Field {@code d}: the text, the part reason, the new nick; empty for a join. */
    static String detail(RoomEvent event) {
        return switch (event) {
            case RoomEvent.Said said -> said.text();
            case RoomEvent.Joined joined -> joined.op() ? "@" : "";
            case RoomEvent.Parted parted -> parted.reason();
            case RoomEvent.Renamed renamed -> renamed.newNick();
            case RoomEvent.TopicSet topic -> topic.text();
            case RoomEvent.ModesChanged modes -> modes.modes();
            case RoomEvent.Kicked kicked -> kicked.by() + "\n" + kicked.reason();
            case RoomEvent.Invited invited -> invited.by();
        };
    }

    /** Field {@code f}: {@code "="+ref} for a line with a ref ({@code "N"} first for a notice), a part's message, else empty. */
    static String ref(RoomEvent event) {
        return switch (event) {
            case RoomEvent.Said said -> (said.notice() ? "N" : "") + (said.ref() != null ? "=" + said.ref() : "");
            case RoomEvent.Parted parted -> parted.message() == null ? "" : parted.message();
            default -> "";
        };
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
                boolean notice = ref.startsWith("N");
                if (notice) {
                    ref = ref.substring(1);
                }
                yield new RoomEvent.Said(position, position, room, node, nick, detail, ts,
                        ref.isEmpty() ? null : ref.substring(1), notice);
            }
            case "JOIN" -> new RoomEvent.Joined(position, room, node, nick, ts, detail.equals("@"));
            case "PART" -> {
                String message = f.getOrDefault("f", "");
                yield new RoomEvent.Parted(position, room, node, nick, detail, message.isEmpty() ? null : message, ts);
            }
            case "NICK" -> new RoomEvent.Renamed(position, room, node, nick, detail, ts);
            case "TOPIC" -> new RoomEvent.TopicSet(position, room, node, nick, detail, ts);
            case "MODE" -> new RoomEvent.ModesChanged(position, room, node, nick, detail, ts);
            case "KICK" -> {
                int cut = detail.indexOf('\n');
                yield new RoomEvent.Kicked(position, room, node, nick, cut < 0 ? detail : detail.substring(0, cut),
                        cut < 0 ? "" : detail.substring(cut + 1), ts);
            }
            case "INVITE" -> new RoomEvent.Invited(position, room, node, nick, detail, ts);
            default -> null;
        };
    }
}
