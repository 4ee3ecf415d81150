package dev.loomchat.client;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tab completion: command names for a first word starting with {@code /}; joined rooms after
 * {@code /part} and {@code /switch}; known rooms after {@code /join}, {@code /who},
 * {@code /history} and for any word starting with {@code #}; nicks after {@code /msg} and in
 * plain text; nothing for the passwords of {@code /register}, {@code /password} and
 * {@code /unregister}. Known nicks and rooms come from the {@link SessionState}. Thread-safe.
 */
final class ChatCompleter implements Completer {

    private static final Set<String> JOINED_ROOM_COMMANDS = Set.of("/part", "/leave", "/switch");
    private static final Set<String> ROOM_COMMANDS = Set.of("/join", "/who", "/names", "/history");
    private static final Set<String> NICK_COMMANDS = Set.of("/msg", "/query");

    private final SessionState state;

    ChatCompleter(SessionState state) {
        this.state = state;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        String word = line.word() == null ? "" : line.word();
        String first = words.isEmpty() ? "" : words.getFirst().toLowerCase(Locale.ROOT);
        if (index == 0 && word.startsWith("/")) {
            CommandParser.COMMANDS.forEach(spec -> candidates.add(
                    new Candidate(spec.name(), spec.name(), null, spec.description(), null, null, true)));
        } else if (CommandParser.PASSWORD_COMMANDS.contains(first)) {
            return; // a password is nobody's nick or room
        } else if (index == 1 && JOINED_ROOM_COMMANDS.contains(first)) {
            add(candidates, state.rooms());
        } else if ((index == 1 && ROOM_COMMANDS.contains(first)) || word.startsWith("#")) {
            add(candidates, state.knownRooms());
        } else if ((index == 1 && NICK_COMMANDS.contains(first)) || !first.startsWith("/") || index >= 2) {
            add(candidates, state.knownNicks());
        }
    }

    private static void add(List<Candidate> candidates, List<String> values) {
        values.forEach(value -> candidates.add(new Candidate(value)));
    }
}
