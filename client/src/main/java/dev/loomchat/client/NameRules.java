package dev.loomchat.client;

import dev.loomchat.protocol.ContentRules;

/**
 * The nick and room rules of PROTOCOL.md ({@link ContentRules}) as one-line messages, so that
 * {@code --nick 'bad nick'} and {@code /nick bad nick} say the same thing before anything is sent.
 */
final class NameRules {

    static final String NICK_RULES = "1-32 of A-Z a-z 0-9 _ - [ ] \\ ^ { } | `, not starting with a digit or -";
    static final String ROOM_RULES = "# and 1-49 of A-Z a-z 0-9 _ - .";

    private NameRules() {
    }

    /** What is wrong with {@code nick}, or null if it is a valid nick. */
    static String nickError(String nick) {
        return ContentRules.isValidNick(nick) ? null : "invalid nick '" + nick + "': " + NICK_RULES;
    }

    /** What is wrong with {@code room} (with its {@code #}), or null if it is a valid room name. */
    static String roomError(String room) {
        return ContentRules.isValidRoom(room) ? null : "invalid room '" + room + "': " + ROOM_RULES;
    }
}
