package dev.loomchat.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks and changes of a room's modes, without a server. */
class RoomModesTest {

    private static final Map<String, String> MEMBERS = Map.of("bob", "Bob", "ann", "ann");

    private final RoomModes modes = new RoomModes();

    private RoomModes.Checked check(String request) {
        return modes.check(request, nick -> MEMBERS.get(nick.toLowerCase()));
    }

    @Test
    void aNewRoomIsNoExternalAndTopicLocked() {
        assertEquals("+nt", modes.describe(true));
        assertFalse(modes.maySpeak("x", true));
        assertTrue(modes.maySpeak("x", false));
    }

    @Test
    void checkedChangesAreCanonicalSkipNoOpsAndApply() {
        RoomModes.Checked checked = check("-t+ok-n BOB sesame");
        assertEquals("+ok-tn Bob sesame", checked.applied());
        assertTrue(checked.errors().isEmpty());
        modes.apply(checked.applied());
        assertTrue(modes.isOp("bob"));
        assertEquals("+k sesame", modes.describe(true));
        assertEquals("+k *", modes.describe(false));
        assertEquals("", check("+o bob").applied()); // already
        assertEquals("-k *", check("-k").applied());
    }

    @Test
    void unknownLettersAndNonMembersAreRefusedTheRestApplies() {
        RoomModes.Checked checked = check("+xvo carl ann");
        assertEquals(List.of(new RoomModes.Refused(ErrorCode.UNKNOWN_MODE, "x"),
                new RoomModes.Refused(ErrorCode.USER_NOT_IN_ROOM, "carl")), checked.errors());
        assertEquals("+o ann", checked.applied());
    }

    @Test
    void joinsAreRefusedByBanInviteOnlyKeyAndLimitAndAnInvitationGetsPastAllButTheKey() {
        modes.apply("+bikl Ma*!*@* sesame 1");
        assertEquals(ErrorCode.BANNED, modes.refusal("MALLORY", "sesame", 0));
        assertEquals(ErrorCode.INVITE_ONLY, modes.refusal("carol", "sesame", 0));
        modes.invited("carol");
        assertEquals(ErrorCode.BAD_KEY, modes.refusal("carol", "wrong", 5));
        assertNull(modes.refusal("carol", "sesame", 5));
        modes.apply("-bi Ma*!*@*");
        assertEquals(ErrorCode.ROOM_FULL, modes.refusal("dave", "sesame", 1));
        assertNull(modes.refusal("dave", "sesame", 0));
    }

    @Test
    void moderatedRoomsLetOperatorsAndVoicedSpeakAndRenamesKeepTheirStatus() {
        modes.joined("ann", true);
        modes.apply("+mv bob");
        assertTrue(modes.maySpeak("ann", false));
        assertTrue(modes.maySpeak("bob", false));
        assertFalse(modes.maySpeak("carol", false));
        modes.renamed("ann", "anna");
        assertEquals("@", modes.prefix("ANNA", true));
        modes.left("bob");
        assertEquals("", modes.prefix("bob", true));
    }

    @Test
    void banMasksAreIrcGlobs() {
        assertTrue(BanList.matches("*!*@*", "bob!chat@loomchat"));
        assertTrue(BanList.matches("b?b!*", "bob!chat@loomchat"));
        assertFalse(BanList.matches("bo!*", "bob!chat@loomchat"));
        assertTrue(BanList.matches("*b*b*", "bob"));
    }
}
