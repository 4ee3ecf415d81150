package dev.loomchat.client;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Limits;
import dev.loomchat.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalFormatTest {

    private static final ZoneId ZONE = ZoneOffset.ofHours(2);
    /** 14:03 local time in ZONE. */
    private static final long TS = LocalDateTime.of(2025, 1, 2, 14, 3, 30).atZone(ZONE).toInstant().toEpochMilli();
    private static final FrameContext ALICE = FrameContext.of("alice");

    private final TerminalFormat plain = new TerminalFormat(false, ZONE);
    private final TerminalFormat color = new TerminalFormat(true, ZONE);

    private static ServerMessage.ChatMessage say(String from, String text) {
        return ServerMessage.ChatMessage.toRoom(7, TS, from, "#general", text);
    }

    @Test
    void roomMessagesShowTimeRoomAndNick() {
        assertEquals("14:03 #general <bob> hi all", plain.format(say("bob", "hi all"), ALICE, 0));
        assertEquals("14:03 #general * bob waves", plain.format(say("bob", "/me waves"), ALICE, 0));
    }

    @Test
    void privateMessagesSayYou() {
        assertEquals("14:03 [bob -> you] psst",
                plain.format(ServerMessage.ChatMessage.toNick(1, TS, "bob", "alice", "psst"), ALICE, 0));
        assertEquals("14:03 [you -> bob] hi",
                plain.format(ServerMessage.ChatMessage.toNick(1, TS, "Alice", "bob", "hi"), ALICE, 0));
    }

    @Test
    void presenceEvents() {
        assertEquals("14:03 #general --> bob joined", plain.format(new ServerMessage.Joined("#general", "bob", TS, null), ALICE, 0));
        assertEquals("14:03 #general --> you joined", plain.format(new ServerMessage.Joined("#general", "alice", TS, "2"), ALICE, 0));
        assertEquals("14:03 #general <-- bob left", plain.format(new ServerMessage.Parted("#general", "bob", "part", TS, null), ALICE, 0));
        assertEquals("14:03 #general <-- bob left (disconnect)",
                plain.format(new ServerMessage.Parted("#general", "bob", "disconnect", TS, null), ALICE, 0));
        assertEquals("14:03 -- bob is now bobby", plain.format(new ServerMessage.Nick("bob", "bobby", TS, null), ALICE, 0));
        assertEquals("14:03 -- you are now alice_", plain.format(new ServerMessage.Nick("alice", "alice_", TS, "3"), ALICE, 0));
    }

    @Test
    void repliesAndErrors() {
        assertEquals("14:03 #general -- 2 members: alice bob",
                plain.format(new ServerMessage.Who("#general", List.of("bob", "alice"), "4"), ALICE, TS));
        assertEquals("14:03 -- connected to loomchat 1.0 as alice",
                plain.format(new ServerMessage.Welcome("alice", "loomchat", "1.0", 1, Limits.DEFAULTS, "1"), ALICE, TS));
        assertEquals("14:03 !! not_in_room: you are not in #random",
                plain.format(new ServerMessage.Error(ErrorCode.NOT_IN_ROOM, "you are not in #random", "5"), ALICE, TS));
        assertEquals("14:03 !! server shutting down: bye all",
                plain.format(new ServerMessage.Shutdown("bye all"), ALICE, TS));
        assertNull(plain.format(new ServerMessage.Ping(), ALICE, TS));
    }

    @Test
    void historyTrailerOnlyWhenItSaysSomething() {
        assertNull(plain.format(new ServerMessage.History("#general", 0, "2"), new FrameContext("alice", false, true), TS));
        assertEquals("14:03 #general -- no history",
                plain.format(new ServerMessage.History("#general", 0, "9"), ALICE, TS));
        assertEquals("14:03 #general -- end of history (1 message)",
                plain.format(new ServerMessage.History("#general", 1, "9"), ALICE, TS));
    }

    @Test
    void aRejoinsTrailerCountsOnlyTheMessagesShown() {
        // Reconnected: the room's 3 messages were replayed, 2 of them already shown before the drop.
        assertEquals("14:03 #general -- end of history (1 message)",
                plain.format(new ServerMessage.History("#general", 3, "9"), new FrameContext("alice", false, true, 2), TS));
        // Nothing new: no line at all, rather than "end of history (2 messages)" after none.
        assertNull(plain.format(new ServerMessage.History("#general", 2, "9"), new FrameContext("alice", false, true, 2), TS));
    }

    @Test
    void replayIsTaggedWithoutColourAndFaintWithColour() {
        var replay = say("bob", "earlier").asReplay("2");
        assertEquals("14:03 #general [history] <bob> earlier", plain.format(replay, ALICE, 0));
        assertEquals("\u001b[2m14:03 #general <bob> earlier\u001b[0m", color.format(replay, ALICE, 0));
    }

    @Test
    void colourGivesEachNickItsColourAndDimsPresence() {
        String bob = "\u001b[" + NickColors.colorOf("bob") + "mbob\u001b[0m";
        assertEquals("\u001b[2m14:03\u001b[0m #general <" + bob + "> hi", color.format(say("bob", "hi"), ALICE, 0));
        assertEquals("\u001b[2m14:03 #general --> bob joined\u001b[0m",
                color.format(new ServerMessage.Joined("#general", "bob", TS, null), ALICE, 0));
        String error = color.format(new ServerMessage.Error(ErrorCode.BAD_TEXT, "empty", "1"), ALICE, TS);
        assertTrue(error.contains("\u001b[1;31m!! bad_text: empty\u001b[0m"), error);
    }

    @Test
    void withoutColourThereIsNoEscapeAtAll() {
        for (String line : List.of(
                plain.format(say("bob", "hi"), ALICE, 0),
                plain.format(new ServerMessage.Joined("#general", "bob", TS, null), ALICE, 0),
                plain.format(new ServerMessage.Error(ErrorCode.BAD_TEXT, "empty", "1"), ALICE, TS),
                plain.format(new Notice.ConnectionLost("reset", true), TS))) {
            assertTrue(line.indexOf('\u001b') < 0, line);
        }
    }

    @Test
    void networkTextCannotInjectEscapes() {
        assertEquals("14:03 #general <bob> ?[2Jgone", plain.format(say("bob", "\u001b[2Jgone"), ALICE, 0));
    }

    @Test
    void notices() {
        assertEquals("14:03 !! connection lost (reset), reconnecting\u2026",
                plain.format(new Notice.ConnectionLost("reset", true), TS));
        assertEquals("14:03 -- reconnected to 127.0.0.1:9999 as alice",
                plain.format(new Notice.Reconnected("alice", "127.0.0.1:9999", "alice"), TS));
        assertEquals("14:03 -- reconnected to 127.0.0.1:9999 as alice_ (alice is still taken; /nick alice to try again)",
                plain.format(new Notice.Reconnected("alice_", "127.0.0.1:9999", "alice"), TS));
        assertEquals("14:03 !! unknown command /x (try /help)",
                plain.format(new Notice.Error("unknown_command", "unknown command /x (try /help)"), TS));
        assertEquals("14:03 !! usage: /join #room", plain.format(new Notice.Error("usage", "/join #room"), TS));
        assertEquals("14:03 -- alice is still taken (most likely by the connection just lost); trying it for up to 30 s "
                + "after the drop, then alice_", plain.format(new Notice.NickTaken("alice", java.time.Duration.ofSeconds(30)), TS));
        assertEquals("14:03 #a -- now talking in #a", plain.format(new Notice.Switched("#a"), TS));
    }
}
