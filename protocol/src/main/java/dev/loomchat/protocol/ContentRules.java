package dev.loomchat.protocol;

import java.util.Locale;

/**
 * The content rules of PROTOCOL.md ("Names and text"), for the server to enforce and a client to
 * check before sending. The codec does not apply them: a frame that breaks them is well-formed,
 * and the server answers it with {@code bad_nick}, {@code bad_room} or {@code bad_text}.
 * Stateless and thread-safe.
 */
public final class ContentRules {

    /** Longest nick, in characters (nicks are ASCII). */
    public static final int MAX_NICK_LENGTH = 32;
    /** Longest room name, in characters, the leading {@code #} included (names are ASCII). */
    public static final int MAX_ROOM_LENGTH = 50;
    /** Longest say/msg text, in Unicode code points. */
    public static final int MAX_TEXT_CODE_POINTS = 4000;

    private static final String NICK_SPECIALS = "_-[]\\^{}|`";

    private ContentRules() {
    }

    /**
     * A nick is 1 to 32 characters of {@code A-Z a-z 0-9 _ - [ ] \ ^ { } | `}, not starting with
     * a digit or {@code -}. Uniqueness is case-insensitive, see {@link #fold(String)}.
     */
    public static boolean isValidNick(String nick) {
        if (nick == null || nick.isEmpty() || nick.length() > MAX_NICK_LENGTH) {
            return false;
        }
        char first = nick.charAt(0);
        if (isDigit(first) || first == '-') {
            return false;
        }
        for (int i = 0; i < nick.length(); i++) {
            char c = nick.charAt(i);
            if (!isLetter(c) && !isDigit(c) && NICK_SPECIALS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A room name is {@code #} followed by 1 to 49 characters of {@code A-Z a-z 0-9 _ - .}.
     * Room names are case-insensitive, see {@link #fold(String)}.
     */
    public static boolean isValidRoom(String room) {
        if (room == null || room.length() < 2 || room.length() > MAX_ROOM_LENGTH || room.charAt(0) != '#') {
            return false;
        }
        for (int i = 1; i < room.length(); i++) {
            char c = room.charAt(i);
            if (!isLetter(c) && !isDigit(c) && c != '_' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * A text is 1 to 4000 Unicode code points that are all allowed in a line of text:
     * <ul>
     *   <li>no control characters (U+0000 to U+001F, U+007F to U+009F) except tab: this covers
     *       every line break of ASCII and Latin-1, U+000A to U+000D and U+0085 (NEL);</li>
     *   <li>no line or paragraph separator (U+2028, U+2029): a message is one line, here and on
     *       any other wire it is relayed to (an IRC line cannot hold a break either);</li>
     *   <li>no noncharacters (U+FDD0 to U+FDEF, and the last two code points of every plane:
     *       U+FFFE, U+FFFF, U+1FFFE, ...): they are reserved for a program's internal use and are
     *       never text;</li>
     *   <li>no unpaired surrogates (valid UTF-8 cannot carry one, but a JSON escape of a UTF-16
     *       code unit can).</li>
     * </ul>
     * Everything else is allowed, format characters included: U+FEFF inside a text is a
     * zero-width no-break space, and U+200D joins emoji sequences.
     */
    public static boolean isValidText(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        int codePoints = 0;
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            int codePoint;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                codePoint = Character.toCodePoint(c, text.charAt(i + 1));
                i += 2;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else {
                codePoint = c;
                i++;
            }
            if (!isAllowedInText(codePoint) || ++codePoints > MAX_TEXT_CODE_POINTS) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllowedInText(int codePoint) {
        if (codePoint < 0x20) {
            return codePoint == '\t';
        }
        return !(codePoint >= 0x7F && codePoint <= 0x9F)
                && codePoint != 0x2028 && codePoint != 0x2029
                && !(codePoint >= 0xFDD0 && codePoint <= 0xFDEF)
                && (codePoint & 0xFFFE) != 0xFFFE;
    }

    /**
     * The case-folded form of a nick or room name, under which two names are the same: ASCII
     * lower case ({@code "Alice"} and {@code "ALICE"} are one nick). Only meaningful for valid
     * names, which are ASCII.
     */
    public static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
