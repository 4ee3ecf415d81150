package dev.loomchat.server.door.irc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One IRC line as a client sent it, parsed as the modern client protocol describes it:
 * {@code [@tags] [:source] COMMAND [params] [:trailing]}. Tags and source are ignored (a client
 * has no business naming a source; its tags are not relayed); the command is upper-cased.
 *
 * @param command the command, upper-case ({@code PRIVMSG}, {@code 001}, …); empty for a blank line
 * @param params  the parameters, the trailing one included, without its colon
 */
record IrcMessage(String command, List<String> params) {

    /** Most parameters kept (RFC 2812 allows 15); further ones are dropped, so a line of 1,000 costs nothing. */
    static final int MAX_PARAMS = 15;

    /** Parses one line (without its line ending). */
    static IrcMessage parse(String line) {
        int i = 0;
        int n = line.length();
        if (i < n && line.charAt(i) == '@') {
            i = skipWord(line, i);
        }
        i = skipSpaces(line, i);
        if (i < n && line.charAt(i) == ':') {
            i = skipSpaces(line, skipWord(line, i));
        }
        int end = skipWord(line, i);
        String command = line.substring(i, end).toUpperCase(Locale.ROOT);
        i = end;
        List<String> params = new ArrayList<>();
        while (true) {
            i = skipSpaces(line, i);
            if (i >= n || params.size() == MAX_PARAMS) {
                break;
            }
            if (line.charAt(i) == ':') {
                params.add(line.substring(i + 1));
                break;
            }
            end = skipWord(line, i);
            params.add(line.substring(i, end));
            i = end;
        }
        return new IrcMessage(command, List.copyOf(params));
    }

    /** Parameter {@code index}, or {@code null} if there are not that many. */
    String param(int index) {
        return index < params.size() ? params.get(index) : null;
    }

    /** Parameter {@code index} if present and not empty. */
    boolean has(int index) {
        return index < params.size() && !params.get(index).isEmpty();
    }

    private static int skipWord(String line, int i) {
        while (i < line.length() && line.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
