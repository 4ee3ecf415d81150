package dev.loomchat.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stable {@code code} strings of {@code error} frames. The wire string ({@link #wire()}) never
 * changes once published; new codes may be added, so a client must treat a code it does not
 * know as a generic error (this library decodes such a code as {@link #UNKNOWN}).
 * PROTOCOL.md has the one-line meaning of each and whether the server closes the connection.
 */
public enum ErrorCode {
    // --- framing and decoding (produced by this module) ---
    /** The line is not well-formed JSON (or has trailing data after the object, or a NUL byte). */
    BAD_JSON("bad_json"),
    /** The line is not valid UTF-8. */
    BAD_ENCODING("bad_encoding"),
    /** The line is valid JSON but not a JSON object. */
    NOT_OBJECT("not_object"),
    /** The line is longer than the limit; it was discarded up to its newline. */
    LINE_TOO_LONG("line_too_long"),
    /** The stream ended in the middle of a line (no final newline). */
    EOF_MID_LINE("eof_mid_line"),
    /** The {@code type} is a string but not a message type of this direction. */
    UNKNOWN_TYPE("unknown_type"),
    /** A field is missing or has the wrong JSON type (the message names it), or {@code type} is missing. */
    BAD_REQUEST("bad_request"),

    // --- session (produced by the server) ---
    /** A request other than hello/ping/pong/quit arrived before a successful hello. */
    NOT_WELCOMED("not_welcomed"),
    /** A second hello on a connection that is already welcomed. */
    ALREADY_WELCOMED("already_welcomed"),
    /** The hello asked for a protocol version the server does not speak. */
    UNSUPPORTED_PROTO("unsupported_proto"),
    /** The server requires a password and the hello's was missing or wrong. */
    BAD_PASSWORD("bad_password"),
    /** The nick is taken (case-insensitively) by another connection. */
    NICK_IN_USE("nick_in_use"),
    /** The nick breaks the nick syntax rules. */
    BAD_NICK("bad_nick"),
    /** The room name breaks the room syntax rules. */
    BAD_ROOM("bad_room"),
    /** The text is empty, too long, or has control characters. */
    BAD_TEXT("bad_text"),
    /** The request names a room the client has not joined. */
    NOT_IN_ROOM("not_in_room"),
    /** A join for a room the client is already in. */
    ALREADY_IN_ROOM("already_in_room"),
    /** A join would exceed the per-client room limit. */
    TOO_MANY_ROOMS("too_many_rooms"),
    /** A private message or other request names a nick nobody has. */
    NO_SUCH_NICK("no_such_nick"),
    /** The client exceeded the message rate; the request was dropped. */
    RATE_LIMITED("rate_limited"),
    /** The client kept flooding past the rate limit; the server closes the connection. */
    EXCESS_FLOOD("excess_flood"),
    /** The server is at its connection limit; it closes the connection. */
    SERVER_FULL("server_full"),
    TOO_MANY_CONNECTIONS("too_many_connections"),
    /** The client did not read fast enough and its outbound queue overflowed; the server closes it. */
    SLOW_CONSUMER("slow_consumer"),
    /** Nothing arrived within the idle timeout after a keepalive ping; the server closes it. */
    IDLE_TIMEOUT("idle_timeout"),
    TLS_REQUIRED("tls_required"),
    // --- accounts ---
    /** The nick belongs to an account the client is not logged in to; or register of a nick that has one. */
    NICK_REGISTERED("nick_registered"),
    /** The account password (or the account name) was wrong. */
    BAD_CREDENTIALS("bad_credentials"),
    /** Too many failed logins for this account or from this address lately; try again later. */
    LOGIN_THROTTLED("login_throttled"),
    /** The server takes no guests ({@code --require-account}): hello must log in to an account. */
    ACCOUNT_REQUIRED("account_required"),
    /** A {@code password} or {@code unregister} from a client that is not logged in to an account. */
    NOT_LOGGED_IN("not_logged_in"),
    /** A new account password that is too short or too long. */
    WEAK_PASSWORD("weak_password"),
    /** The request cannot be served now (e.g. the server is shutting down, or stats are disabled). */
    UNAVAILABLE("unavailable"),
    /** A bug in the server (or an unexpected decoder failure); the request was not processed. */
    INTERNAL_ERROR("internal_error"),
    /** The request needs a room operator ({@code kick}, {@code mode} changes, {@code topic} on a {@code +t} room). */
    NOT_OPERATOR("not_operator"),
    /** The room bans this client ({@code +b}). */
    BANNED("banned"),
    /** The room is invite-only ({@code +i}) and nobody invited this client. */
    INVITE_ONLY("invite_only"),
    /** The room has a key ({@code +k}) and the join gave another or none. */
    BAD_KEY("bad_key"),
    /** The room is at its member limit ({@code +l}). */
    ROOM_FULL("room_full"),
    /** The room does not let this client speak ({@code +m} without voice, {@code +n} from outside). */
    CANNOT_SEND("cannot_send"),
    /** A {@code mode} request names a mode letter the server does not know. */
    UNKNOWN_MODE("unknown_mode"),
    /** The {@code kick} or {@code mode} target is not in the room. */
    USER_NOT_IN_ROOM("user_not_in_room"),
    /** The {@code invite} target is already in the room. */
    USER_IN_ROOM("user_in_room"),
    // --- server operators and bans ---
    /** The request needs a server operator ({@code kill}, {@code ban}, {@code unban}, {@code bans}, {@code reset_password}). */
    NO_PRIVILEGES("no_privileges"),
    /** A server operator killed this client (the message says who and why); the server closes the connection. */
    KILLED("killed"),
    /** The server bans this client's account or address (the message says why and until when); it closes the connection. */
    SERVER_BANNED("server_banned"),
    /** An {@code unban} names a ban the server does not have. */
    NO_SUCH_BAN("no_such_ban"),
    /** A {@code reset_password} names an account that does not exist. */
    NO_SUCH_ACCOUNT("no_such_account"),

    /**
     * Decoded from a code this library version does not know (a newer server). Never sent:
     * {@link #wire()} is {@code "unknown"} only so that the value can be printed.
     */
    UNKNOWN("unknown");

    private static final Map<String, ErrorCode> BY_WIRE = new HashMap<>();

    static {
        for (ErrorCode code : values()) {
            BY_WIRE.put(code.wire, code);
        }
    }

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The stable string sent as {@code "code"} on the wire, e.g. {@code "nick_in_use"}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The code whose wire string is {@code wire}, if this version knows it. */
    public static Optional<ErrorCode> fromWire(String wire) {
        return Optional.ofNullable(BY_WIRE.get(wire));
    }

    /**
     * Jackson's entry point: unknown strings map to {@link #UNKNOWN} (forward compatibility).
     * It takes any JSON value, not a String, because Jackson would quietly turn a number into a
     * string for a String parameter; the wire format says the code is a string.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ErrorCode decode(Object wire) {
        if (!(wire instanceof String string)) {
            throw new IllegalArgumentException("an error code must be a string");
        }
        return BY_WIRE.getOrDefault(string, UNKNOWN);
    }

    @Override
    public String toString() {
        return wire;
    }
}
