package dev.loomchat.server.chat;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.RoomEvent;
import java.util.List;

/**
 * The moderation requests, {@code topic}, {@code mode}, {@code kick} and {@code invite}, checked
 * against the room's {@link RoomModes} on the requester's node and published as room events, so
 * that every door and every node sees the same topic, operators and modes. Also the checks other
 * requests need: who may join ({@link RoomModes#refusal}) and who may speak.
 *
 * <p>Threading: called on the requesting connection's reader thread; reads a room's modes under
 * its lock, publishes without it (as every request does).
 */
final class RoomModeration {

    private final RoomBus bus;
    private final RoomDirectory rooms;
    private final NickRegistry nicks;

    RoomModeration(RoomBus bus, RoomDirectory rooms, NickRegistry nicks) {
        this.bus = bus;
        this.rooms = rooms;
        this.nicks = nicks;
    }

    /** Why the modes refuse a join, in words. */
    static String refusal(ErrorCode code, String room) {
        return switch (code) {
            case BANNED -> "you are banned from " + room;
            case INVITE_ONLY -> room + " is invite-only (+i)";
            case BAD_KEY -> room + " needs the right key (+k)";
            case ROOM_FULL -> room + " is full (+l)";
            default -> "cannot join " + room;
        };
    }

    /** Whether {@code session} may speak in {@code room} ({@code outsider}: it is not a member); replies if not. */
    boolean maySpeak(Session session, Room room, boolean outsider, String ref) {
        boolean may;
        room.lock().lock();
        try {
            may = room.modes().maySpeak(session.nick(), outsider);
        } finally {
            room.lock().unlock();
        }
        if (!may && outsider) {
            error(session, ErrorCode.NOT_IN_ROOM, "not in " + room.name(), ref); // +n, as before rooms had modes
        } else if (!may) {
            error(session, ErrorCode.CANNOT_SEND, "cannot send to " + room.name() + " (+m: moderated)", ref);
        }
        return may;
    }

    /** Whether {@code room} (null: not known here) is secret ({@code +s}): outsiders do not see it. */
    boolean secret(Room room) {
        if (room == null) {
            return false;
        }
        room.lock().lock();
        try {
            return room.modes().has('s');
        } finally {
            room.lock().unlock();
        }
    }

    void topic(Session session, Room room, ClientMessage.Topic request) {
        String ref = request.ref();
        String text = request.text();
        room.lock().lock();
        try {
            if (text == null) {
                session.send(room.topic(ref));
                return;
            }
            if (room.modes().has('t') && !op(session, room)) {
                error(session, ErrorCode.NOT_OPERATOR, room.name() + " is +t: only its operators set the topic", ref);
                return;
            }
        } finally {
            room.lock().unlock();
        }
        if (!text.isEmpty() && !ContentRules.isValidText(text)) {
            error(session, ErrorCode.BAD_TEXT, "a topic is text without control characters", ref);
            return;
        }
        if (text.codePointCount(0, text.length()) > RoomModes.TOPIC_LENGTH) {
            text = text.substring(0, text.offsetByCodePoints(0, RoomModes.TOPIC_LENGTH));
        }
        rooms.publish(room, new RoomEvent.TopicSet(0, room.name(), bus.nodeId(), session.nick(), text,
                System.currentTimeMillis()));
    }

    void mode(Session session, Room room, ClientMessage.Mode request) {
        String ref = request.ref();
        String wanted = request.modes() == null ? "" : request.modes().trim();
        RoomModes.Checked checked;
        room.lock().lock();
        try {
            RoomModes modes = room.modes();
            if (wanted.isEmpty()) {
                session.send(new ServerMessage.Mode(room.name(), modes.describe(true), null, 0, ref));
                return;
            }
            checked = modes.check(wanted, room::member);
            if (checked.listBans()) {
                List<String> bans = modes.bans();
                session.send(new ServerMessage.Mode(room.name(), "+" + "b".repeat(bans.size())
                        + (bans.isEmpty() ? "" : " " + String.join(" ", bans)), null, 0, ref));
            }
            boolean changes = !checked.applied().isEmpty() || !checked.errors().isEmpty();
            if (changes && !op(session, room)) {
                error(session, ErrorCode.NOT_OPERATOR, "only operators of " + room.name() + " change its modes", ref);
                return;
            }
        } finally {
            room.lock().unlock();
        }
        for (RoomModes.Refused refused : checked.errors()) {
            // The subject comes first in the message: the IRC door's 472 and 441 name it.
            error(session, refused.code(), refused.code() == ErrorCode.UNKNOWN_MODE
                    ? refused.subject() + " is an unknown mode" : refused.subject() + " is not in " + room.name(), ref);
        }
        if (!checked.applied().isEmpty()) {
            rooms.publish(room, new RoomEvent.ModesChanged(0, room.name(), bus.nodeId(), session.nick(),
                    checked.applied(), System.currentTimeMillis()));
        }
    }

    void kick(Session session, Room room, ClientMessage.Kick request) {
        String ref = request.ref();
        String target;
        room.lock().lock();
        try {
            if (!op(session, room)) {
                error(session, ErrorCode.NOT_OPERATOR, "only operators of " + room.name() + " kick", ref);
                return;
            }
            target = room.member(request.nick());
        } finally {
            room.lock().unlock();
        }
        if (target == null) {
            error(session, ErrorCode.USER_NOT_IN_ROOM, request.nick() + " is not in " + room.name(), ref);
            return;
        }
        String reason = request.reason() == null || !ContentRules.isValidText(request.reason()) ? ""
                : request.reason();
        long ts = System.currentTimeMillis();
        rooms.publish(room, new RoomEvent.Kicked(0, room.name(), bus.nodeId(), target, session.nick(), reason, ts));
        if (!session.rooms().containsKey(ContentRules.fold(room.name()))) {
            // A server operator from outside the room: the members' kicked does not reach it.
            session.send(new ServerMessage.Kicked(room.name(), target, session.nick(), reason.isEmpty() ? null : reason,
                    ts, ref));
        }
    }

    /** {@code room}: the room if the inviter is in it (an invitation elsewhere needs no record). */
    void invite(Session session, Room room, ClientMessage.Invite request) {
        String ref = request.ref();
        Session target = ContentRules.isValidNick(request.nick()) ? nicks.find(ContentRules.fold(request.nick())) : null;
        if (target == null || target.nick() == null) {
            error(session, ErrorCode.NO_SUCH_NICK, "no client is called " + request.nick(), ref);
            return;
        }
        room.lock().lock();
        try {
            if (room.member(target.nick()) != null) {
                error(session, ErrorCode.USER_IN_ROOM, target.nick() + " is already in " + room.name(), ref);
                return;
            }
            if (room.modes().has('i') && !op(session, room)) {
                error(session, ErrorCode.NOT_OPERATOR, room.name() + " is +i: only its operators invite", ref);
                return;
            }
        } finally {
            room.lock().unlock();
        }
        rooms.publish(room, new RoomEvent.Invited(0, room.name(), bus.nodeId(), target.nick(), session.nick(),
                System.currentTimeMillis()));
        target.send(new ServerMessage.Invited(room.name(), target.nick(), session.nick(), null));
        session.send(new ServerMessage.Invited(room.name(), target.nick(), session.nick(), ref));
    }

    /** Whether {@code session} has operator powers in {@code room}: its own operators', or a server operator's. Room lock held. */
    private static boolean op(Session session, Room room) {
        return session.operator() || room.modes().isOp(session.nick());
    }

    private static void error(Session session, ErrorCode code, String message, String ref) {
        session.send(new ServerMessage.Error(code, message, ref));
    }
}
