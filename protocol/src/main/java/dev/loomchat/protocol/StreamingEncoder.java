package dev.loomchat.protocol;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes every message with Jackson's streaming generator, field by field in record order with
 * {@code "type"} first, leaving out {@code null} fields and a false {@code replay}: byte for byte
 * what the mapper would write ({@code StreamingCodecTest} checks that on the samples and on
 * random messages), without its serializer lookup and property introspection per call.
 * Stateless; the generator belongs to the caller.
 */
final class StreamingEncoder {

    /** The wire type of each record, pre-encoded; a map lookup, faster than a {@code ClassValue}. */
    private static final Map<Class<?>, SerializableString> TYPE_NAMES = typeNames();

    private static final SerializableString TYPE = name("type");
    private static final SerializableString REF = name("ref");
    private static final SerializableString NICK = name("nick");
    private static final SerializableString PASSWORD = name("password");
    private static final SerializableString CLIENT = name("client");
    private static final SerializableString PROTO = name("proto");
    private static final SerializableString ROOM = name("room");
    private static final SerializableString TEXT = name("text");
    private static final SerializableString TO = name("to");
    private static final SerializableString LIMIT = name("limit");
    private static final SerializableString BEFORE = name("before");
    private static final SerializableString AFTER = name("after");
    private static final SerializableString MORE = name("more");
    private static final SerializableString SERVER = name("server");
    private static final SerializableString VERSION = name("version");
    private static final SerializableString LIMITS = name("limits");
    private static final SerializableString ID = name("id");
    private static final SerializableString TS = name("ts");
    private static final SerializableString FROM = name("from");
    private static final SerializableString REPLAY = name("replay");
    private static final SerializableString OLD = name("old");
    private static final SerializableString REASON = name("reason");
    private static final SerializableString NICKS = name("nicks");
    private static final SerializableString ROOMS = name("rooms");
    private static final SerializableString MEMBERS = name("members");
    private static final SerializableString COUNT = name("count");
    private static final SerializableString COUNTERS = name("counters");
    private static final SerializableString CODE = name("code");
    private static final SerializableString MESSAGE = name("message");
    private static final SerializableString ACCOUNT_PASSWORD = name("accountPassword");
    private static final SerializableString NEW_ACCOUNT_PASSWORD = name("newAccountPassword");
    private static final SerializableString ACCOUNT = name("account");
    private static final SerializableString EVENT = name("event");
    private static final SerializableString NOTICE = name("notice");
    private static final SerializableString MODES = name("modes");
    private static final SerializableString BY = name("by");
    private static final SerializableString KEY = name("key");
    private static final SerializableString OPS = name("ops");
    private static final SerializableString VOICED = name("voiced");
    private static final SerializableString ADDRESS = name("address");
    private static final SerializableString DURATION = name("duration");
    private static final SerializableString OPERATOR = name("operator");
    private static final SerializableString BANS = name("bans");
    private static final SerializableString EXPIRES = name("expires");

    private static final SerializableString MAX_LINE_BYTES = name("maxLineBytes");
    private static final SerializableString MAX_TEXT_CHARS = name("maxTextChars");
    private static final SerializableString MSG_RATE = name("msgRate");
    private static final SerializableString MSG_BURST = name("msgBurst");
    private static final SerializableString MAX_ROOMS = name("maxRooms");
    private static final SerializableString HISTORY_LENGTH = name("historyLength");
    private static final SerializableString IDLE_TIMEOUT_SECONDS = name("idleTimeoutSeconds");
    private static final SerializableString PING_TIMEOUT_SECONDS = name("pingTimeoutSeconds");
    private static final SerializableString MAX_REF_LENGTH = name("maxRefLength");
    private static final SerializableString OUTBOX_FRAMES = name("outboxFrames");
    private static final SerializableString OUTBOX_BYTES = name("outboxBytes");
    private static final SerializableString REPLAY_BYTES = name("replayBytes");

    private StreamingEncoder() {
    }

    /** Writes {@code message} as one JSON object (no newline). */
    static void write(JsonGenerator g, Message message) {
        g.writeStartObject();
        g.writeName(TYPE);
        g.writeString(TYPE_NAMES.get(message.getClass()));
        switch (message) {
            case ClientMessage m -> writeFields(g, m);
            case ServerMessage m -> writeFields(g, m);
        }
        // In every record that has a ref, it is the last component.
        switch (message) {
            case ClientMessage m -> string(g, REF, m.ref());
            case ServerMessage m -> string(g, REF, m.ref());
        }
        g.writeEndObject();
    }

