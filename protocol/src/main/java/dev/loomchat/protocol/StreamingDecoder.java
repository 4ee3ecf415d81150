package dev.loomchat.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.sym.BinaryNameMatcher;
import tools.jackson.core.sym.PropertyNameMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The fast path of decoding: binds a well-formed line of a flat message type straight from
 * Jackson's streaming parser, without databind's polymorphic machinery. It decides only what it
 * is sure of: a valid flat message, or JSON its parser found malformed; for anything else (a
 * missing or ill-typed field, an unknown or nested type such as {@code welcome}, a duplicate
 * name, a nested value) it returns {@code null} and the {@link Codec} asks the mapper. That the
 * two paths agree on every line is what {@code StreamingCodecTest} checks, on the samples and on
 * random lines.
 *
 * <p>How: the values of every field name a handled type of this direction has are collected in
 * one pass (each name always has the same JSON type across the direction's records), whatever
 * the order of fields. Then the {@code type} picks the record, which takes the fields it has and
 * ignores the rest, as the mapper does with unknown properties. A field of the wrong JSON type
 * matters only if the record has it. Duplicate names are found here, not by Jackson (whose
 * check costs a hash set per line): a bit per known name, a list for the rare unknown ones. An
 * object or array anywhere in the line (only an unknown or ill-typed field can hold one) is left
 * to the mapper, whose parser checks duplicates inside it.
 *
 * <p>Thread-safe and stateless.
 *
 * @param <M> {@link ClientMessage} or {@link ServerMessage}
 */
final class StreamingDecoder<M extends Message> {

    /** The JSON type of a field's value. */
    enum Kind { STRING, INT, LONG, BOOLEAN }

    /** A direction's fields: their wire names (the enum constant in lower case) and kinds. */
    interface Field {
        int ordinal();

        Kind kind();

        String wireName();
    }

    /** Builds the record for {@code type} from the fields; {@code null} if this path does not handle it. */
    interface Binder<M> {
        M bind(String type, Values values);
    }

    /** Fields of client messages; every client record is flat. */
    enum ClientField implements Field {
        TYPE(Kind.STRING), REF(Kind.STRING), NICK(Kind.STRING), PASSWORD(Kind.STRING), CLIENT(Kind.STRING),
        PROTO(Kind.INT), ROOM(Kind.STRING), TEXT(Kind.STRING), TO(Kind.STRING), LIMIT(Kind.INT),
        BEFORE(Kind.LONG), AFTER(Kind.LONG), ACCOUNTPASSWORD(Kind.STRING, "accountPassword"),
        NEWACCOUNTPASSWORD(Kind.STRING, "newAccountPassword"), MESSAGE(Kind.STRING), NOTICE(Kind.BOOLEAN),
        REASON(Kind.STRING), MODES(Kind.STRING), KEY(Kind.STRING), ACCOUNT(Kind.STRING), ADDRESS(Kind.STRING),
        DURATION(Kind.LONG);

        private final Kind kind;
        private final String wireName;

        ClientField(Kind kind) {
            this(kind, null);
        }

        /** A field whose wire name is not the constant's name in lower case (camelCase). */
        ClientField(Kind kind, String wireName) {
            this.kind = kind;
            this.wireName = wireName == null ? name().toLowerCase(Locale.ROOT) : wireName;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public String wireName() {
            return wireName;
        }
    }

    /** Fields of the flat server messages; the nested ones (welcome, who, rooms, stats) go to the mapper. */
    enum ServerField implements Field {
        TYPE(Kind.STRING), REF(Kind.STRING), ID(Kind.LONG), TS(Kind.LONG), FROM(Kind.STRING), TEXT(Kind.STRING),
        ROOM(Kind.STRING), TO(Kind.STRING), REPLAY(Kind.BOOLEAN), NICK(Kind.STRING), OLD(Kind.STRING),
        REASON(Kind.STRING), COUNT(Kind.INT), CODE(Kind.STRING), MESSAGE(Kind.STRING), MORE(Kind.BOOLEAN),
        ACCOUNT(Kind.STRING), EVENT(Kind.STRING), NOTICE(Kind.BOOLEAN), MODES(Kind.STRING), BY(Kind.STRING);

        private final Kind kind;

        ServerField(Kind kind) {
            this.kind = kind;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final StreamingDecoder<ClientMessage> CLIENT = new StreamingDecoder<>(ClientField.values(),
            ClientField.TYPE, TypeNames.all(ClientMessage.class), StreamingDecoder::bindClient);

    static final StreamingDecoder<ServerMessage> SERVER = new StreamingDecoder<>(ServerField.values(),
            ServerField.TYPE, Set.of("message", "joined", "parted", "nick", "history", "ping", "pong", "error",
                    "shutdown", "bye", "account", "topic", "mode", "kicked", "invited", "killed"),
            StreamingDecoder::bindServer);

    /** A value of the wrong JSON type; compared by identity. */
    private static final Object WRONG_TYPE = new Object();

    /**
     * An explicit JSON {@code null}: the same as absent for a field of an object type, an error
     * for a primitive one ({@code "replay":null}), as the mapper has it.
     */
    private static final Object JSON_NULL = new Object();

    private final Field[] fields;
    private final int typeSlot;
    private final String[] handledTypes;
    private final Binder<M> binder;
    private final PropertyNameMatcher names;

    private StreamingDecoder(Field[] fields, Field type, Set<String> handledTypes, Binder<M> binder) {
        this.fields = fields.clone();
        this.typeSlot = type.ordinal();
        this.handledTypes = handledTypes.toArray(String[]::new);
        this.binder = binder;
        List<String> wireNames = new ArrayList<>();
        for (Field field : fields) {
            wireNames.add(field.wireName());
        }
        this.names = BinaryNameMatcher.construct(wireNames);
    }

    /**
     * What {@code bytes[offset, offset + length)} is, or {@code null} if this path cannot decide
     * (the line may still be a valid message of a type it leaves to the mapper). It decides
     * {@link Decoded.Ok} for a flat message, and {@code bad_json} for JSON that is malformed before
     * anything it leaves to the mapper: up to that point it has read the line exactly as the
     * mapper's parser does (the same parser, and no duplicate seen, since one ends this path), so
     * the error is the one that parser would report, and a bad line costs one parse and one
     * exception, not three. The bytes must be valid UTF-8 without NUL, as {@link Codec} checks
     * first.
     */
    Decoded<M> decode(byte[] bytes, int offset, int length) {
        try (JsonParser parser =
                     Json.STREAMING_FACTORY.createParser(ObjectReadContext.empty(), bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Object[] values = new Object[fields.length];
            int seen = 0; // a bit per slot
            List<String> unknownNames = null;
            while (true) {
                int slot = parser.nextNameMatch(names);
                if (slot < 0) {
                    if (slot == PropertyNameMatcher.MATCH_END_OBJECT) {
                        break;
                    }
                    if (slot != PropertyNameMatcher.MATCH_UNKNOWN_NAME) {
                        return null;
                    }
                    String name = parser.currentName();
                    if (unknownNames == null) {
                        unknownNames = new ArrayList<>(4);
                    } else if (unknownNames.contains(name)) {
                        return null; // a duplicate
                    }
                    unknownNames.add(name);
                    if (parser.nextToken().isStructStart()) {
                        return null;
                    }
                    continue;
                }
                if ((seen & (1 << slot)) != 0) {
                    return null; // a duplicate
                }
                seen |= 1 << slot;
                JsonToken token = parser.nextToken();
                if (token.isStructStart()) {
                    return null;
                }
                if (slot == typeSlot) {
                    String type = token == JsonToken.VALUE_STRING ? handledType(parser) : null;
                    if (type == null) {
                        return null; // not ours to decide: do not parse the rest twice
                    }
                    values[slot] = type;
                } else {
                    values[slot] = value(parser, token, fields[slot].kind());
                }
            }
            if (parser.nextToken() != null) {
                return new Decoded.Bad<>(new ProtocolError(ErrorCode.BAD_JSON,
                        JsonSyntax.trailing(parser.currentTokenLocation(), bytes, offset, length, true), null));
            }
            if (!(values[typeSlot] instanceof String type)) {
                return null; // no usable type: the mapper explains
            }
            M message = binder.bind(type, new Values(values));
            return message == null ? null : new Decoded.Ok<>(message);
        } catch (StreamReadException | StreamConstraintsException e) {
            return new Decoded.Bad<>(new ProtocolError(ErrorCode.BAD_JSON,
                    JsonSyntax.describe(e, bytes, offset, length), null));
        } catch (JacksonException | Fallback | IllegalArgumentException e) {
            // Ill-typed, missing, or a record invariant: the mapper decides and explains.
            return null;
        }
    }

    /**
     * The current string value if it is a type this path handles (the constant, so no string is
     * made per line), else {@code null}.
     */
    private String handledType(JsonParser parser) {
        char[] chars = parser.getStringCharacters();
        int offset = parser.getStringOffset();
        int length = parser.getStringLength();
        for (String type : handledTypes) {
            if (type.length() == length && matches(type, chars, offset)) {
                return type;
            }
        }
        return null;
    }

    private static boolean matches(String s, char[] chars, int offset) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** The current value as its kind's Java type, {@link #JSON_NULL} or {@link #WRONG_TYPE}. */
    private static Object value(JsonParser parser, JsonToken token, Kind kind) {
        if (token == JsonToken.VALUE_NULL) {
            return JSON_NULL;
        }
        Object value = switch (kind) {
            case STRING -> token == JsonToken.VALUE_STRING ? parser.getString() : null;
            case INT -> token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                    ? parser.getIntValue() : null;
            case LONG -> token == JsonToken.VALUE_NUMBER_INT && (parser.getNumberType() == JsonParser.NumberType.INT
                    || parser.getNumberType() == JsonParser.NumberType.LONG) ? parser.getLongValue() : null;
            case BOOLEAN -> token == JsonToken.VALUE_TRUE ? Boolean.TRUE
                    : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
        };
        return value == null ? WRONG_TYPE : value;
    }

    private static ClientMessage bindClient(String type, Values v) {
        String ref = v.optionalString(ClientField.REF);
        return switch (type) {
            case "hello" -> new ClientMessage.Hello(v.string(ClientField.NICK), v.optionalString(ClientField.PASSWORD),
                    v.optionalString(ClientField.CLIENT), v.optionalInt(ClientField.PROTO),
                    v.optionalString(ClientField.ACCOUNTPASSWORD), ref);
            case "join" -> new ClientMessage.Join(v.string(ClientField.ROOM), v.optionalString(ClientField.KEY), ref);
            case "part" -> new ClientMessage.Part(v.string(ClientField.ROOM), v.optionalString(ClientField.MESSAGE), ref);
            case "say" -> new ClientMessage.Say(v.string(ClientField.ROOM), v.string(ClientField.TEXT),
                    v.optionalBoolean(ClientField.NOTICE), ref);
            case "msg" -> new ClientMessage.Msg(v.string(ClientField.TO), v.string(ClientField.TEXT),
                    v.optionalBoolean(ClientField.NOTICE), ref);
            case "topic" -> new ClientMessage.Topic(v.string(ClientField.ROOM), v.optionalString(ClientField.TEXT), ref);
            case "kick" -> new ClientMessage.Kick(v.string(ClientField.ROOM), v.string(ClientField.NICK),
                    v.optionalString(ClientField.REASON), ref);
            case "mode" -> new ClientMessage.Mode(v.string(ClientField.ROOM), v.optionalString(ClientField.MODES), ref);
            case "invite" -> new ClientMessage.Invite(v.string(ClientField.ROOM), v.string(ClientField.NICK), ref);
            case "nick" -> new ClientMessage.Nick(v.string(ClientField.NICK), ref);
            case "who" -> new ClientMessage.Who(v.string(ClientField.ROOM), ref);
            case "rooms" -> new ClientMessage.Rooms(ref);
            case "history" -> new ClientMessage.History(v.string(ClientField.ROOM), v.optionalInt(ClientField.LIMIT),
                    v.optionalLong(ClientField.BEFORE), v.optionalLong(ClientField.AFTER), ref);
            case "ping" -> new ClientMessage.Ping(ref);
            case "pong" -> new ClientMessage.Pong(ref);
            case "stats" -> new ClientMessage.Stats(ref);
            case "quit" -> new ClientMessage.Quit(v.optionalString(ClientField.MESSAGE), ref);
            case "register" -> new ClientMessage.Register(v.string(ClientField.ACCOUNTPASSWORD),
                    v.optionalString(ClientField.NICK), ref);
            case "password" -> new ClientMessage.Password(v.string(ClientField.ACCOUNTPASSWORD),
                    v.string(ClientField.NEWACCOUNTPASSWORD), ref);
            case "unregister" -> new ClientMessage.Unregister(v.string(ClientField.ACCOUNTPASSWORD), ref);
            case "kill" -> new ClientMessage.Kill(v.string(ClientField.NICK), v.optionalString(ClientField.REASON), ref);
            case "ban" -> new ClientMessage.Ban(v.optionalString(ClientField.ACCOUNT),
                    v.optionalString(ClientField.ADDRESS), v.optionalLong(ClientField.DURATION),
                    v.optionalString(ClientField.REASON), ref);
            case "unban" -> new ClientMessage.Unban(v.optionalString(ClientField.ACCOUNT),
                    v.optionalString(ClientField.ADDRESS), ref);
            case "bans" -> new ClientMessage.Bans(ref);
            case "reset_password" -> new ClientMessage.ResetPassword(v.string(ClientField.ACCOUNT),
                    v.string(ClientField.NEWACCOUNTPASSWORD), ref);
            default -> null;
        };
    }

    private static ServerMessage bindServer(String type, Values v) {
        return switch (type) {
            case "message" -> new ServerMessage.ChatMessage(v.longValue(ServerField.ID), v.longValue(ServerField.TS),
                    v.string(ServerField.FROM), v.string(ServerField.TEXT), v.optionalString(ServerField.ROOM),
                    v.optionalString(ServerField.TO), v.optionalBoolean(ServerField.REPLAY),
                    v.optionalBoolean(ServerField.NOTICE), v.optionalString(ServerField.REF));
            case "joined" -> new ServerMessage.Joined(v.string(ServerField.ROOM), v.string(ServerField.NICK),
                    v.longValue(ServerField.TS), v.optionalString(ServerField.REF));
            case "parted" -> new ServerMessage.Parted(v.string(ServerField.ROOM), v.string(ServerField.NICK),
                    v.optionalString(ServerField.REASON), v.optionalString(ServerField.MESSAGE),
                    v.longValue(ServerField.TS), v.optionalString(ServerField.REF));
            case "nick" -> new ServerMessage.Nick(v.string(ServerField.OLD), v.string(ServerField.NICK),
                    v.longValue(ServerField.TS), v.optionalString(ServerField.REF));
            case "history" -> new ServerMessage.History(v.string(ServerField.ROOM), v.intValue(ServerField.COUNT),
                    v.optionalBoolean(ServerField.MORE), v.optionalString(ServerField.REF));
            case "ping" -> new ServerMessage.Ping();
            case "pong" -> new ServerMessage.Pong(v.optionalString(ServerField.REF));
            case "error" -> new ServerMessage.Error(ErrorCode.decode(v.string(ServerField.CODE)),
                    v.string(ServerField.MESSAGE), v.optionalString(ServerField.REF));
            case "shutdown" -> new ServerMessage.Shutdown(v.string(ServerField.MESSAGE));
            case "bye" -> new ServerMessage.Bye(v.optionalString(ServerField.REF));
            case "account" -> new ServerMessage.Account(v.string(ServerField.ACCOUNT), v.string(ServerField.EVENT),
                    v.optionalString(ServerField.REF));
            case "topic" -> new ServerMessage.Topic(v.string(ServerField.ROOM), v.string(ServerField.TEXT),
                    v.optionalString(ServerField.NICK), v.longValue(ServerField.TS), v.optionalString(ServerField.REF));
            case "mode" -> new ServerMessage.Mode(v.string(ServerField.ROOM), v.string(ServerField.MODES),
                    v.optionalString(ServerField.NICK), v.longValue(ServerField.TS), v.optionalString(ServerField.REF));
            case "kicked" -> new ServerMessage.Kicked(v.string(ServerField.ROOM), v.string(ServerField.NICK),
                    v.string(ServerField.BY), v.optionalString(ServerField.MESSAGE), v.longValue(ServerField.TS),
                    v.optionalString(ServerField.REF));
            case "invited" -> new ServerMessage.Invited(v.string(ServerField.ROOM), v.string(ServerField.NICK),
                    v.string(ServerField.BY), v.optionalString(ServerField.REF));
            case "killed" -> new ServerMessage.Killed(v.string(ServerField.NICK), v.string(ServerField.BY),
                    v.optionalString(ServerField.MESSAGE), v.optionalString(ServerField.REF));
            default -> null;
        };
    }

    /**
     * The collected values, read by the record that the type picked. A required field that is
     * absent or null, or any field of the record with the wrong JSON type, throws
     * {@link Fallback}: the mapper then rejects the line and says why.
     */
    static final class Values {
        private final Object[] values;

        private Values(Object[] values) {
            this.values = values;
        }

        String string(Field field) {
            return (String) required(field);
        }

        String optionalString(Field field) {
            return (String) optional(field);
        }

        Integer optionalInt(Field field) {
            return (Integer) optional(field);
        }

        Long optionalLong(Field field) {
            return (Long) optional(field);
        }

        int intValue(Field field) {
            return (Integer) required(field);
        }

        long longValue(Field field) {
            return (Long) required(field);
        }

        /** An optional primitive: absent is false, but an explicit null is an error. */
        boolean optionalBoolean(Field field) {
            Object value = values[field.ordinal()];
            if (value == WRONG_TYPE || value == JSON_NULL) {
                throw Fallback.INSTANCE;
            }
            return value == Boolean.TRUE;
        }

        private Object required(Field field) {
            Object value = optional(field);
            if (value == null) {
                throw Fallback.INSTANCE;
            }
            return value;
        }

        private Object optional(Field field) {
            Object value = values[field.ordinal()];
            if (value == WRONG_TYPE) {
                throw Fallback.INSTANCE;
            }
            return value == JSON_NULL ? null : value;
        }
    }

    /** "Let the mapper decide": thrown only inside {@link #decode}, so it carries no stack trace. */
    static final class Fallback extends RuntimeException {
        static final Fallback INSTANCE = new Fallback();

        private Fallback() {
            super("fallback", null, false, false);
        }
    }
}
