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
     * A text is 1 to 4000 Unicode code points, with no control characters (U+0000 to U+001F,
     * U+007F to U+009F) except tab, and no unpaired surrogates (valid UTF-8 cannot carry one,
     * but a JSON escape of a UTF-16 code unit can).
     */
    public static boolean isValidText(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        int codePoints = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c) || (Character.isISOControl(c) && c != '\t')) {
                return false;
            }
            if (++codePoints > MAX_TEXT_CODE_POINTS) {
                return false;
            }
        }
        return true;
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
