package dev.loomchat.client;

import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatCompleterTest {

    private final SessionState state = new SessionState("alice");
    private final ChatCompleter completer = new ChatCompleter(state);

    {
        state.addRoom("#java");
        state.sawRoom("#lobby");
        state.sawNicks(List.of("bob", "carol"));
    }

    private List<String> complete(String line) {
        var parsed = new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, parsed, candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void commands() {
        var names = complete("/");
        assertTrue(names.containsAll(List.of("/join", "/part", "/msg", "/me", "/nick", "/who", "/rooms", "/history",
                "/switch", "/quit", "/help")), names.toString());
    }

    @Test
    void roomsAfterRoomCommands() {
        assertEquals(List.of("#java"), complete("/switch "));
        assertEquals(List.of("#java"), complete("/part "));
        assertEquals(List.of("#java", "#lobby"), complete("/join "));
        assertEquals(List.of("#java", "#lobby"), complete("see #"));
    }

    @Test
    void nicksAfterMsgAndInText() {
        assertEquals(List.of("bob", "carol"), complete("/msg "));
        assertEquals(List.of("bob", "carol"), complete("hello "));
        assertEquals(List.of("bob", "carol"), complete("/me pokes "));
    }

    @Test
    void nickChangesAreFollowed() {
        state.renamedNick("bob", "bobby");
        assertEquals(List.of("bobby", "carol"), complete("/msg "));
    }
}
