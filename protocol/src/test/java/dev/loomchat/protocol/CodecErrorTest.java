package dev.loomchat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

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
        assertError(ErrorCode.BAD_JSON, "NUL", null, bad(CLIENT.decode(line)));
    }

    @Test
    void utf16IsNotAcceptedAsJson() {
        // Jackson would auto-detect UTF-16 from the zero bytes; the spec says UTF-8 only.
        byte[] line = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_16LE);
        assertEquals(ErrorCode.BAD_JSON, bad(CLIENT.decode(line)).code());
    }

    // --- JSON syntax ---

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"ping\"",
            "{type:\"ping\"}",
            "{\"type\":\"ping\",}",
            "{'type':'ping'}",
            "nonsense",
            "{\"type\":\"ping\"}}",
            "{\"type\":\"ping\"} {\"type\":\"ping\"}",
            "{\"type\":\"ping\"} x",
            "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"tab\there\"}",
            "{\"type\":\"ping\",\"ref\":\"a\",\"ref\":\"b\"}",
            "{\"type\":\"ping\",\"type\":\"pong\"}",
            "{\"type\":\"ping\",\"n\":01}",
            "{\"type\":\"ping\",\"n\":NaN}",
            "// comment",
    })
    void malformedJsonIsBadJson(String line) {
        assertError(ErrorCode.BAD_JSON, "malformed JSON", null, badClient(line));
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
