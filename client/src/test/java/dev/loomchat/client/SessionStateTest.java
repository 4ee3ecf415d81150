package dev.loomchat.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStateTest {

    @Test
    void roomsAreCaseInsensitiveAndKeepTheServersSpelling() {
        var state = new SessionState("alice");
        state.addRoom("#Java");
        state.addRoom("#java");
        assertEquals(List.of("#Java"), state.rooms());
        assertTrue(state.switchTo("#JAVA"));
        assertEquals("#Java", state.current());
        assertFalse(state.switchTo("#other"));
    }

    @Test
    void leavingTheCurrentRoomFallsBackToTheLastJoined() {
        var state = new SessionState("alice");
        state.addRoom("#a");
        state.addRoom("#b");
        state.addRoom("#c");
        state.switchTo("#b");
        assertFalse(state.removeRoom("#a"));
        assertEquals("#b", state.current());
        assertTrue(state.removeRoom("#b"));
        assertEquals("#c", state.current());
        assertTrue(state.removeRoom("#c"));
        assertNull(state.current());
    }

    @Test
    void ownNickIsCaseInsensitive() {
        var state = new SessionState("alice");
        assertTrue(state.isMe("ALICE"));
        state.nick("alice_");
        assertFalse(state.isMe("alice"));
    }
}
