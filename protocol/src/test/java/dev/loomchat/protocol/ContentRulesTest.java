package dev.loomchat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "Alice_99", "[bot]", "x-y", "_", "`quote`", "a\\b", "{x}|^", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void validNicks(String nick) {
        assertTrue(ContentRules.isValidNick(nick), nick);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9lives", "-dash", "has space", "é", "a.b", "#room", "a@b", "tab\t", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void invalidNicks(String nick) {
        assertFalse(ContentRules.isValidNick(nick), nick);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#a", "#general", "#Java-21", "#a.b_c", "#9", "#rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"})
    void validRooms(String room) {
        assertTrue(ContentRules.isValidRoom(room), room);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "#", "general", "##a", "#a b", "#é", "#a,b", "#rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"})
    void invalidRooms(String room) {
        assertFalse(ContentRules.isValidRoom(room), room);
    }

    @Test
    void lengthLimitsAreExact() {
        assertTrue(ContentRules.isValidNick("A".repeat(ContentRules.MAX_NICK_LENGTH)));
        assertFalse(ContentRules.isValidNick("A".repeat(ContentRules.MAX_NICK_LENGTH + 1)));
        assertTrue(ContentRules.isValidRoom("#" + "r".repeat(ContentRules.MAX_ROOM_LENGTH - 1)));
        assertFalse(ContentRules.isValidRoom("#" + "r".repeat(ContentRules.MAX_ROOM_LENGTH)));
    }

    @Test
    void nullIsNeverValid() {
        assertFalse(ContentRules.isValidNick(null));
        assertFalse(ContentRules.isValidRoom(null));
        assertFalse(ContentRules.isValidText(null));
    }

    @Test
    void textLengthCountsCodePoints() {
        assertTrue(ContentRules.isValidText("x"));
        assertTrue(ContentRules.isValidText("x".repeat(4000)));
        assertFalse(ContentRules.isValidText("x".repeat(4001)));
        assertFalse(ContentRules.isValidText(""));
        // 4000 emoji are 8000 UTF-16 units but 4000 code points.
        assertTrue(ContentRules.isValidText("😀".repeat(4000)));
        assertFalse(ContentRules.isValidText("😀".repeat(4001)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "cr\r", "nul\u0000", "bell\u0007", "del\u007f", "c1\u0085",
            "vt\u000b", "ff\u000c", "esc\u001b[31m", "c1 end\u009f",
            "lone \ud800 high", "lone \udc00 low", "end high \ud83d"})
    void invalidTexts(String text) {
        assertFalse(ContentRules.isValidText(text), text);
    }

    /** A text is one line: no line break of any kind, Unicode's own separators included. */
    @ParameterizedTest
    @ValueSource(strings = {"line\u2028separator", "paragraph\u2029separator", "next line\u0085"})
    void lineBreaksOfAnyKindAreInvalid(String text) {
        assertFalse(ContentRules.isValidText(text), text);
    }

    @ParameterizedTest
    @ValueSource(ints = {0xFFFF, 0xFFFE, 0xFDD0, 0xFDEF, 0x1FFFE, 0x1FFFF, 0x10FFFF})
    void noncharactersAreInvalid(int codePoint) {
        assertFalse(ContentRules.isValidText("x" + Character.toString(codePoint) + "y"), Integer.toHexString(codePoint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tab\tok", "é漢字", "😀 pair", "  spaces  ", "zero width\ufeffno-break space",
            "family \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "replacement \ufffd", "\ufdcf\ufdf0\ufffd",
            "last of plane 16 that is a character \udbff\udffd", "right-to-left \u202e mark", "nbsp\u00a0"})
    void validTexts(String text) {
        assertTrue(ContentRules.isValidText(text), text);
    }

    @Test
    void foldingIsAsciiCaseInsensitive() {
        assertEquals(ContentRules.fold("ALICE"), ContentRules.fold("alice"));
        assertEquals("#general", ContentRules.fold("#GeNeRaL"));
        assertEquals(ContentRules.fold("Ii"), "ii"); // Locale.ROOT: no Turkish dotless i
    }
}
