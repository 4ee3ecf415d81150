package dev.loomchat.protocol;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps PROTOCOL.md honest: every example frame in it decodes, every server example is exactly
 * what this library would send, and every message type and error code is documented.
 */
class ProtocolDocTest {

    /** Examples may end with "     # annotation", which is not part of the frame. */
    private static final Pattern ANNOTATION = Pattern.compile("\\s{3,}#.*$");

    private static List<String> lines;

    @BeforeAll
    static void readSpec() throws IOException {
        // Surefire runs in the module directory; the spec is at the repository root.
        Path spec = Path.of("..", "PROTOCOL.md");
        lines = Files.readAllLines(spec);
    }

    private static List<String> frames(String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                out.add(ANNOTATION.matcher(line.substring(prefix.length())).replaceFirst(""));
            }
        }
        return out;
    }

    @Test
    void everyClientExampleDecodes() {
        List<String> examples = frames("C: ");
        assertTrue(examples.size() >= 25, "only " + examples.size() + " client examples found");
        for (String example : examples) {
            assertInstanceOf(Decoded.Ok.class, Codec.CLIENT_TO_SERVER.decode(example), example);
        }
    }

    @Test
    void everyServerExampleIsExactlyWhatThisLibrarySends() {
        List<String> examples = frames("S: ");
        assertTrue(examples.size() >= 30, "only " + examples.size() + " server examples found");
        for (String example : examples) {
            if (!(Codec.SERVER_TO_CLIENT.decode(example) instanceof Decoded.Ok<ServerMessage>(ServerMessage m))) {
                throw new AssertionError("does not decode: " + example);
            }
            assertEquals(example, Frame.of(m).toString());
        }
    }

    @Test
    void malformedExamplesAreRejected() {
        List<String> examples = frames("C~ ");
        assertTrue(!examples.isEmpty());
        for (String example : examples) {
            assertInstanceOf(Decoded.Bad.class, Codec.CLIENT_TO_SERVER.decode(example), example);
        }
    }

    @Test
    void theErrorShownAfterAMalformedExampleIsTheOneThisLibrarySends() {
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("C~ ")) {
                continue;
            }
            String example = ANNOTATION.matcher(lines.get(i).substring(3)).replaceFirst("");
            String reply = ANNOTATION.matcher(lines.get(i + 1).substring(3)).replaceFirst("");
            var error = (Decoded.Bad<ClientMessage>) Codec.CLIENT_TO_SERVER.decode(example);
            assertEquals(reply, Frame.of(error.error().toMessage()).toString(), example);
            checked++;
        }
        assertTrue(checked > 0);
    }

    @Test
    void everyMessageTypeHasASection() {
        String spec = String.join("\n", lines);
        for (String type : Codec.CLIENT_TO_SERVER.typeNames()) {
            assertTrue(spec.contains("### `" + type + "`"), "no section for client " + type);
        }
        for (String type : Codec.SERVER_TO_CLIENT.typeNames()) {
            assertTrue(spec.contains("### `" + type + "`"), "no section for server " + type);
        }
    }

    @Test
    void everyErrorCodeIsInTheTable() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNKNOWN) {
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("| `" + code.wire() + "` |")),
                        "error code " + code.wire() + " missing from the table");
            }
        }
    }

    @Test
    void documentedDefaultsAreTheLibraryDefaults() {
        String welcome = frames("S: ").stream().filter(f -> f.startsWith("{\"type\":\"welcome\"")).findFirst()
                .orElseThrow();
        var decoded = (Decoded.Ok<ServerMessage>) Codec.SERVER_TO_CLIENT.decode(welcome);
        assertEquals(Limits.DEFAULTS, ((ServerMessage.Welcome) decoded.message()).limits());
        assertTrue(lines.stream().anyMatch(l -> l.contains("default port **" + Protocol.DEFAULT_PORT + "**")));
    }
}
