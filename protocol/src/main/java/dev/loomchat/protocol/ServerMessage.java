package dev.loomchat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message a server sends to a client: one record per wire {@code "type"}. Decode them with
 * {@link Codec#SERVER_TO_CLIENT}; encode with {@link Frame#of(Message)}.
 *
 * <p>{@code ref} is the {@link ClientMessage#ref()} of the request a frame answers, echoed only
 * on frames sent to the requester; {@code null} on everything else. Timestamps ({@code ts}) are
 * epoch milliseconds, UTC, set by the server. Unknown extra fields on input are ignored.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ServerMessage.Welcome.class),
        @JsonSubTypes.Type(ServerMessage.ChatMessage.class),
        @JsonSubTypes.Type(ServerMessage.Joined.class),
        @JsonSubTypes.Type(ServerMessage.Parted.class),
        @JsonSubTypes.Type(ServerMessage.Nick.class),
        @JsonSubTypes.Type(ServerMessage.Who.class),
        @JsonSubTypes.Type(ServerMessage.Rooms.class),
        @JsonSubTypes.Type(ServerMessage.History.class),
        @JsonSubTypes.Type(ServerMessage.Ping.class),
        @JsonSubTypes.Type(ServerMessage.Pong.class),
        @JsonSubTypes.Type(ServerMessage.Stats.class),
        @JsonSubTypes.Type(ServerMessage.Error.class),
        @JsonSubTypes.Type(ServerMessage.Shutdown.class),
        @JsonSubTypes.Type(ServerMessage.Bye.class),
        @JsonSubTypes.Type(ServerMessage.Account.class),
        @JsonSubTypes.Type(ServerMessage.Topic.class),
        @JsonSubTypes.Type(ServerMessage.Mode.class),
        @JsonSubTypes.Type(ServerMessage.Kicked.class),
        @JsonSubTypes.Type(ServerMessage.Invited.class),
        @JsonSubTypes.Type(ServerMessage.Killed.class),
        @JsonSubTypes.Type(ServerMessage.Bans.class),
})
public sealed interface ServerMessage extends Message {

    /** The ref of the request this frame answers, or {@code null}. */
    default String ref() {
        return null;
    }

    /**
     * {@code welcome}: the reply to a successful hello.
     *
     * @param nick    the nick the client now has
     * @param server  the server's name
     * @param version the server software version
     * @param proto   the protocol version in use ({@link Protocol#VERSION})
     * @param limits  the limits this server enforces
     * @param operator the client is a server operator (its account is one of the server's
     *                operators); omitted when false
     */
    @JsonTypeName("welcome")
    record Welcome(@Required String nick, @Required String server, @Required String version,
                   @Required int proto, @Required Limits limits,
                   @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean operator, String ref) implements ServerMessage {
        public Welcome {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(limits, "limits");
        }

        /** A welcome for a client that is not a server operator. */
        public Welcome(String nick, String server, String version, int proto, Limits limits, String ref) {
            this(nick, server, version, proto, limits, false, ref);
        }
    }

    /**
     * {@code message}: a chat message, to a room ({@code room} set) or private ({@code to} set);
     * exactly one of the two is present.
     *
     * @param id     unique per server and increasing in the order the server accepted messages
     * @param ts     when the server accepted it, epoch ms UTC
     * @param from   the sender's nick at that time (set by the server, never by the client)
     * @param text   the text
     * @param room   the room, for a room message
     * @param to     the recipient's nick, for a private message
     * @param replay true when this is a history replay rather than a live message; omitted when false
     * @param notice true for a notice (IRC's NOTICE); omitted when false, clients may show it as any message
     * @param ref    on the sender's own copy only: the ref of its say/msg; on a replay: the ref
     *               of the join/history that caused it
     */
    @JsonTypeName("message")
    record ChatMessage(@Required long id, @Required long ts, @Required String from, @Required String text,
                       String room, String to,
                       @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean replay,
                       @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean notice,
                       String ref) implements ServerMessage {
        /** @throws IllegalArgumentException unless exactly one of {@code room} and {@code to} is set */
        public ChatMessage {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(text, "text");
            if ((room == null) == (to == null)) {
                throw new IllegalArgumentException("exactly one of \"room\" and \"to\" must be set");
            }
        }

        /** A message that is not a notice (protocol 1 as first published). */
        public ChatMessage(long id, long ts, String from, String text, String room, String to, boolean replay,
                           String ref) {
            this(id, ts, from, text, room, to, replay, false, ref);
        }

        /** A live message to a room, without ref. */
        public static ChatMessage toRoom(long id, long ts, String from, String room, String text) {
            return new ChatMessage(id, ts, from, text, room, null, false, null);
        }

        /** A live private message to the nick {@code to}, without ref. */
        public static ChatMessage toNick(long id, long ts, String from, String to, String text) {
            return new ChatMessage(id, ts, from, text, null, to, false, null);
        }

        /** This message with {@code ref} set (the sender's copy). */
        public ChatMessage withRef(String ref) {
            return new ChatMessage(id, ts, from, text, room, to, replay, notice, ref);
        }

        /** This message marked as a notice, or not. */
        public ChatMessage asNotice(boolean isNotice) {
            return new ChatMessage(id, ts, from, text, room, to, replay, isNotice, ref);
        }

        /** This message marked as a history replay, with the ref of the request that replays it. */
        public ChatMessage asReplay(String ref) {
            return new ChatMessage(id, ts, from, text, room, to, true, notice, ref);
        }
    }

