package dev.loomchat.protocol;

/**
 * Client-supplied strings quoted in {@code error} messages, made safe to show: cut to a bounded
 * number of code points (never inside a surrogate pair, so the message stays valid UTF-16 and
 * encodes to valid UTF-8), with control characters, line breaks and lone surrogates written as
 * {@code \}{@code uXXXX} escapes (so an echoed name cannot break a client's terminal or log line).
 * Stateless and thread-safe.
 */
public final class ErrorText {

    /** How much of a client's string an error message of this module quotes, in code points. */
    public static final int DEFAULT_MAX_CODE_POINTS = 64;

    private static final String ELLIPSIS = "...";

    private ErrorText() {
    }

    /**
     * {@code text} cut to at most {@code maxCodePoints} code points ({@code ...} marks a cut), with
     * every character that is not safe to print escaped as {@code \}{@code uXXXX}: C0 and C1
     * controls, DEL, U+2028 and U+2029, and unpaired surrogates.
     *
     * @throws IllegalArgumentException if {@code maxCodePoints} is negative
     */
    public static String clip(String text, int maxCodePoints) {
        return append(new StringBuilder(), text, maxCodePoints, false).toString();
    }

    /** {@link #clip(String, int)} in double quotes, with {@code "} and {@code \} escaped as in JSON. */
    public static String quote(String text, int maxCodePoints) {
        return append(new StringBuilder().append('"'), text, maxCodePoints, true).append('"').toString();
    }

    /** {@link #quote(String, int)} with {@link #DEFAULT_MAX_CODE_POINTS}. */
    public static String quote(String text) {
        return quote(text, DEFAULT_MAX_CODE_POINTS);
    }

    private static StringBuilder append(StringBuilder out, String text, int maxCodePoints, boolean quoting) {
        if (maxCodePoints < 0) {
            throw new IllegalArgumentException("maxCodePoints must not be negative: " + maxCodePoints);
        }
        int count = 0;
        for (int i = 0; i < text.length(); count++) {
            if (count == maxCodePoints) {
                return out.append(ELLIPSIS);
            }
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (needsEscape(c)) {
                out.append(String.format("\\u%04X", c));
            } else {
                if (quoting && (c == '"' || c == '\\')) {
                    out.append('\\');
                }
                out.appendCodePoint(c);
            }
        }
        return out;
    }

    private static boolean needsEscape(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || (c <= Character.MAX_VALUE && Character.isSurrogate((char) c));
    }
}
