package dev.loomchat.server.chat;

/** The length rules of an account password (PROTOCOL.md §9), counted in Unicode code points. */
public final class PasswordRules {

    /** Fewest characters: below this a password falls to a guess list whatever the hash costs. */
    public static final int MIN_LENGTH = 8;
    /** Most characters: bounds the work one hash request can ask for. */
    public static final int MAX_LENGTH = 256;

    private PasswordRules() {
    }

    /** Whether {@code password} may be an account's password. */
    public static boolean isValid(String password) {
        if (password == null) {
            return false;
        }
        int length = password.codePointCount(0, password.length());
        return length >= MIN_LENGTH && length <= MAX_LENGTH;
    }
}
