package dev.loomchat.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** At least one message of every type, with and without optional fields, and awkward strings. */
final class Samples {

    /** Every kind of character that needs care on the wire, within the length of a ref. */
    static final String NASTY_REF = "q\" b\\ n\n r\r t\t 0\u0000 ls\u2028 del\u007f é漢😀";

    static final String NASTY = "quote \" backslash \\ newline \n cr \r tab \t nul \u0000 "
            + "ls \u2028 ps \u2029 del \u007f é 漢字 😀 end";

    private Samples() {
    }

    static List<ClientMessage> client() {
        return List.of(
                new ClientMessage.Hello("alice"),
                new ClientMessage.Hello("bob", "s3cret", "loomchat-client/0.1", 1, "r1"),
                new ClientMessage.Hello("carol", null, null, null, null),
                new ClientMessage.Join("#general"),
                new ClientMessage.Join("#general", "j1"),
                new ClientMessage.Part("#general", "p1"),
                new ClientMessage.Say("#general", "hello, world"),
                new ClientMessage.Say("#general", NASTY, NASTY_REF),
                new ClientMessage.Msg("bob", "psst", "m1"),
                new ClientMessage.Nick("alice2", "n1"),
                new ClientMessage.Who("#general", "w1"),
                new ClientMessage.Rooms(),
                new ClientMessage.Rooms("rs1"),
                new ClientMessage.History("#general"),
                new ClientMessage.History("#general", 10, "h1"),
                new ClientMessage.History("#general", 50, 1042L, null, "h2"),
                new ClientMessage.History("#general", null, null, Long.MAX_VALUE, null),
                new ClientMessage.Ping(),
                new ClientMessage.Ping("p"),
                new ClientMessage.Pong(),
                new ClientMessage.Stats("s1"),
                new ClientMessage.Quit(),
                new ClientMessage.Quit("q1"),
                new ClientMessage.Hello("dave", null, null, null, "an account password", "r2"),
                new ClientMessage.Register("an account password", null, "a1"),
                new ClientMessage.Register("an account password", "Dave", null),
                new ClientMessage.Password("an account password", "a new password", "a2"),
                new ClientMessage.Unregister("an account password", "a3"),
                new ClientMessage.Quit("gone fishing", "q2"),
                new ClientMessage.Join("#general", "sesame", "j2"),
                new ClientMessage.Part("#general", "lunch", "p2"),
                new ClientMessage.Say("#general", "fyi", true, "s2"),
                new ClientMessage.Msg("bob", "fyi", true, null),
                new ClientMessage.Topic("#general", "release on friday", "t1"),
                new ClientMessage.Topic("#general", null, null),
                new ClientMessage.Kick("#general", "mallory", "spam", "k1"),
                new ClientMessage.Kick("#general", "mallory", null, null),
                new ClientMessage.Mode("#general", "+kl sesame 10", "m2"),
                new ClientMessage.Mode("#general", null, null),
                new ClientMessage.Invite("#general", "carol", "i1"),
                new ClientMessage.Kill("mallory", "spam", "k2"),
                new ClientMessage.Kill("mallory", null, null),
                new ClientMessage.Ban("mallory", null, 3600L, "spam", "b1"),
                new ClientMessage.Ban(null, "203.0.113.0/24", null, null, null),
                new ClientMessage.Unban("mallory", null, "u1"),
                new ClientMessage.Unban(null, "2001:db8::/32", null),
                new ClientMessage.Bans(),
                new ClientMessage.Bans("b2"),
                new ClientMessage.ResetPassword("dave", "a new password", "a4"));
    }

