package dev.loomchat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static dev.loomchat.protocol.TestStreams.concat;
import static dev.loomchat.protocol.TestStreams.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a line can be bad, and the distinct error each one gets. */
class CodecErrorTest {

    private static final Codec<ClientMessage> CLIENT = Codec.CLIENT_TO_SERVER;
    private static final Codec<ServerMessage> SERVER = Codec.SERVER_TO_CLIENT;

    static ProtocolError bad(Decoded<?> decoded) {
        if (decoded instanceof Decoded.Bad<?>(ProtocolError error)) {
            return error;
        }
        throw new AssertionError("expected a bad line, got " + decoded);
    }

    private static ProtocolError badClient(String json) {
        return bad(CLIENT.decode(json));
    }

    private static ProtocolError badServer(String json) {
        return bad(SERVER.decode(json));
    }

    private static void assertError(ErrorCode code, String messagePart, String ref, ProtocolError error) {
        assertEquals(code, error.code(), error.toString());
        assertTrue(error.message().contains(messagePart), () -> "'" + messagePart + "' not in " + error);
        assertEquals(ref, error.ref(), error.toString());
    }

    // --- encoding ---

    @ParameterizedTest
    @ValueSource(strings = {"FF", "80", "C0 AF", "C1 BF", "E0 80 AF", "ED A0 80", "ED BF BF", "F0 80 80 AF",
            "F4 90 80 80", "F5 80 80 80", "E2 82", "C3", "F0 9F 98"})
    void invalidUtf8IsBadEncoding(String hex) {
        byte[] line = concat(utf8("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"x"), hexBytes(hex), utf8("\",\"ref\":\"r\"}"));
        assertError(ErrorCode.BAD_ENCODING, "UTF-8", null, bad(CLIENT.decode(line)));
    }

    @Test
    void validMultiByteUtf8IsFine() {
        assertInstanceOf(Decoded.Ok.class, CLIENT.decode("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"é 漢 😀\"}"));
    }

    @Test
    void nulByteIsBadJson() {
        byte[] line = utf8("{\"type\":\"ping\",\"ref\":\"a\u0000b\"}");
        assertError(ErrorCode.BAD_JSON, "invalid JSON at column 24: raw NUL byte (write U+0000 in a string as \\u0000)",
                null, bad(CLIENT.decode(line)));
    }