    /** {@code joined}: {@code nick} entered {@code room} (also sent to the joiner itself, with its ref). */
    @JsonTypeName("joined")
    record Joined(@Required String room, @Required String nick, @Required long ts, String ref)
            implements ServerMessage {
        public Joined {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(nick, "nick");
        }
    }

    /**
     * {@code parted}: {@code nick} left {@code room}.
     *
     * @param reason  why: one of the {@code REASON_*} constants (more may be added); may be absent
     * @param message the text the client gave with its part or quit (or a kick's reason); may be absent
     */
    @JsonTypeName("parted")
    record Parted(@Required String room, @Required String nick, String reason, String message, @Required long ts,
                  String ref) implements ServerMessage {
        /** The client sent {@code part}. */
        public static final String REASON_PART = "part";
        /** The client sent {@code quit}. */
        public static final String REASON_QUIT = "quit";
        /** The connection closed without quit (EOF, reset, error). */
        public static final String REASON_DISCONNECT = "disconnect";
        /** The server dropped the client for reading too slowly. */
        public static final String REASON_SLOW_CONSUMER = "slow_consumer";
        /** The server dropped the client for not answering keepalive pings. */
        public static final String REASON_IDLE_TIMEOUT = "idle_timeout";
        /** The server dropped the client for flooding. */
        public static final String REASON_EXCESS_FLOOD = "excess_flood";
        /** A room operator kicked the client ({@code message}: the reason). */
        public static final String REASON_KICK = "kick";
        /** A server operator killed the client ({@code message}: the reason). */
        public static final String REASON_KILL = "kill";
        /** A server ban disconnected the client ({@code message}: the ban's reason). */
        public static final String REASON_BAN = "ban";

        public Parted {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(nick, "nick");
        }

        /** A part without message text. */
        public Parted(String room, String nick, String reason, long ts, String ref) {
            this(room, nick, reason, null, ts, ref);
        }
    }

    /**
     * {@code nick}: the client known as {@code old} is now {@code nick}. Sent to that client
     * (with its ref) and once to every client sharing a room with it.
     */
    @JsonTypeName("nick")
    record Nick(@Required String old, @Required String nick, @Required long ts, String ref)
            implements ServerMessage {
        public Nick {
            Objects.requireNonNull(old, "old");
            Objects.requireNonNull(nick, "nick");
        }
    }

    /**
     * {@code who}: the nicks in {@code room}, in no particular order; {@code ops} and
     * {@code voiced} (omitted when empty) are those of them that are the room's operators and
     * voiced members.
     */
    @JsonTypeName("who")
    record Who(@Required String room, @Required List<String> nicks,
               @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> ops,
               @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> voiced, String ref) implements ServerMessage {
        /** @throws NullPointerException if the room, the list or a nick is null */
        public Who {
            Objects.requireNonNull(room, "room");
            nicks = List.copyOf(nicks);
            ops = ops == null ? List.of() : List.copyOf(ops);
            voiced = voiced == null ? List.of() : List.copyOf(voiced);
        }

        /** A list without operators or voices. */
        public Who(String room, List<String> nicks, String ref) {
            this(room, nicks, List.of(), List.of(), ref);
        }
    }

    /** {@code rooms}: the rooms that have members, with their member counts. */
    @JsonTypeName("rooms")
    record Rooms(@Required List<RoomInfo> rooms, String ref) implements ServerMessage {
        /** @throws NullPointerException if the list or an entry is null */
        public Rooms {
            rooms = List.copyOf(rooms);
        }
    }

    /**
     * {@code history}: ends a replay of {@code room}. The replayed messages precede it as
     * {@link ChatMessage} frames with {@code replay: true}, oldest first; {@code count} says how
     * many there were (0 if none). Sent after a join and in answer to a history request.
     * {@code more} (omitted when false) says the room has further messages in the direction of
     * the request (older ones for a join, a plain request or {@code before}; newer ones for
     * {@code after}): ask again from the last id replayed.
     *
     * <p>Why not one frame with an array: a full history (100 messages of up to 4000 characters)
     * can be larger than any sane line limit, while each message always fits in a line.
     */
    @JsonTypeName("history")
    record History(@Required String room, @Required int count,
                   @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean more, String ref) implements ServerMessage {
        public History {
            Objects.requireNonNull(room, "room");
        }

        /** A trailer without the {@code more} marker (nothing left beyond the replayed messages). */
        public History(String room, int count, String ref) {
            this(room, count, false, ref);
        }
    }

    /** {@code ping}: a server keepalive after client silence; answer with {@link ClientMessage.Pong}. */
    @JsonTypeName("ping")
    record Ping() implements ServerMessage {
    }