    static List<ServerMessage> server() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("connections", 12L);
        counters.put("messagesIn", 123_456_789_012L);
        counters.put("rooms", 0L);
        return List.of(
                new ServerMessage.Welcome("alice", "loomchat", "0.1.0", 1, Limits.DEFAULTS, "r1"),
                new ServerMessage.Welcome("bob", "srv", "9.9", 1,
                        new Limits(1, 2, 3, 4, 5, 6, 7, Integer.MAX_VALUE), null),
                ServerMessage.ChatMessage.toRoom(1, 1_700_000_000_000L, "alice", "#general", "hi"),
                ServerMessage.ChatMessage.toRoom(Long.MAX_VALUE, 0, "alice", "#general", NASTY).withRef("s1"),
                ServerMessage.ChatMessage.toNick(2, 1_700_000_000_001L, "alice", "bob", "psst").withRef("m1"),
                ServerMessage.ChatMessage.toRoom(3, 1_700_000_000_002L, "bob", "#general", "old").asReplay("j1"),
                ServerMessage.ChatMessage.toRoom(4, 1_700_000_000_003L, "bob", "#general", "old").asReplay(null),
                new ServerMessage.Joined("#general", "alice", 1_700_000_000_000L, "j1"),
                new ServerMessage.Joined("#general", "bob", 1_700_000_000_000L, null),
                new ServerMessage.Parted("#general", "bob", ServerMessage.Parted.REASON_SLOW_CONSUMER, 5L, null),
                new ServerMessage.Parted("#general", "alice", null, 5L, "p1"),
                new ServerMessage.Nick("alice", "alice2", 6L, "n1"),
                new ServerMessage.Who("#general", List.of("alice", "bob"), "w1"),
                new ServerMessage.Who("#empty", List.of(), null),
                new ServerMessage.Rooms(List.of(new RoomInfo("#general", 2), new RoomInfo("#x", 1)), "rs1"),
                new ServerMessage.Rooms(List.of(), null),
                new ServerMessage.History("#general", 2, "h1"),
                new ServerMessage.History("#general", 0, null),
                new ServerMessage.History("#general", 50, true, "h2"),
                new ServerMessage.Ping(),
                new ServerMessage.Pong("p"),
                new ServerMessage.Pong(null),
                new ServerMessage.Stats(counters, "s1"),
                new ServerMessage.Error(ErrorCode.NICK_IN_USE, "nick \"alice\" is in use", "r1"),
                new ServerMessage.Error(ErrorCode.SLOW_CONSUMER, "too slow", null),
                new ServerMessage.Shutdown("server shutting down"),
                new ServerMessage.Bye("q1"),
                new ServerMessage.Bye(null),
                new ServerMessage.Account("dave", ServerMessage.Account.REGISTERED, "a1"),
                new ServerMessage.Account("dave", ServerMessage.Account.DELETED, null),
                new ServerMessage.Parted("#general", "bob", ServerMessage.Parted.REASON_QUIT, "gone fishing", 7L, null),
                new ServerMessage.Who("#general", List.of("alice", "bob"), List.of("alice"), List.of("bob"), null),
                new ServerMessage.Topic("#general", "release on friday", "alice", 8L, null),
                new ServerMessage.Topic("#general", "", null, 0L, "t1"),
                new ServerMessage.Mode("#general", "+o bob", "alice", 9L, null),
                new ServerMessage.Mode("#general", "+ntk sesame", null, 0L, "m1"),
                new ServerMessage.Kicked("#general", "mallory", "alice", "spam", 10L, null),
                new ServerMessage.Kicked("#general", "mallory", "alice", null, 10L, "k1"),
                new ServerMessage.Invited("#general", "carol", "alice", "i1"),
                new ServerMessage.ChatMessage(11L, 11L, "bob", "fyi", "#general", null, false, true, null),
                new ServerMessage.Welcome("alice", "loomchat", "0.1.0", 1, Limits.DEFAULTS, true, "r2"),
                new ServerMessage.Parted("#general", "mallory", ServerMessage.Parted.REASON_KILL, "spam", 12L, null),
                new ServerMessage.Killed("mallory", "alice", "spam", "k2"),
                new ServerMessage.Killed("mallory", "alice", null, null),
                new ServerMessage.Bans(List.of(new BanInfo("mallory", null, "spam", "alice", 13L, 3_600_013L),
                        new BanInfo(null, "203.0.113.0/24", null, "alice", 14L, null)), null, "b2"),
                new ServerMessage.Bans(List.of(), null, null),
                new ServerMessage.Bans(List.of(new BanInfo("mallory", null, null, "alice", 13L, null)),
                        ServerMessage.Bans.ADDED, "b1"));
    }
}