    @Test
    void utf16IsNotAcceptedAsJson() {
        // Jackson would auto-detect UTF-16 from the zero bytes; the spec says UTF-8 only.
        byte[] line = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_16LE);
        assertEquals(ErrorCode.BAD_JSON, bad(CLIENT.decode(line)).code());
    }

    // --- JSON syntax ---

    static Stream<Arguments> malformedJson() {
        return Stream.of(
                Arguments.of("{\"type\":\"ping\"", "invalid JSON at column 15: the line ends before the JSON object is complete"),
                Arguments.of("{\"type\":\"pi", "invalid JSON at column 12: the line ends before the JSON string is complete"),
                Arguments.of("{type:\"ping\"}", "invalid JSON at column 2: unexpected character 't', expected a field name in double quotes"),
                Arguments.of("{\"type\":\"ping\",}", "invalid JSON at column 16: unexpected character '}', expected a field name in double quotes"),
                Arguments.of("{'type':'ping'}", "invalid JSON at column 2: unexpected character \"'\", expected a field name in double quotes"),
                Arguments.of("nonsense", "invalid JSON at column 1: unexpected \"nonsense\", expected a value"),
                Arguments.of("{\"type\":\"ping\"}}", "invalid JSON at column 16: unexpected '}' with nothing open to close"),
                Arguments.of("{\"type\":\"ping\"} {\"type\":\"ping\"}", "invalid JSON at column 17: trailing data after the JSON object"),
                Arguments.of("{\"type\":\"ping\"} x", "invalid JSON at column 17: unexpected \"x\", expected a value"),
                Arguments.of("[1] [2]", "invalid JSON at column 5: trailing data after the JSON value"),
                Arguments.of("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"tab\there\"}",
                        "invalid JSON at column 38: control character U+0009 in a string must be escaped"),
                Arguments.of("{\"type\":\"ping\",\"ref\":\"a\",\"ref\":\"b\"}", "duplicate field \"ref\""),
                Arguments.of("{\"type\":\"ping\",\"type\":\"pong\"}", "duplicate field \"type\""),
                Arguments.of("{\"type\":\"ping\",\"x\":{\"y\":1,\"y\":2}}", "duplicate field \"y\""),
                Arguments.of("{\"type\":\"ping\",\"n\":01}", "invalid JSON at column 21: invalid number: leading zeros are not allowed"),
                Arguments.of("{\"type\":\"ping\",\"n\":-}", "invalid JSON at column 21: invalid number: unexpected character '}', expected a digit"),
                Arguments.of("{\"type\":\"ping\",\"n\":NaN}", "\"NaN\" is not a JSON number"),
                Arguments.of("{\"type\":\"ping\",\"n\":\"\\x\"}", "invalid escape \"\\\\x\" in a string"),
                Arguments.of("{\"type\":\"ping\",\"n\":\"\\u12\"}", "expected 4 hex digits after \\u"),
                Arguments.of("{\"type\":\"ping\" \"n\":1}", "unexpected character '\"', expected ',' or '}'"),
                Arguments.of("{\"type\" \"ping\"}", "unexpected character '\"', expected ':' after the field name"),
                Arguments.of("{\"type\":\"ping\",\"n\":[1 2]}", "unexpected character '2', expected ',' or ']'"),
                Arguments.of("{\"type\":\"ping\",\"n\":[1}", "unexpected '}', expected ']'"),
                Arguments.of("{\"\u00e9\":\u00e9}", "invalid JSON at column 6: unexpected \"\u00e9\", expected a value"),
                Arguments.of("// comment", "invalid JSON at column 1: unexpected character '/', comments are not allowed"),
                Arguments.of(" \ufeff{\"type\":\"ping\"}", "invalid JSON at column 2: unexpected character U+FEFF, expected a value"));
    }

    @ParameterizedTest
    @MethodSource("malformedJson")
    void malformedJsonIsBadJsonSaidForAClientAuthor(String line, String message) {
        assertError(ErrorCode.BAD_JSON, message, null, badClient(line));
    }

    @Test
    void deepNestingAndHugeNumbersAreRejectedNotFatal() {
        // Within a 64 KiB line: 30,000 levels of arrays, and a 5,000-digit number.
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}";
        assertEquals(ErrorCode.BAD_JSON, badClient(deep).code());
        String huge = "{\"type\":\"history\",\"room\":\"#a\",\"limit\":" + "9".repeat(5_000) + "}";
        assertEquals(ErrorCode.BAD_JSON, badClient(huge).code());
    }

    @Test
    void nestingIsBoundedAt32Levels() {
        // The line's object is level 1; 31 arrays inside it make 32 levels.
        String deepest = "{\"type\":\"ping\",\"x\":" + "[".repeat(31) + "]".repeat(31) + "}";
        assertEquals(new Decoded.Ok<>(new ClientMessage.Ping()), CLIENT.decode(deepest));
        String tooDeep = "{\"type\":\"ping\",\"ref\":\"r\",\"x\":" + "[".repeat(32) + "]".repeat(32) + "}";
        assertError(ErrorCode.BAD_JSON, "invalid JSON: nesting deeper than 32 levels", null, badClient(tooDeep));
        String objects = "{\"type\":\"ping\",\"x\":" + "{\"y\":".repeat(40) + "1" + "}".repeat(40) + "}";
        assertEquals(ErrorCode.BAD_JSON, badClient(objects).code());
    }

    @Test
    void numbersAreBoundedAt1000Characters() {
        String longest = "{\"type\":\"ping\",\"x\":" + "9".repeat(1000) + "}";
        assertEquals(new Decoded.Ok<>(new ClientMessage.Ping()), CLIENT.decode(longest));
        String tooLong = "{\"type\":\"ping\",\"x\":" + "9".repeat(1001) + "}";
        assertError(ErrorCode.BAD_JSON, "invalid JSON: number longer than 1000 characters", null, badClient(tooLong));
    }

    /** "Fits in 32 bits" means a signed 32-bit integer; ids and timestamps are signed 64-bit. */
    @ParameterizedTest
    @CsvSource({"2147483647,true", "-2147483648,true", "0,true", "-0,true", "2147483648,false", "-2147483649,false",
            "4294967295,false"})
    void integersOf32BitsAreSigned(String limit, boolean fits) {
        var decoded = CLIENT.decode("{\"type\":\"history\",\"room\":\"#a\",\"limit\":" + limit + ",\"ref\":\"r\"}");
        if (fits) {
            assertEquals(new Decoded.Ok<>(new ClientMessage.History("#a", Integer.parseInt(limit), "r")), decoded);
        } else {
            assertError(ErrorCode.BAD_REQUEST, "field \"limit\" must be a 32-bit integer", "r", bad(decoded));
        }
    }

    @ParameterizedTest
    @CsvSource({"9223372036854775807,true", "-9223372036854775808,true", "9223372036854775808,false",
            "-9223372036854775809,false"})
    void integersOf64BitsAreSigned(String id, boolean fits) {
        var decoded = SERVER.decode("{\"type\":\"message\",\"id\":" + id
                + ",\"ts\":1,\"from\":\"a\",\"text\":\"t\",\"room\":\"#a\",\"ref\":\"r\"}");
        if (fits) {
            assertEquals(new Decoded.Ok<>(new ServerMessage.ChatMessage(Long.parseLong(id), 1, "a", "t", "#a", null,
                    false, "r")), decoded);
        } else {
            assertError(ErrorCode.BAD_REQUEST, "field \"id\" must be a 64-bit integer", "r", bad(decoded));
        }
    }

    // --- ref ---

    @Test
    void aRefOfUpTo64CodePointsIsFine() {
        for (String ref : List.of("x".repeat(64), "\ud83d\ude00".repeat(64), "550e8400-e29b-41d4-a716-446655440000", "")) {
            assertEquals(new Decoded.Ok<>(new ClientMessage.Ping(ref)),
                    CLIENT.decode("{\"type\":\"ping\",\"ref\":" + Json.MAPPER.writeValueAsString(ref) + "}"));
        }
        assertEquals(64, CLIENT.maxRefLength());
        assertEquals(Protocol.MAX_REF_LENGTH, Limits.DEFAULTS.maxRefLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"ping\",\"ref\":\"LONG\"}",
            "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"hi\",\"ref\":\"LONG\"}",
            "{\"ref\":\"LONG\",\"type\":\"dance\"}",
            "{\"ref\":\"LONG\",\"type\":\"say\"}",
            "{\"ref\":\"LONG\"}",
    })
    void aLongerRefIsBadRequestWithoutARef(String template) {
        for (String ref : List.of("x".repeat(65), "\ud83d\ude00".repeat(65), "r".repeat(60_000))) {
            ProtocolError error = badClient(template.replace("LONG", ref));
            assertError(ErrorCode.BAD_REQUEST, "field \"ref\" is longer than 64 characters", null, error);
        }
    }

    @Test
    void anIllTypedRefIsReportedBeforeTheType() {
        assertError(ErrorCode.BAD_REQUEST, "field \"ref\" must be a string", null,
                badClient("{\"type\":\"dance\",\"ref\":7}"));
        assertError(ErrorCode.BAD_REQUEST, "field \"ref\" must be a string", null, badClient("{\"ref\":[\"r\"]}"));
    }

    @Test
    void serverRefsAreNotBounded() {
        // A client reads what its server sends; bounding the ref is the server's job.
        String ref = "x".repeat(1000);
        assertEquals(new Decoded.Ok<>(new ServerMessage.Pong(ref)),
                SERVER.decode("{\"type\":\"pong\",\"ref\":\"" + ref + "\"}"));
    }

    // --- BOM and UTF-16 ---

    @Test
    void aByteOrderMarkAtTheStartOfALineIsIgnored() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] line = concat(bom, utf8("{\"type\":\"ping\",\"ref\":\"b\"}"));
        assertEquals(new Decoded.Ok<>(new ClientMessage.Ping("b")), CLIENT.decode(line));
        byte[] inBuffer = concat(utf8("xx"), line, utf8("yy"));
        assertEquals(new Decoded.Ok<>(new ClientMessage.Ping("b")), CLIENT.decode(inBuffer, 2, line.length));
        byte[] notFirst = concat(utf8(" "), line);
        assertError(ErrorCode.BAD_JSON, "invalid JSON at column 2: unexpected character U+FEFF", null,
                bad(CLIENT.decode(notFirst)));
        assertError(ErrorCode.BAD_JSON, "unexpected character U+FEFF", null, bad(CLIENT.decode(concat(bom, line))));
        // Inside a string it is just a character (a zero-width no-break space).
        assertEquals(new Decoded.Ok<>(new ClientMessage.Say("#a", "a\ufeffb")),
                CLIENT.decode("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"a\ufeffb\"}"));
    }

    @Test
    void utf16IsRefusedWithAHint() {
        String json = "{\"type\":\"ping\",\"ref\":\"r\"}";
        byte[] le = json.getBytes(StandardCharsets.UTF_16LE);
        byte[] be = json.getBytes(StandardCharsets.UTF_16BE);
        byte[] bomLe = concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, le);
        byte[] bomBe = concat(new byte[]{(byte) 0xFE, (byte) 0xFF}, be);
        assertError(ErrorCode.BAD_JSON, "raw NUL byte (this looks like UTF-16 or UTF-32; the protocol is UTF-8)", null,
                bad(CLIENT.decode(le)));
        assertError(ErrorCode.BAD_JSON, "invalid JSON at column 1: raw NUL byte (this looks like UTF-16", null,
                bad(CLIENT.decode(be)));
        assertError(ErrorCode.BAD_ENCODING, "invalid UTF-8 at byte offset 0 (0xFF): this looks like UTF-16", null,
                bad(CLIENT.decode(bomLe)));
        assertError(ErrorCode.BAD_ENCODING, "invalid UTF-8 at byte offset 0 (0xFE): this looks like UTF-16", null,
                bad(CLIENT.decode(bomBe)));
        byte[] utf32 = json.getBytes(java.nio.charset.Charset.forName("UTF-32LE"));
        assertEquals(ErrorCode.BAD_JSON, bad(CLIENT.decode(utf32)).code());
    }

    @Test
    void emptyInputToTheCodecIsBadJson() {
        assertEquals(ErrorCode.BAD_JSON, badClient("").code());
        assertEquals(ErrorCode.BAD_JSON, badClient("   ").code());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1,2]|an array",
            "[{\"type\":\"ping\"}]|an array",
            "\"ping\"|a string",
            "42|a number",
            "-1.5e3|a number",
            "true|a boolean",
            "null|null",
    })
    void jsonThatIsNotAnObjectIsNotObject(String line, String described) {
        assertError(ErrorCode.NOT_OBJECT, described, null, badClient(line));
    }

    // --- type ---

    @Test
    void missingTypeIsBadRequestWithTheRef() {
        assertError(ErrorCode.BAD_REQUEST, "missing field \"type\"", null, badClient("{}"));
        assertError(ErrorCode.BAD_REQUEST, "missing field \"type\"", "r1", badClient("{\"ref\":\"r1\",\"room\":\"#a\"}"));
        assertError(ErrorCode.BAD_REQUEST, "missing field \"type\"", "r2", badClient("{\"type\":null,\"ref\":\"r2\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "[\"say\"]", "{\"name\":\"say\"}", "1.5"})
    void nonStringTypeIsBadRequest(String type) {
        assertError(ErrorCode.BAD_REQUEST, "field \"type\" must be a string", "r",
                badClient("{\"type\":" + type + ",\"ref\":\"r\"}"));
    }

    @Test
    void unknownTypeIsUnknownTypeWithTheRef() {
        assertError(ErrorCode.UNKNOWN_TYPE, "\"dance\"", "r1", badClient("{\"type\":\"dance\",\"ref\":\"r1\"}"));
        assertError(ErrorCode.UNKNOWN_TYPE, "\"SAY\"", null, badClient("{\"type\":\"SAY\",\"room\":\"#a\",\"text\":\"x\"}"));
    }

    @Test
    void typesOfTheOtherDirectionAreUnknown() {
        assertEquals(ErrorCode.UNKNOWN_TYPE, badClient("{\"type\":\"welcome\",\"nick\":\"a\"}").code());
        assertEquals(ErrorCode.UNKNOWN_TYPE, badClient("{\"type\":\"error\",\"code\":\"bad_json\",\"message\":\"m\"}").code());
        assertEquals(ErrorCode.UNKNOWN_TYPE, badServer("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"x\"}").code());
        assertEquals(ErrorCode.UNKNOWN_TYPE, badServer("{\"type\":\"quit\"}").code());
    }

    @Test
    void echoedClientStringsAreClipped() {
        String longType = "t".repeat(10_000);
        ProtocolError error = badClient("{\"type\":\"" + longType + "\"}");
        assertEquals(ErrorCode.UNKNOWN_TYPE, error.code());
        assertTrue(error.message().length() < 200, error.message());
    }

    // --- fields ---

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"hello\",\"ref\":\"r\"}|nick",
            "{\"type\":\"join\",\"ref\":\"r\"}|room",
            "{\"type\":\"part\",\"ref\":\"r\"}|room",
            "{\"type\":\"say\",\"text\":\"hi\",\"ref\":\"r\"}|room",
            "{\"type\":\"say\",\"room\":\"#a\",\"ref\":\"r\"}|text",
            "{\"type\":\"msg\",\"text\":\"hi\",\"ref\":\"r\"}|to",
            "{\"type\":\"msg\",\"to\":\"bob\",\"ref\":\"r\"}|text",
            "{\"type\":\"nick\",\"ref\":\"r\"}|nick",
            "{\"type\":\"who\",\"ref\":\"r\"}|room",
            "{\"type\":\"history\",\"limit\":5,\"ref\":\"r\"}|room",
            "{\"type\":\"say\",\"room\":null,\"text\":\"hi\",\"ref\":\"r\"}|room",
    })
    void missingRequiredFieldIsBadRequestNamingIt(String line, String field) {
        assertError(ErrorCode.BAD_REQUEST, "missing field \"" + field + "\"", "r", badClient(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"say\",\"room\":\"#a\",\"text\":5,\"ref\":\"r\"}|text|a string",
            "{\"type\":\"say\",\"room\":\"#a\",\"text\":true,\"ref\":\"r\"}|text|a string",
            "{\"type\":\"say\",\"room\":[\"#a\"],\"text\":\"x\",\"ref\":\"r\"}|room|a string",
            "{\"type\":\"say\",\"room\":{},\"text\":\"x\",\"ref\":\"r\"}|room|a string",
            "{\"type\":\"history\",\"room\":\"#a\",\"limit\":\"5\",\"ref\":\"r\"}|limit|a 32-bit integer",
            "{\"type\":\"history\",\"room\":\"#a\",\"limit\":5.5,\"ref\":\"r\"}|limit|a 32-bit integer",
            "{\"type\":\"history\",\"room\":\"#a\",\"limit\":5.0,\"ref\":\"r\"}|limit|a 32-bit integer",
            "{\"type\":\"history\",\"room\":\"#a\",\"limit\":1e2,\"ref\":\"r\"}|limit|a 32-bit integer",
            "{\"type\":\"history\",\"room\":\"#a\",\"limit\":99999999999,\"ref\":\"r\"}|limit|a 32-bit integer",
            "{\"type\":\"history\",\"room\":\"#a\",\"limit\":\"\",\"ref\":\"r\"}|limit|a 32-bit integer",
            "{\"type\":\"hello\",\"nick\":\"a\",\"proto\":true,\"ref\":\"r\"}|proto|a 32-bit integer",
            "{\"type\":\"hello\",\"nick\":\"a\",\"password\":123,\"ref\":\"r\"}|password|a string",
    })
    void illTypedFieldIsBadRequestNamingIt(String line, String field, String expected) {
        assertError(ErrorCode.BAD_REQUEST, "field \"" + field + "\" must be " + expected, "r", badClient(line));
    }

    @Test
    void illTypedRefIsReportedWithoutARef() {
        assertError(ErrorCode.BAD_REQUEST, "field \"ref\" must be a string", null,
                badClient("{\"type\":\"ping\",\"ref\":7}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"welcome\",\"nick\":\"a\",\"server\":\"s\",\"version\":\"v\",\"proto\":1,\"ref\":\"r\"}"
                    + "|missing field \"limits\"",
            "{\"type\":\"welcome\",\"nick\":\"a\",\"server\":\"s\",\"version\":\"v\",\"proto\":1,\"limits\":{"
                    + "\"maxLineBytes\":1,\"maxTextChars\":1,\"msgRate\":1,\"maxRooms\":1,\"historyLength\":1,"
                    + "\"idleTimeoutSeconds\":1,\"pingTimeoutSeconds\":1},\"ref\":\"r\"}|missing field \"limits.msgBurst\"",
            "{\"type\":\"welcome\",\"nick\":\"a\",\"server\":\"s\",\"version\":\"v\",\"limits\":{},\"ref\":\"r\"}"
                    + "|missing field \"proto\"",
            "{\"type\":\"welcome\",\"nick\":\"a\",\"server\":\"s\",\"version\":\"v\",\"proto\":1,\"limits\":[],\"ref\":\"r\"}"
                    + "|field \"limits\" must be an object",
            "{\"type\":\"rooms\",\"rooms\":[{\"room\":\"#a\",\"members\":1},{\"room\":\"#b\",\"members\":\"x\"}],"
                    + "\"ref\":\"r\"}|field \"rooms[1].members\" must be a 32-bit integer",
            "{\"type\":\"rooms\",\"rooms\":[{\"members\":1}],\"ref\":\"r\"}|missing field \"rooms[0].room\"",
            "{\"type\":\"rooms\",\"rooms\":[null],\"ref\":\"r\"}|field \"rooms[0]\" must be an object",
            "{\"type\":\"rooms\",\"rooms\":{},\"ref\":\"r\"}|field \"rooms\" must be an array",
            "{\"type\":\"who\",\"room\":\"#a\",\"nicks\":[\"a\",null],\"ref\":\"r\"}|field \"nicks[1]\" must be a string",
            "{\"type\":\"who\",\"room\":\"#a\",\"nicks\":[\"a\",2],\"ref\":\"r\"}|field \"nicks[1]\" must be a string",
            "{\"type\":\"stats\",\"counters\":{\"a\":\"x\"},\"ref\":\"r\"}|field \"counters.a\" must be a 64-bit integer",
            "{\"type\":\"stats\",\"counters\":{\"a\":null},\"ref\":\"r\"}|field \"counters.a\" must be an integer",
            "{\"type\":\"message\",\"id\":\"1\",\"ts\":1,\"from\":\"a\",\"text\":\"t\",\"room\":\"#a\",\"ref\":\"r\"}"
                    + "|field \"id\" must be a 64-bit integer",
            "{\"type\":\"message\",\"id\":1,\"from\":\"a\",\"text\":\"t\",\"room\":\"#a\",\"ref\":\"r\"}"
                    + "|missing field \"ts\"",
            "{\"type\":\"message\",\"id\":1,\"ts\":1,\"from\":\"a\",\"text\":\"t\",\"room\":\"#a\",\"replay\":\"yes\","
                    + "\"ref\":\"r\"}|field \"replay\" must be true or false",
            "{\"type\":\"message\",\"id\":1,\"ts\":1,\"from\":\"a\",\"text\":\"t\",\"room\":\"#a\",\"to\":\"b\","
                    + "\"ref\":\"r\"}|exactly one of \"room\" and \"to\"",
            "{\"type\":\"message\",\"id\":1,\"ts\":1,\"from\":\"a\",\"text\":\"t\",\"ref\":\"r\"}"
                    + "|exactly one of \"room\" and \"to\"",
            "{\"type\":\"error\",\"code\":5,\"message\":\"m\",\"ref\":\"r\"}|field \"code\" must be a string",
            "{\"type\":\"error\",\"code\":\"bad_json\",\"ref\":\"r\"}|missing field \"message\"",
            "{\"type\":\"history\",\"room\":\"#a\",\"ref\":\"r\"}|missing field \"count\"",
            "{\"type\":\"joined\",\"room\":\"#a\",\"nick\":\"n\",\"ref\":\"r\"}|missing field \"ts\"",
    })
    void serverFramesAreCheckedToo(String line, String messagePart) {
        assertError(ErrorCode.BAD_REQUEST, messagePart, "r", badServer(line));
    }

    // --- leniency that the spec promises ---

    @Test
    void unknownFieldsAreIgnored() {
        var decoded = CLIENT.decode("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"hi\",\"color\":\"red\","
                + "\"nested\":{\"deep\":[1,[2,{\"x\":null}]]},\"ref\":\"r\"}");
        assertEquals(new Decoded.Ok<>(new ClientMessage.Say("#a", "hi", "r")), decoded);
    }

    @Test
    void typeNeedNotComeFirstAndWhitespaceIsAllowed() {
        assertEquals(new Decoded.Ok<>(new ClientMessage.Say("#a", "hi")),
                CLIENT.decode(" { \"room\" : \"#a\" ,\t\"text\":\"hi\", \"type\":\"say\" } \r"));
    }

    @Test
    void optionalFieldsMayBeNull() {
        assertEquals(new Decoded.Ok<>(new ClientMessage.History("#a", null, null)),
                CLIENT.decode("{\"type\":\"history\",\"room\":\"#a\",\"limit\":null,\"ref\":null}"));
    }

    @Test
    void unknownErrorCodeFromANewerServerDecodesAsUnknown() {
        var decoded = SERVER.decode("{\"type\":\"error\",\"code\":\"quantum_flux\",\"message\":\"m\"}");
        assertEquals(new Decoded.Ok<>(new ServerMessage.Error(ErrorCode.UNKNOWN, "m", null)), decoded);
    }

    @Test
    void decodesARangeOfAnArray() {
        byte[] buffer = utf8("xx{\"type\":\"ping\",\"ref\":\"r\"}yy");
        assertEquals(new Decoded.Ok<>(new ClientMessage.Ping("r")), CLIENT.decode(buffer, 2, buffer.length - 4));
        assertThrows(IndexOutOfBoundsException.class, () -> CLIENT.decode(buffer, 5, buffer.length));
    }

    @Test
    void badLinesOfTheSameKindGiveTheSameError() {
        // No hidden state: the codec is a pure function of its input.
        ProtocolError first = badClient("{\"type\":\"say\",\"ref\":\"r\"}");
        ProtocolError second = badClient("{\"type\":\"say\",\"ref\":\"r\"}");
        assertEquals(first, second);
        assertNull(badClient("[]").ref());
    }

    private static byte[] hexBytes(String hex) {
        String[] parts = hex.split(" ");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }
}
