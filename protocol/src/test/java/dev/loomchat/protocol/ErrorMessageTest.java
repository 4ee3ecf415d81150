package dev.loomchat.protocol;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Error messages are for client authors: they never show the library underneath, they are
 * valid Unicode (a client that prints them must not choke on half a surrogate pair), they stay
 * short, and the errors about a line itself never carry a ref.
 */
class ErrorMessageTest {

    /** Words that only a Java library's internals would put in a message. */
    private static final List<String> INTERNALS = List.of("jackson", "feature", "redacted", "jsonnode", "tools.",
            "exception", "java.", "source:", "constraints", "mismatched", "token (");

    private static final Set<ErrorCode> NEVER_WITH_REF = Set.of(ErrorCode.BAD_ENCODING, ErrorCode.BAD_JSON,
            ErrorCode.NOT_OBJECT, ErrorCode.LINE_TOO_LONG, ErrorCode.EOF_MID_LINE);

    /** Lines chosen to reach every kind of error, each with a ref that must not come back where it should not. */
    private static final List<String> NASTY_LINES = List.of(
            "{\"type\":\"ping\",\"ref\":\"r\"", "{\"ref\":\"r\",\"type\":\"ping\"} x", "{\"ref\":\"r\",\"a\":1,\"a\":2}",
            "[{\"type\":\"ping\",\"ref\":\"r\"}]", "{\"ref\":\"r\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}",
            "{\"ref\":\"r\",\"n\":" + "1".repeat(1500) + "}", "{\"ref\":\"r\",\"n\":\"\\q\"}", "{\"ref\":\"r\",\"n\":NaN}",
            "{\"ref\":\"r\",\"n\":Infinity}", "{\"ref\":\"r\",\"n\":-Infinity}", "{\"ref\":\"r\",\"n\":1e}",
            "{\"ref\":\"r\",\"\\ud800\":1,\"\\ud800\":2}", "{\"type\":\"\\ud83d\",\"ref\":\"r\"}",
            "{\"type\":\"" + "\ud83d\ude00".repeat(100) + "\",\"ref\":\"r\"}",
            "{\"type\":\"x" + "\ud83d\ude00".repeat(40) + "\\ud83d\",\"ref\":\"r\"}",
            "{\"type\":\"\\u001b[31mred\",\"ref\":\"r\"}", "{\"type\":\"say\",\"room\":[],\"text\":1,\"ref\":\"r\"}",
            "{\"type\":\"message\",\"id\":1,\"ts\":1,\"from\":\"a\",\"text\":\"t\",\"ref\":\"r\"}",
            "{\"type\":\"stats\",\"counters\":{\"" + "\ud83d\ude00".repeat(70) + "\":\"x\"},\"ref\":\"r\"}",
            "{\"type\":\"stats\",\"counters\":{\"\\udc00\\n\":\"x\"},\"ref\":\"r\"}",
            "{\"type\":\"error\",\"code\":\"x\",\"message\":5,\"ref\":\"r\"}", "\ufeff\ufeff{\"type\":\"ping\"}",
            "{\"type\":\"ping\",\"ref\":\"r\"}\u0000", "{\"type\":\"" + "t".repeat(10_000) + "\"}", "{'ref':'r'}",
            "{\"ref\":\"r\",\"type\":\"ping\",}", "{\"ref\":\"r\"  \"type\":\"ping\"}", "{\"ref\":\"r\",\"type\" \"ping\"}",
            "{\"ref\":\"r\",\"type\":[1 2]}", "{\"ref\":\"r\",\"type\":[1}", "{\"ref\":\"r\",\"type\":\"ping\"}}",
            "{\"ref\":\"r\",\"type\":tru}", "{\"ref\":\"r\",\"type\":\"a\tb\"}", "{\"ref\":\"r\",\"type\":\"\\u12\"}",
            "\"just a string\"", "null", "-", "1 2", "{\"ref\":\"r\",\"n\":--1}", "{\"ref\":\"r\",\"n\":01}");

    @Test
    void chosenBadLinesGetCleanMessages() {
        for (String line : NASTY_LINES) {
            assertClean(Codec.CLIENT_TO_SERVER.decode(line), line);
            assertClean(Codec.SERVER_TO_CLIENT.decode(line), line);
        }
    }

    @TestFactory
    Stream<DynamicTest> randomBadLinesGetCleanMessages() {
        return Fuzz.cases(random -> {
            byte[] data = TestStreams.concat(Fuzz.stream(random, 40), lineOfEscapes(random));
            for (Codec<?> codec : List.of(Codec.CLIENT_TO_SERVER, Codec.SERVER_TO_CLIENT)) {
                var reader = new MessageReader<>(new ByteArrayInputStream(data), codec, 1 + random.nextInt(500));
                for (Decoded<?> decoded : readAll(reader)) {
                    assertClean(decoded, "seeded stream");
                }
            }
        });
    }

