package dev.loomchat.server.door.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Formatting codes out, actions both ways, other CTCP dropped. */
class IrcTextTest {

    @Test
    void formattingIsTakenOutOfWhatIrcUsersSend() {
        assertEquals("bold italic under", IrcText.fromIrc("\u0002bold\u0002 \u001ditalic\u001d \u001funder\u000f"));
        assertEquals("red on blue, plain", IrcText.fromIrc("\u000304,12red on blue\u0003, plain"));
        assertEquals("hex", IrcText.fromIrc("\u0004ff0000hex"));
        assertEquals(",5 stays", IrcText.fromIrc("\u0003,5 stays"), "a comma without a colour before it is text");
        assertEquals("3 apples", IrcText.fromIrc("\u0003123 apples"), "a colour is at most two digits");
    }

    @Test
    void actionsBecomeSlashMeAndBack() {
        assertEquals("/me waves", IrcText.fromIrc("\u0001ACTION waves\u0001"));
        assertEquals("/me waves", IrcText.fromIrc("\u0001ACTION waves"), "a missing closing \\1 is common");
        assertEquals("\u0001ACTION waves\u0001", IrcText.toIrc("/me waves"));
        assertEquals("/me", IrcText.toIrc("/me"));
        assertNull(IrcText.fromIrc("\u0001VERSION\u0001"));
    }
}
