package dev.loomchat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.Objects;

/**
 * A message a client sends to a server: one record per wire {@code "type"}. Decode them with
 * {@link Codec#CLIENT_TO_SERVER}.
 *
 * <p>Every client message may carry an optional {@code ref}: a client-chosen string the server
 * echoes on the frames it sends in direct reply to that request (including an {@code error}),
 * so a client can match replies to requests. {@code null} means absent.
 *
 * <p>The records check only what the wire format requires (required fields present); content
 * rules such as nick syntax or text length are the server's job (see {@link ContentRules}).
 * Unknown extra fields on input are ignored, for forward compatibility.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ClientMessage.Hello.class),
        @JsonSubTypes.Type(ClientMessage.Join.class),
        @JsonSubTypes.Type(ClientMessage.Part.class),
        @JsonSubTypes.Type(ClientMessage.Say.class),
        @JsonSubTypes.Type(ClientMessage.Msg.class),
        @JsonSubTypes.Type(ClientMessage.Nick.class),
        @JsonSubTypes.Type(ClientMessage.Who.class),
        @JsonSubTypes.Type(ClientMessage.Rooms.class),
        @JsonSubTypes.Type(ClientMessage.History.class),
        @JsonSubTypes.Type(ClientMessage.Ping.class),
        @JsonSubTypes.Type(ClientMessage.Pong.class),
        @JsonSubTypes.Type(ClientMessage.Stats.class),
        @JsonSubTypes.Type(ClientMessage.Quit.class),
        @JsonSubTypes.Type(ClientMessage.Register.class),
        @JsonSubTypes.Type(ClientMessage.Password.class),
        @JsonSubTypes.Type(ClientMessage.Unregister.class),
        @JsonSubTypes.Type(ClientMessage.Topic.class),
        @JsonSubTypes.Type(ClientMessage.Kick.class),
        @JsonSubTypes.Type(ClientMessage.Mode.class),
        @JsonSubTypes.Type(ClientMessage.Invite.class),
        @JsonSubTypes.Type(ClientMessage.Kill.class),
        @JsonSubTypes.Type(ClientMessage.Ban.class),
        @JsonSubTypes.Type(ClientMessage.Unban.class),
        @JsonSubTypes.Type(ClientMessage.Bans.class),
        @JsonSubTypes.Type(ClientMessage.ResetPassword.class),
})
public sealed interface ClientMessage extends Message {

    /** The client's correlation string, or {@code null}. */
    String ref();

    /**
     * {@code hello}: the first request on a connection; asks for {@code nick}.
     *
     * @param nick            the wanted nick
     * @param password        the server password, if the server has one
     * @param client          free-form client software name and version, for logs
     * @param proto           the protocol version the client speaks ({@link Protocol#VERSION}); absent means 1
     * @param accountPassword the password of the account that owns {@code nick}: logs in to it
     * @param ref             correlation string
     */
    @JsonTypeName("hello")
    record Hello(@Required String nick, String password, String client, Integer proto, String accountPassword,
                 String ref) implements ClientMessage {
        public Hello {
            Objects.requireNonNull(nick, "nick");
        }

        /** A hello without an account login (a guest, or one logged in by the door, as IRC's SASL does). */
        public Hello(String nick, String password, String client, Integer proto, String ref) {
            this(nick, password, client, proto, null, ref);
        }

        /** A hello for {@code nick} speaking this library's protocol version. */
        public Hello(String nick) {
            this(nick, null, null, Protocol.VERSION, null, null);
        }
    }

    /** {@code join}: enter {@code room}, creating it if nobody is in it; {@code key}: the room's key if it is {@code +k}. */
    @JsonTypeName("join")
    record Join(@Required String room, String key, String ref) implements ClientMessage {
        public Join {
            Objects.requireNonNull(room, "room");
        }

        public Join(String room, String ref) {
            this(room, null, ref);
        }

        public Join(String room) {
            this(room, null);
        }
    }

    /** {@code part}: leave {@code room}; the others see {@code message} (optional) as the reason. */
    @JsonTypeName("part")
    record Part(@Required String room, String message, String ref) implements ClientMessage {
        public Part {
            Objects.requireNonNull(room, "room");
        }

        public Part(String room, String ref) {
            this(room, null, ref);
        }

        public Part(String room) {
            this(room, null, null);
        }
    }

    /**
     * {@code say}: send {@code text} to everyone in {@code room}; {@code notice} (optional) marks
     * it as a notice (IRC's NOTICE: never answered automatically).
     */
    @JsonTypeName("say")
    record Say(@Required String room, @Required String text,
               @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean notice, String ref) implements ClientMessage {
        public Say {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(text, "text");
        }

        public Say(String room, String text, String ref) {
            this(room, text, false, ref);
        }

        public Say(String room, String text) {
            this(room, text, null);
        }
    }

    /** {@code msg}: send {@code text} privately to the client whose nick is {@code to}. */
    @JsonTypeName("msg")
    record Msg(@Required String to, @Required String text,
               @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean notice, String ref) implements ClientMessage {
        public Msg {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(text, "text");
        }

        public Msg(String to, String text, String ref) {
            this(to, text, false, ref);
        }

        public Msg(String to, String text) {
            this(to, text, null);
        }
    }

    /** {@code nick}: change this client's nick to {@code nick}. */
    @JsonTypeName("nick")
    record Nick(@Required String nick, String ref) implements ClientMessage {
        public Nick {
            Objects.requireNonNull(nick, "nick");
        }

        public Nick(String nick) {
            this(nick, null);
        }
    }

    /** {@code who}: list the nicks in {@code room} (the client must be in it). */
    @JsonTypeName("who")
    record Who(@Required String room, String ref) implements ClientMessage {
        public Who {
            Objects.requireNonNull(room, "room");
        }

        public Who(String room) {
            this(room, null);
        }
    }

    /** {@code rooms}: list the rooms that have members, with their member counts. */
    @JsonTypeName("rooms")
    record Rooms(String ref) implements ClientMessage {
        public Rooms() {
            this(null);
        }
    }

    /**
     * {@code history}: replay messages of {@code room} (the client must be in it): the last
     * {@code limit}, or a page older than {@code before} (paging back), or newer than
     * {@code after} (catching up, oldest first). At most one of {@code before} and {@code after}.
     *
     * @param limit  how many, at least 1; absent means all the room remembers (at most the
     *               server's {@code historyLength} either way)
     * @param before a message id: the newest messages with a smaller id
     * @param after  a message id: the oldest messages with a greater id
     */
    @JsonTypeName("history")
    record History(@Required String room, Integer limit, Long before, Long after, String ref)
            implements ClientMessage {
        public History {
            Objects.requireNonNull(room, "room");
        }

        /** The last {@code limit} messages (protocol 1 as first published). */
        public History(String room, Integer limit, String ref) {
            this(room, limit, null, null, ref);
        }

        public History(String room) {
            this(room, null, null, null, null);
        }
    }

    /** {@code ping}: the server answers {@link ServerMessage.Pong} with the same ref. */
    @JsonTypeName("ping")
    record Ping(String ref) implements ClientMessage {
        public Ping() {
            this(null);
        }
    }

    /** {@code pong}: the answer to a server keepalive {@link ServerMessage.Ping}; no reply. */
    @JsonTypeName("pong")
    record Pong(String ref) implements ClientMessage {
        public Pong() {
            this(null);
        }
    }

    /** {@code stats}: ask for the server's counters ({@link ServerMessage.Stats}). */
    @JsonTypeName("stats")
    record Stats(String ref) implements ClientMessage {
        public Stats() {
            this(null);
        }
    }

    /** {@code quit}: leave; the server answers {@link ServerMessage.Bye} and closes. {@code message} (optional): the reason the others see. */
    @JsonTypeName("quit")
    record Quit(String message, String ref) implements ClientMessage {
        public Quit(String ref) {
            this(null, ref);
        }

        public Quit() {
            this(null, null);
        }
    }

    /**
     * {@code topic}: with {@code text}, set the topic of {@code room} ({@code ""} clears it);
     * without, ask for it (the answer is a {@link ServerMessage.Topic}).
     */
    @JsonTypeName("topic")
    record Topic(@Required String room, String text, String ref) implements ClientMessage {
        public Topic {
            Objects.requireNonNull(room, "room");
        }
    }

    /** {@code kick}: a room operator takes {@code nick} out of {@code room}, for {@code reason} (optional). */
    @JsonTypeName("kick")
    record Kick(@Required String room, @Required String nick, String reason, String ref) implements ClientMessage {
        public Kick {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(nick, "nick");
        }
    }

    /**
     * {@code mode}: with {@code modes} (IRC's syntax: {@code "+o bob"}, {@code "+k secret"},
     * {@code "-t"}, {@code "+b"}), change or list the modes of {@code room}; without, ask for them
     * (the answer is a {@link ServerMessage.Mode}).
     */
    @JsonTypeName("mode")
    record Mode(@Required String room, String modes, String ref) implements ClientMessage {
        public Mode {
            Objects.requireNonNull(room, "room");
        }
    }

    /** {@code invite}: a member of {@code room} invites {@code nick} (who may then join it even if it is {@code +i}). */
    @JsonTypeName("invite")
    record Invite(@Required String room, @Required String nick, String ref) implements ClientMessage {
        public Invite {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(nick, "nick");
        }
    }

    /**
     * {@code register}: makes an account that owns the nick {@code nick} (after {@code hello}:
     * the client's own nick, when {@code nick} is absent) with {@code accountPassword}.
     */
    @JsonTypeName("register")
    record Register(@Required String accountPassword, String nick, String ref) implements ClientMessage {
        public Register {
            Objects.requireNonNull(accountPassword, "accountPassword");
        }
    }

    /** {@code password}: changes the password of the account the client is logged in to. */
    @JsonTypeName("password")
    record Password(@Required String accountPassword, @Required String newAccountPassword, String ref)
            implements ClientMessage {
        public Password {
            Objects.requireNonNull(accountPassword, "accountPassword");
            Objects.requireNonNull(newAccountPassword, "newAccountPassword");
        }
    }

    /** {@code unregister}: deletes the account the client is logged in to; its nick is free for anyone then. */
    @JsonTypeName("unregister")
    record Unregister(@Required String accountPassword, String ref) implements ClientMessage {
        public Unregister {
            Objects.requireNonNull(accountPassword, "accountPassword");
        }
    }

    /** {@code kill}: a server operator disconnects the client {@code nick} from the server, for {@code reason} (optional). */
    @JsonTypeName("kill")
    record Kill(@Required String nick, String reason, String ref) implements ClientMessage {
        public Kill {
            Objects.requireNonNull(nick, "nick");
        }
    }

    /**
     * {@code ban}: a server operator bans an account or an address (exactly one of the two; the
     * server checks), for {@code duration} seconds (absent: until lifted), for {@code reason}
     * (optional). Current sessions it matches are disconnected.
     *
     * @param account  an account name (a nick)
     * @param address  an IP address or a CIDR network ({@code 203.0.113.7}, {@code 2001:db8::/32})
     * @param duration seconds the ban lasts, at least 1; absent: until an {@code unban}
     */
    @JsonTypeName("ban")
    record Ban(String account, String address, Long duration, String reason, String ref) implements ClientMessage {
    }

    /** {@code unban}: a server operator lifts the ban on {@code account} or on {@code address} (exactly one). */
    @JsonTypeName("unban")
    record Unban(String account, String address, String ref) implements ClientMessage {
    }

    /** {@code bans}: a server operator lists the bans in force ({@link ServerMessage.Bans}). */
    @JsonTypeName("bans")
    record Bans(String ref) implements ClientMessage {
        public Bans() {
            this(null);
        }
    }

    /** {@code reset_password}: a server operator sets the password of {@code account}, without knowing the old one. */
    @JsonTypeName("reset_password")
    record ResetPassword(@Required String account, @Required String newAccountPassword, String ref)
            implements ClientMessage {
        public ResetPassword {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(newAccountPassword, "newAccountPassword");
        }
    }
}