    /** {@code pong}: the answer to a client {@link ClientMessage.Ping}. */
    @JsonTypeName("pong")
    record Pong(String ref) implements ServerMessage {
    }

    /**
     * {@code stats}: the server's counters, name to value, in the server's order. Names are
     * documented in PROTOCOL.md; clients must tolerate others.
     */
    @JsonTypeName("stats")
    record Stats(@Required Map<String, Long> counters, String ref) implements ServerMessage {
        /** @throws NullPointerException if the map, a name or a value is null */
        public Stats {
            Map<String, Long> copy = new LinkedHashMap<>();
            counters.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "counter name"),
                    Objects.requireNonNull(value, "counter value")));
            counters = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * {@code error}: a request failed, or the server is about to close the connection. The
     * connection stays open unless PROTOCOL.md says the code closes it.
     *
     * @param code    what went wrong, stable
     * @param message human-readable detail, not stable
     */
    @JsonTypeName("error")
    record Error(@Required ErrorCode code, @Required String message, String ref) implements ServerMessage {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code shutdown}: the server is shutting down; it closes the connection after this. */
    @JsonTypeName("shutdown")
    record Shutdown(@Required String message) implements ServerMessage {
        public Shutdown {
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code bye}: the reply to quit; every earlier request has been processed, and the server closes. */
    @JsonTypeName("bye")
    record Bye(String ref) implements ServerMessage {
    }

    /**
     * {@code account}: the reply to {@code register}, {@code password} and {@code unregister}.
     *
     * @param account the account's name (the nick it owns, as registered)
     * @param event   {@value #REGISTERED}, {@value #PASSWORD_CHANGED}, {@value #DELETED}, or
     *                {@value #PASSWORD_RESET} (the reply to an operator's {@code reset_password})
     */
    @JsonTypeName("account")
    record Account(@Required String account, @Required String event, String ref) implements ServerMessage {
        public static final String REGISTERED = "registered";
        public static final String PASSWORD_CHANGED = "password_changed";
        public static final String DELETED = "deleted";
        public static final String PASSWORD_RESET = "password_reset";

        public Account {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * {@code topic}: the topic of {@code room}: when someone sets it (to every member), in answer
     * to a {@code topic} request, and to a joiner after its {@code joined} if a topic is set.
     *
     * @param text the topic, {@code ""} when none is set
     * @param nick who set it, absent when none is set
     * @param ts   when it was set (0 when none is set)
     */
    @JsonTypeName("topic")
    record Topic(@Required String room, @Required String text, String nick, @Required long ts, String ref)
            implements ServerMessage {
        public Topic {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code mode}: {@code nick} changed modes of {@code room} (to every member); or, in answer to
     * a {@code mode} request without changes, the room's modes ({@code nick} absent). The syntax is
     * IRC's: {@code "+o bob"}, {@code "+ntk secret"}, {@code "-l"}.
     */
    @JsonTypeName("mode")
    record Mode(@Required String room, @Required String modes, String nick, @Required long ts, String ref)
            implements ServerMessage {
        public Mode {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(modes, "modes");
        }
    }

    /**
     * {@code kicked}: {@code by}, an operator of {@code room}, took {@code nick} out of it, for
     * {@code message} (may be absent). Sent to every member, the kicked one included; to the kicked
     * client the room is then left.
     */
    @JsonTypeName("kicked")
    record Kicked(@Required String room, @Required String nick, @Required String by, String message,
                  @Required long ts, String ref) implements ServerMessage {
        public Kicked {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(by, "by");
        }
    }

    /**
     * {@code invited}: {@code by} invited {@code nick} into {@code room}: sent to the invited
     * client, and (with its ref) to the one who invited as the confirmation.
     */
    @JsonTypeName("invited")
    record Invited(@Required String room, @Required String nick, @Required String by, String ref)
            implements ServerMessage {
        public Invited {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(by, "by");
        }
    }

    /**
     * {@code killed}: the reply to a {@code kill}: {@code by} disconnected {@code nick} from the
     * server, for {@code message} (may be absent). The killed client itself gets an {@code error}
     * {@code killed}; the rooms it was in see it leave ({@code parted}, reason {@code kill}).
     */
    @JsonTypeName("killed")
    record Killed(@Required String nick, @Required String by, String message, String ref) implements ServerMessage {
        public Killed {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(by, "by");
        }
    }

    /**
     * {@code bans}: server bans. In answer to {@code bans}, every ban in force ({@code event}
     * absent); in answer to {@code ban}, the ban just added ({@code event} {@value #ADDED}); in
     * answer to {@code unban}, the ban just lifted ({@code event} {@value #REMOVED}).
     */
    @JsonTypeName("bans")
    record Bans(@Required List<BanInfo> bans, String event, String ref) implements ServerMessage {
        public static final String ADDED = "added";
        public static final String REMOVED = "removed";

        /** @throws NullPointerException if the list or an entry is null */
        public Bans {
            bans = List.copyOf(bans);
        }
    }
}
