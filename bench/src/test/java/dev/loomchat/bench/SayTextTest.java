package dev.loomchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The say text every room delivery is checked by: who sent it, its number, when. */
class SayTextTest {

    private static boolean parse(RoomScenario.SayText t, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return t.parse(b, 0, b.length);
    }

    @Test
    void readsBackWhatItWrites() {
        RoomScenario.SayText t = new RoomScenario.SayText();
        assertTrue(parse(t, RoomScenario.SayText.of(17, 42, -123_456_789L) + "xxxx\"}"));
        assertEquals(17, t.from);
        assertEquals(42, t.seq);
        assertEquals(-123_456_789L, t.sentAt);
    }

    @Test
    void refusesTextThatIsNotASay() {
        RoomScenario.SayText t = new RoomScenario.SayText();
        assertFalse(parse(t, "hello"));
        assertFalse(parse(t, "s1q2"));
        assertFalse(parse(t, "s1q2t3"));
        assertFalse(parse(t, "s1x2t3."));
    }
}