    private static void writeFields(JsonGenerator g, ClientMessage message) {
        switch (message) {
            case ClientMessage.Hello m -> {
                string(g, NICK, m.nick());
                string(g, PASSWORD, m.password());
                string(g, CLIENT, m.client());
                integer(g, PROTO, m.proto());
                string(g, ACCOUNT_PASSWORD, m.accountPassword());
            }
            case ClientMessage.Join m -> {
                string(g, ROOM, m.room());
                string(g, KEY, m.key());
            }
            case ClientMessage.Part m -> {
                string(g, ROOM, m.room());
                string(g, MESSAGE, m.message());
            }
            case ClientMessage.Say m -> {
                string(g, ROOM, m.room());
                string(g, TEXT, m.text());
                flag(g, NOTICE, m.notice());
            }
            case ClientMessage.Msg m -> {
                string(g, TO, m.to());
                string(g, TEXT, m.text());
                flag(g, NOTICE, m.notice());
            }
            case ClientMessage.Topic m -> {
                string(g, ROOM, m.room());
                string(g, TEXT, m.text());
            }
            case ClientMessage.Kick m -> {
                string(g, ROOM, m.room());
                string(g, NICK, m.nick());
                string(g, REASON, m.reason());
            }
            case ClientMessage.Mode m -> {
                string(g, ROOM, m.room());
                string(g, MODES, m.modes());
            }
            case ClientMessage.Invite m -> {
                string(g, ROOM, m.room());
                string(g, NICK, m.nick());
            }
            case ClientMessage.Nick m -> string(g, NICK, m.nick());
            case ClientMessage.Who m -> string(g, ROOM, m.room());
            case ClientMessage.History m -> {
                string(g, ROOM, m.room());
                integer(g, LIMIT, m.limit());
                if (m.before() != null) {
                    number(g, BEFORE, m.before());
                }
                if (m.after() != null) {
                    number(g, AFTER, m.after());
                }
            }
            case ClientMessage.Rooms m -> {
            }
            case ClientMessage.Ping m -> {
            }
            case ClientMessage.Pong m -> {
            }
            case ClientMessage.Stats m -> {
            }
            case ClientMessage.Quit m -> string(g, MESSAGE, m.message());
            case ClientMessage.Register m -> {
                string(g, ACCOUNT_PASSWORD, m.accountPassword());
                string(g, NICK, m.nick());
            }
            case ClientMessage.Password m -> {
                string(g, ACCOUNT_PASSWORD, m.accountPassword());
                string(g, NEW_ACCOUNT_PASSWORD, m.newAccountPassword());
            }
            case ClientMessage.Unregister m -> string(g, ACCOUNT_PASSWORD, m.accountPassword());
            case ClientMessage.Kill m -> {
                string(g, NICK, m.nick());
                string(g, REASON, m.reason());
            }
            case ClientMessage.Ban m -> {
                string(g, ACCOUNT, m.account());
                string(g, ADDRESS, m.address());
                if (m.duration() != null) {
                    number(g, DURATION, m.duration());
                }
                string(g, REASON, m.reason());
            }
            case ClientMessage.Unban m -> {
                string(g, ACCOUNT, m.account());
                string(g, ADDRESS, m.address());
            }
            case ClientMessage.Bans m -> {
            }
            case ClientMessage.ResetPassword m -> {
                string(g, ACCOUNT, m.account());
                string(g, NEW_ACCOUNT_PASSWORD, m.newAccountPassword());
            }
        }
    }

