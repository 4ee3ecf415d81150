package dev.loomchat.client;

import org.jline.reader.MaskingCallback;

/**
 * Keeps account passwords off the screen and out of the history in interactive mode: while a
 * password command ({@code /register}, {@code /password}, {@code /unregister}) is typed,
 * everything after its command word shows as {@code *} (one per character, so the cursor stays
 * where JLine expects it), and such a line is never added to the history (Up arrow). Other
 * lines are shown and kept as typed. Stateless and thread-safe.
 */
final class PasswordMasking implements MaskingCallback {

    static final PasswordMasking INSTANCE = new PasswordMasking();

    private PasswordMasking() {
    }

    @Override
    public String display(String line) {
        int visible = CommandParser.visiblePrefix(line);
        if (visible >= line.length()) {
            return line;
        }
        return line.substring(0, visible) + "*".repeat(line.length() - visible);
    }

    /** {@code null} (not kept) for a password command, else the line. */
    @Override
    public String history(String line) {
        return CommandParser.carriesPassword(line) ? null : line;
    }
}