    @Test
    void errorsAboutTheLineItselfNeverCarryTheRef() throws IOException {
        String ref = "\"ref\":\"r\"";
        var lines = String.join("\n",
                "{" + ref + ",\"type\":\"ping\"",                 // bad_json: cut short
                "{" + ref + ",\"type\":\"ping\"} {}",             // bad_json: trailing data
                "{" + ref + ",\"type\":\"ping\",\"x\":1,\"x\":2}", // bad_json: duplicate (not the ref)
                "[{" + ref + ",\"type\":\"ping\"}]",              // not_object
                "{" + ref + ",\"type\":\"say\",\"text\":\"" + "x".repeat(200) + "\"}", // line_too_long
                "{" + ref + ",\"type\":\"ping\"}",                // fine
                "{" + ref + ",\"type\":\"say\",\"text\":\"\u00e9") // eof_mid_line
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withBadByte = TestStreams.concat(TestStreams.utf8("{" + ref + ",\"type\":\"say\",\"text\":\""),
                new byte[]{(byte) 0xC3, '"', '}', '\n'}, lines);
        var reader = new MessageReader<>(new ByteArrayInputStream(withBadByte), Codec.CLIENT_TO_SERVER, 120);
        List<Decoded<ClientMessage>> results = MessageReaderTest.readAll(reader);
        assertEquals("!bad_encoding !bad_json !bad_json !bad_json !not_object !line_too_long ping !eof_mid_line END",
                MessageReaderTest.codes(results));
        for (Decoded<ClientMessage> decoded : results) {
            if (decoded instanceof Decoded.Bad<ClientMessage>(ProtocolError error)) {
                assertNull(error.ref(), error.toString());
            }
        }
    }

    @Test
    void errorsAboutTheMessageCarryTheRef() {
        for (String line : List.of("{\"type\":\"fly\",\"ref\":\"r\"}", "{\"ref\":\"r\"}", "{\"type\":5,\"ref\":\"r\"}",
                "{\"type\":\"say\",\"room\":\"#a\",\"ref\":\"r\"}", "{\"type\":\"history\",\"room\":\"#a\",\"limit\":1.0,\"ref\":\"r\"}")) {
            assertEquals("r", CodecErrorTest.bad(Codec.CLIENT_TO_SERVER.decode(line)).ref(), line);
        }
    }

    // --- ErrorText ---

    @Test
    void clipCutsAtCodePointsNeverInsideAPair() {
        String emoji = "\ud83d\ude00";
        assertEquals(emoji.repeat(3) + "...", ErrorText.clip(emoji.repeat(5), 3));
        assertEquals("ab", ErrorText.clip("ab", 2));
        assertEquals("ab...", ErrorText.clip("abc", 2));
        assertEquals("...", ErrorText.clip("abc", 0));
        assertEquals("", ErrorText.clip("", 0));
        // The cut that split a pair at 40 UTF-16 units (issue 13): 39 letters, then an emoji.
        String name = "a".repeat(39) + emoji + "b";
        assertTrue(isValidUtf16(ErrorText.clip(name, 40)));
        assertEquals("a".repeat(39) + emoji + "...", ErrorText.clip(name, 40));
        assertThrows(IllegalArgumentException.class, () -> ErrorText.clip("a", -1));
    }

    @Test
    void clipEscapesWhatIsNotSafeToPrint() {
        assertEquals("a\\u001Bb\\u0000c\\u000A\\u2028\\u0085\\u007F", ErrorText.clip("a\u001bb\u0000c\n\u2028\u0085\u007f", 20));
        assertEquals("lone \\uD800 and \\uDC00", ErrorText.clip("lone \ud800 and \udc00", 30));
        assertEquals("tab\\u0009", ErrorText.clip("tab\t", 10));
        assertEquals("é漢😀 \ufeff", ErrorText.clip("é漢😀 \ufeff", 10));
    }

    @Test
    void quoteEscapesQuotesAndBackslashesToo() {
        assertEquals("\"say \\\"hi\\\" \\\\o/\"", ErrorText.quote("say \"hi\" \\o/"));
        assertEquals("\"\\\\u0041 stays as typed, \\u0007 is escaped\"",
                ErrorText.quote("\\u0041 stays as typed, \u0007 is escaped"));
        assertEquals("\"" + "x".repeat(64) + "...\"", ErrorText.quote("x".repeat(100)));
    }

    private static void assertClean(Decoded<?> decoded, String line) {
        if (!(decoded instanceof Decoded.Bad<?>(ProtocolError error))) {
            return;
        }
        String message = error.message();
        String lower = message.toLowerCase(Locale.ROOT);
        for (String word : INTERNALS) {
            assertFalse(lower.contains(word), () -> "'" + word + "' in " + error + " for " + clipped(line));
        }
        assertTrue(isValidUtf16(message), () -> "lone surrogate in " + error + " for " + clipped(line));
        assertTrue(message.codePoints().noneMatch(Character::isISOControl), () -> "control character in " + error);
        assertTrue(message.length() <= 300, () -> "too long: " + error);
        assertFalse(message.isBlank());
        if (NEVER_WITH_REF.contains(error.code())) {
            assertNull(error.ref(), () -> error + " for " + clipped(line));
        }
    }

    static boolean isValidUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A line of JSON escapes that can make lone surrogates and controls inside names and values. */
    private static byte[] lineOfEscapes(SplittableRandom random) {
        String[] pieces = {"\\ud800", "\\udfff", "\\u0000", "\\u001b", "\\n", "\\ud83d\\ude00", "\"", "\\\"", "a", "é"};
        var name = new StringBuilder();
        for (int i = random.nextInt(80); i > 0; i--) {
            name.append(pieces[random.nextInt(pieces.length)]);
        }
        String n = name.toString();
        String line = switch (random.nextInt(4)) {
            case 0 -> "{\"type\":\"" + n + "\",\"ref\":\"r\"}";
            case 1 -> "{\"type\":\"stats\",\"counters\":{\"" + n + "\":\"x\"}}";
            case 2 -> "{\"" + n + "\":1,\"" + n + "\":2}";
            default -> "{\"type\":\"ping\",\"x\":" + n + "}";
        };
        return TestStreams.utf8(line + "\n");
    }

    private static List<Decoded<?>> readAll(MessageReader<?> reader) throws IOException {
        return new ArrayList<>(MessageReaderTest.readAll(reader));
    }

    private static String clipped(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }
}