    private static void writeFields(JsonGenerator g, ServerMessage message) {
        switch (message) {
            case ServerMessage.ChatMessage m -> {
                number(g, ID, m.id());
                number(g, TS, m.ts());
                string(g, FROM, m.from());
                string(g, TEXT, m.text());
                string(g, ROOM, m.room());
                string(g, TO, m.to());
                flag(g, REPLAY, m.replay());
                flag(g, NOTICE, m.notice());
            }
            case ServerMessage.Joined m -> {
                string(g, ROOM, m.room());
                string(g, NICK, m.nick());
                number(g, TS, m.ts());
            }
            case ServerMessage.Parted m -> {
                string(g, ROOM, m.room());
                string(g, NICK, m.nick());
                string(g, REASON, m.reason());
                string(g, MESSAGE, m.message());
                number(g, TS, m.ts());
            }
            case ServerMessage.Nick m -> {
                string(g, OLD, m.old());
                string(g, NICK, m.nick());
                number(g, TS, m.ts());
            }
            case ServerMessage.History m -> {
                string(g, ROOM, m.room());
                number(g, COUNT, m.count());
                if (m.more()) {
                    g.writeName(MORE);
                    g.writeBoolean(true);
                }
            }
            case ServerMessage.Error m -> {
                string(g, CODE, m.code().wire());
                string(g, MESSAGE, m.message());
            }
            case ServerMessage.Shutdown m -> string(g, MESSAGE, m.message());
            case ServerMessage.Welcome m -> {
                string(g, NICK, m.nick());
                string(g, SERVER, m.server());
                string(g, VERSION, m.version());
                number(g, PROTO, m.proto());
                g.writeName(LIMITS);
                writeLimits(g, m.limits());
                flag(g, OPERATOR, m.operator());
            }
            case ServerMessage.Who m -> {
                string(g, ROOM, m.room());
                g.writeName(NICKS);
                writeStrings(g, m.nicks());
                if (!m.ops().isEmpty()) {
                    g.writeName(OPS);
                    writeStrings(g, m.ops());
                }
                if (!m.voiced().isEmpty()) {
                    g.writeName(VOICED);
                    writeStrings(g, m.voiced());
                }
            }
            case ServerMessage.Rooms m -> {
                g.writeName(ROOMS);
                g.writeStartArray();
                for (RoomInfo room : m.rooms()) {
                    g.writeStartObject();
                    string(g, ROOM, room.room());
                    number(g, MEMBERS, room.members());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            case ServerMessage.Stats m -> {
                g.writeName(COUNTERS);
                g.writeStartObject();
                for (Map.Entry<String, Long> counter : m.counters().entrySet()) {
                    g.writeName(counter.getKey());
                    g.writeNumber(counter.getValue());
                }
                g.writeEndObject();
            }
            case ServerMessage.Ping m -> {
            }
            case ServerMessage.Pong m -> {
            }
            case ServerMessage.Bye m -> {
            }
            case ServerMessage.Account m -> {
                string(g, ACCOUNT, m.account());
                string(g, EVENT, m.event());
            }
            case ServerMessage.Topic m -> {
                string(g, ROOM, m.room());
                string(g, TEXT, m.text());
                string(g, NICK, m.nick());
                number(g, TS, m.ts());
            }
            case ServerMessage.Mode m -> {
                string(g, ROOM, m.room());
                string(g, MODES, m.modes());
                string(g, NICK, m.nick());
                number(g, TS, m.ts());
            }
            case ServerMessage.Kicked m -> {
                string(g, ROOM, m.room());
                string(g, NICK, m.nick());
                string(g, BY, m.by());
                string(g, MESSAGE, m.message());
                number(g, TS, m.ts());
            }
            case ServerMessage.Invited m -> {
                string(g, ROOM, m.room());
                string(g, NICK, m.nick());
                string(g, BY, m.by());
            }
            case ServerMessage.Killed m -> {
                string(g, NICK, m.nick());
                string(g, BY, m.by());
                string(g, MESSAGE, m.message());
            }
            case ServerMessage.Bans m -> {
                g.writeName(BANS);
                g.writeStartArray();
                for (BanInfo ban : m.bans()) {
                    g.writeStartObject();
                    string(g, ACCOUNT, ban.account());
                    string(g, ADDRESS, ban.address());
                    string(g, REASON, ban.reason());
                    string(g, BY, ban.by());
                    number(g, TS, ban.ts());
                    if (ban.expires() != null) {
                        number(g, EXPIRES, ban.expires());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                string(g, EVENT, m.event());
            }
        }
    }

    private static void writeLimits(JsonGenerator g, Limits limits) {
        g.writeStartObject();
        number(g, MAX_LINE_BYTES, limits.maxLineBytes());
        number(g, MAX_TEXT_CHARS, limits.maxTextChars());
        number(g, MSG_RATE, limits.msgRate());
        number(g, MSG_BURST, limits.msgBurst());
        number(g, MAX_ROOMS, limits.maxRooms());
        number(g, HISTORY_LENGTH, limits.historyLength());
        number(g, IDLE_TIMEOUT_SECONDS, limits.idleTimeoutSeconds());
        number(g, PING_TIMEOUT_SECONDS, limits.pingTimeoutSeconds());
        number(g, MAX_REF_LENGTH, limits.maxRefLength());
        number(g, OUTBOX_FRAMES, limits.outboxFrames());
        number(g, OUTBOX_BYTES, limits.outboxBytes());
        number(g, REPLAY_BYTES, limits.replayBytes());
        g.writeEndObject();
    }

    private static void writeStrings(JsonGenerator g, List<String> values) {
        g.writeStartArray();
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    /** A string field, left out when {@code null}. */
    private static void string(JsonGenerator g, SerializableString name, String value) {
        if (value != null) {
            g.writeName(name);
            g.writeString(value);
        }
    }

    /** A boolean field, left out when false. */
    private static void flag(JsonGenerator g, SerializableString name, boolean value) {
        if (value) {
            g.writeName(name);
            g.writeBoolean(true);
        }
    }

    /** An optional integer field, left out when {@code null}. */
    private static void integer(JsonGenerator g, SerializableString name, Integer value) {
        if (value != null) {
            g.writeName(name);
            g.writeNumber(value.intValue());
        }
    }

    private static void number(JsonGenerator g, SerializableString name, long value) {
        g.writeName(name);
        g.writeNumber(value);
    }

    private static void number(JsonGenerator g, SerializableString name, int value) {
        g.writeName(name);
        g.writeNumber(value);
    }

    private static SerializableString name(String name) {
        return new SerializedString(name);
    }

    private static Map<Class<?>, SerializableString> typeNames() {
        Map<Class<?>, SerializableString> names = new HashMap<>();
        for (Class<?> direction : List.of(ClientMessage.class, ServerMessage.class)) {
            for (Class<?> type : direction.getPermittedSubclasses()) {
                names.put(type, name(TypeNames.of(type)));
            }
        }
        return Map.copyOf(names);
    }
}
