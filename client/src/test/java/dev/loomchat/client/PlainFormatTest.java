package dev.loomchat.client;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Limits;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.LinkedHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PlainFormatTest {

    private static final FrameContext ALICE = FrameContext.of("alice");

    private static String format(ServerMessage frame) {
        return PlainFormat.format(frame, ALICE);
    }

    @Test
    void everyServerFrame() {
        assertEquals("welcome alice", format(new ServerMessage.Welcome("alice", "loomchat", "1", 1, Limits.DEFAULTS, "1")));
        assertEquals("message #room bob: hi all",
                format(ServerMessage.ChatMessage.toRoom(1, 2, "bob", "#room", "hi all")));
        assertEquals("replay #room bob: earlier",
                format(ServerMessage.ChatMessage.toRoom(1, 2, "bob", "#room", "earlier").asReplay("2")));
        assertEquals("private alice -> bob: psst",
                format(ServerMessage.ChatMessage.toNick(1, 2, "alice", "bob", "psst")));
        assertEquals("message #room alice: /me waves",
                format(ServerMessage.ChatMessage.toRoom(1, 2, "alice", "#room", "/me waves")));
        assertEquals("joined #room bob", format(new ServerMessage.Joined("#room", "bob", 5, null)));
        assertEquals("parted #room bob (quit)", format(new ServerMessage.Parted("#room", "bob", "quit", 5, null)));
        assertEquals("parted #room bob", format(new ServerMessage.Parted("#room", "bob", null, 5, null)));
        assertEquals("nick alice -> alice_", format(new ServerMessage.Nick("alice", "alice_", 5, "3")));
        assertEquals("who #room alice Bob carol",
                format(new ServerMessage.Who("#room", List.of("carol", "alice", "Bob"), "4")));
        assertEquals("rooms #big:3 #small:1",
                format(new ServerMessage.Rooms(List.of(new RoomInfo("#big", 3), new RoomInfo("#small", 1)), "5")));
        assertEquals("rooms", format(new ServerMessage.Rooms(List.of(), "5")));
        assertEquals("history #room 3", format(new ServerMessage.History("#room", 3, "2")));
        assertEquals("error nick_in_use: nick \"bob\" is in use",
                format(new ServerMessage.Error(ErrorCode.NICK_IN_USE, "nick \"bob\" is in use", "1")));
        assertEquals("shutdown server going down", format(new ServerMessage.Shutdown("server going down")));
        assertEquals("bye", format(new ServerMessage.Bye("9")));
        var counters = new LinkedHashMap<String, Long>();
        counters.put("connections", 3L);
        counters.put("rooms", 1L);
        assertEquals("stats connections=3 rooms=1", format(new ServerMessage.Stats(counters, null)));
        assertNull(format(new ServerMessage.Ping()));
        assertNull(format(new ServerMessage.Pong("7")));
    }

    @Test
    void hiddenFramesPrintNothing() {
        var replay = ServerMessage.ChatMessage.toRoom(1, 2, "bob", "#room", "earlier").asReplay("2");
        assertNull(PlainFormat.format(replay, new FrameContext("alice", true, true)));
    }

    @Test
    void aRejoinsTrailerCountsTheReplayLinesPrinted() {
        assertEquals("history #room 1",
                PlainFormat.format(new ServerMessage.History("#room", 3, "9"), new FrameContext("alice", false, true, 2)));
        assertEquals("history #room 0",
                PlainFormat.format(new ServerMessage.History("#room", 2, "9"), new FrameContext("alice", false, true, 2)));
    }

    @Test
    void controlCharactersFromTheNetworkAreNeutralised() {
        assertEquals("message #room bob: a?[31mred\tb",
                format(ServerMessage.ChatMessage.toRoom(1, 2, "bob", "#room", "a\u001b[31mred\tb")));
    }

    @Test
    void notices() {
        assertEquals("error unknown_command: unknown command /x (try /help)",
                PlainFormat.format(new Notice.Error("unknown_command", "unknown command /x (try /help)")));
        assertEquals("connection lost, reconnecting", PlainFormat.format(new Notice.ConnectionLost("reset", true)));
        assertEquals("connection lost", PlainFormat.format(new Notice.ConnectionLost("reset", false)));
        assertEquals("reconnected alice_", PlainFormat.format(new Notice.Reconnected("alice_", "127.0.0.1:9999", "alice")));
        assertEquals("error usage: /join #room", PlainFormat.format(new Notice.Error("usage", "/join #room")));
        assertNull(PlainFormat.format(new Notice.NickTaken("alice", java.time.Duration.ofSeconds(30))));
        assertEquals("switched #a", PlainFormat.format(new Notice.Switched("#a")));
        assertEquals("some help", PlainFormat.format(new Notice.Info("some help")));
    }
}
