package dev.loomchat.server.door.irc;

/**
 * Chat text between IRC and the core, whose text rules (PROTOCOL.md §9) allow no control
 * characters: IRC's formatting codes (bold, colours, …) are taken out of what IRC users send,
 * and a CTCP {@code ACTION} ({@code /me} in every IRC client) becomes the text {@code /me …},
 * which the console client shows as an action too; the other way round, such a text becomes a
 * CTCP {@code ACTION} again. Other CTCP requests ({@code VERSION}, {@code PING}, …) are not chat:
 * {@link #fromIrc} returns {@code null} for them.
 */
final class IrcText {

    static final char CTCP = '\u0001';
    private static final String ME = "/me ";

    private IrcText() {
    }

    /** The text an IRC user sent, as the core takes it; {@code null} for a CTCP other than ACTION. */
    static String fromIrc(String text) {
        if (!text.isEmpty() && text.charAt(0) == CTCP) {
            String body = text.substring(1, text.length() > 1 && text.endsWith("\u0001") ? text.length() - 1 : text.length());
            if (body.startsWith("ACTION ")) {
                return ME + stripFormatting(body.substring("ACTION ".length()));
            }
            return null;
        }
        return stripFormatting(text);
    }

    /** The core's text as an IRC client shows it: {@code /me waves} as a CTCP ACTION. */
    static String toIrc(String text) {
        if (text.startsWith(ME) && text.length() > ME.length()) {
            return CTCP + "ACTION " + text.substring(ME.length()) + CTCP;
        }
        return text;
    }

    /**
     * {@code text} without mIRC formatting: bold (^B), italics (^]), underline (^_),
     * strikethrough (^^), monospace (^Q), reverse (^V), reset (^O), colour (^C with up to two
     * digits, optionally a comma and two more) and hex colour (^D with six hex digits, optionally
     * a comma and six more).
     */
    static String stripFormatting(String text) {
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int skip = switch (c) {
                case '\u0002', '\u001d', '\u001f', '\u001e', '\u0011', '\u0016', '\u000f' -> 1;
                case '\u0003' -> 1 + colour(text, i + 1, 2, false);
                case '\u0004' -> 1 + colour(text, i + 1, 6, true);
                default -> 0;
            };
            if (skip == 0) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n).append(text, 0, i);
            }
            i += skip - 1;
        }
        return out == null ? text : out.toString();
    }

    /** The length of a colour code's arguments at {@code at}: {@code digits}[,{@code digits}]. */
    private static int colour(String text, int at, int digits, boolean hex) {
        int first = run(text, at, digits, hex);
        if (first == 0) {
            return 0;
        }
        int i = at + first;
        if (i < text.length() && text.charAt(i) == ',') {
            int second = run(text, i + 1, digits, hex);
            if (second > 0) {
                return first + 1 + second;
            }
        }
        return first;
    }

    private static int run(String text, int at, int max, boolean hex) {
        int i = 0;
        while (i < max && at + i < text.length()
                && (hex ? Character.digit(text.charAt(at + i), 16) >= 0 : isAsciiDigit(text.charAt(at + i)))) {
            i++;
        }
        return hex && i != max ? 0 : i;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
