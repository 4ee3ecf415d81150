package dev.loomchat.client;

/**
 * ANSI SGR styling that is switched off as a whole: with {@code enabled == false} every method
 * returns its text unchanged, so formatters write one code path for colour and plain terminals.
 */
record Ansi(boolean enabled) {

    static final String RESET = "\u001b[0m";
    static final int BOLD = 1;
    static final int FAINT = 2;
    static final int RED = 31;
    static final int YELLOW = 33;

    /** {@code text} in the SGR style {@code codes} (e.g. {@code 1} bold, {@code 2} faint, {@code 31} red). */
    String style(String text, int... codes) {
        if (!enabled || codes.length == 0) {
            return text;
        }
        var sb = new StringBuilder("\u001b[");
        for (int i = 0; i < codes.length; i++) {
            if (i > 0) {
                sb.append(';');
            }
            sb.append(codes[i]);
        }
        return sb.append('m').append(text).append(RESET).toString();
    }

    /** {@code nick} in its {@link NickColors stable colour}. */
    String nick(String nick) {
        return style(nick, NickColors.colorOf(nick));
    }

    /**
     * {@code text} with every control character except tab replaced by {@code ?}: text from the
     * network must never move the cursor or change colours on the user's terminal.
     */
    static String sanitize(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                var sb = new StringBuilder(text.length());
                for (int j = 0; j < text.length(); j++) {
                    char d = text.charAt(j);
                    sb.append(Character.isISOControl(d) && d != '\t' ? '?' : d);
                }
                return sb.toString();
            }
        }
        return text;
    }
}
