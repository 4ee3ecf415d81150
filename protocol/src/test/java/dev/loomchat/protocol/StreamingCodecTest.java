package dev.loomchat.protocol;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The streaming paths against the data-binding mapper they replace on the hot path: the encoder
 * writes exactly the mapper's bytes, and the streaming decoder, where it decides at all, decides
 * as the mapper does. So the codec's decisions (error codes included) are the mapper's.
 */
class StreamingCodecTest {

    private static final ObjectReader CLIENT_BINDER = Json.MAPPER.readerFor(ClientMessage.class);
    private static final ObjectReader SERVER_BINDER = Json.MAPPER.readerFor(ServerMessage.class);

    private static final String[] CLIENT_NAMES = {"type", "ref", "nick", "password", "client", "proto", "room", "text",
            "to", "limit", "id", "x"};
    private static final String[] SERVER_NAMES = {"type", "ref", "id", "ts", "from", "text", "room", "to", "replay",
            "nick", "old", "reason", "count", "code", "message", "nicks", "limits", "x"};

    static Stream<Message> samples() {
        return Stream.concat(Samples.client().stream(), Samples.server().stream());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void theEncoderWritesWhatTheMapperWrites(Message message) {
        assertArrayEquals(mapperBytes(message), withoutNewline(Frame.of(message)), message::toString);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void theStreamingDecoderTakesEveryFlatSample(Message message) {
        byte[] line = withoutNewline(Frame.of(message));
        Decoded<?> decoded = switch (message) {
            case ClientMessage m -> StreamingDecoder.CLIENT.decode(line, 0, line.length);
            case ServerMessage m -> StreamingDecoder.SERVER.decode(line, 0, line.length);
        };
        boolean nested = message instanceof ServerMessage.Welcome || message instanceof ServerMessage.Who
                || message instanceof ServerMessage.Rooms || message instanceof ServerMessage.Stats
                || message instanceof ServerMessage.Bans;
        assertEquals(nested ? null : new Decoded.Ok<>(message), decoded);
    }

    /** Strings at the edges of the encoder's raw-ASCII shortcut. */
    static Stream<String> awkwardStrings() {
        return Stream.of("", "plain", "yet?", "?", "a\ud800", "\ud800?", "?\udfff?", "\ud83d\ude00?", "a/b", "</script>",
                "q\"", "b\\", "tab\t", "\u007f", "\u0080", "\u00ff", "\u0100", "\u2028", "x".repeat(512),
                "x".repeat(513), "x".repeat(5000) + "\"", "?".repeat(40) + "\ud800");
    }

    @ParameterizedTest
    @MethodSource("awkwardStrings")
    void awkwardStringsAreEncodedAsTheMapperWould(String s) {
        for (Message message : List.<Message>of(new ClientMessage.Say(s, s, s),
                new ServerMessage.Who(s, List.of(s, "a", s), s), new ServerMessage.Pong(s))) {
            assertArrayEquals(mapperBytes(message), withoutNewline(Frame.of(message)), message::toString);
        }
    }

    @TestFactory
    Stream<DynamicTest> randomMessagesAreEncodedAsTheMapperWould() {
        return Fuzz.cases(random -> {
            Message message = Fuzz.message(random);
            assertArrayEquals(mapperBytes(message), withoutNewline(Frame.of(message)), message::toString);
        });
    }

    @TestFactory
    Stream<DynamicTest> randomObjectsAreDecidedAsTheMapperWould() {
        return Fuzz.cases(random -> {
            for (int i = 0; i < 20; i++) {
                boolean client = random.nextBoolean();
                byte[] line = utf8(randomObject(random, client ? CLIENT_NAMES : SERVER_NAMES,
                        client ? Codec.CLIENT_TO_SERVER : Codec.SERVER_TO_CLIENT));
                if (client) {
                    assertSameDecision(line, CLIENT_BINDER, StreamingDecoder.CLIENT, Codec.CLIENT_TO_SERVER);
                } else {
                    assertSameDecision(line, SERVER_BINDER, StreamingDecoder.SERVER, Codec.SERVER_TO_CLIENT);
                }
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> mutatedFramesAreDecidedAsTheMapperWould() {
        return Fuzz.cases(random -> {
            Message message = Fuzz.message(random);
            byte[] line = withoutNewline(Frame.of(message));
            byte[] mutated = mutate(line, random);
            if (message instanceof ClientMessage) {
                assertSameDecision(mutated, CLIENT_BINDER, StreamingDecoder.CLIENT, Codec.CLIENT_TO_SERVER);
            } else {
                assertSameDecision(mutated, SERVER_BINDER, StreamingDecoder.SERVER, Codec.SERVER_TO_CLIENT);
            }
        });
    }

    /**
     * The fuzzer's corpus, line by line: random byte streams mixing raw bytes, JSON fragments,
     * valid frames and long runs (as {@code ReaderFuzzTest} feeds the reader), and UTF-8-like
     * bytes, in both directions.
     */
    @TestFactory
    Stream<DynamicTest> fuzzerLinesAreDecidedAsTheMapperWould() {
        return Fuzz.cases(random -> {
            List<byte[]> lines = lines(Fuzz.stream(random, 30));
            lines.add(Fuzz.utf8ish(random, random.nextInt(60)));
            for (byte[] line : lines) {
                assertSameDecision(line, CLIENT_BINDER, StreamingDecoder.CLIENT, Codec.CLIENT_TO_SERVER);
                assertSameDecision(line, SERVER_BINDER, StreamingDecoder.SERVER, Codec.SERVER_TO_CLIENT);
            }
        });
    }

    /**
     * Hand-picked lines at the edges of the rules (PROTOCOL.md sections 2, 3 and 10): wrong JSON
     * types, nulls, duplicates before and after the type, nested and duplicate unknown fields,
     * numbers at the edges of int and long, escapes of NUL and lone surrogates, raw control
     * characters, trailing data, a byte order mark, nesting and number-length bounds.
     */
    static Stream<String> edgeLines() {
        String say = "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"hi\"";
        String message = "{\"type\":\"message\",\"id\":1,\"ts\":2,\"from\":\"a\",\"text\":\"t\",\"room\":\"#a\"";
        return Stream.of(
                say + "}", say + ",\"ref\":42}", say + ",\"ref\":null}", say + ",\"ref\":\"\"}",
                say + ",\"ref\":\"" + "r".repeat(Protocol.MAX_REF_LENGTH) + "\"}",
                say + ",\"ref\":\"" + "r".repeat(Protocol.MAX_REF_LENGTH + 1) + "\"}",
                say + ",\"ref\":\"" + "\ud83d\ude00".repeat(Protocol.MAX_REF_LENGTH) + "\"}",
                say + ",\"ref\":\"r\",\"ref\":\"s\"}", say + ",\"room\":\"#b\"}", say + ",\"type\":\"say\"}",
                "{\"ref\":\"r\",\"ref\":\"s\",\"type\":\"ping\"}", "{\"ref\":7,\"type\":\"nope\"}",
                say + ",\"notice\":null}", say + ",\"notice\":1}", say + ",\"notice\":\"true\"}", say + ",\"notice\":true}",
                say + ",\"x\":{\"y\":[1,2,{\"z\":null}]}}", say + ",\"x\":{\"a\":1,\"a\":2}}", say + ",\"x\":1,\"x\":2}",
                say + ",\"x\":[{\"a\":1,\"a\":2}]}", say + ",\"" + "n".repeat(300) + "\":1}",
                "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"a\\u0000b\"}",
                "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"\\ud800\"}",
                "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"\\udc00\\ud800x\"}",
                "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"\\ud83d\\ude00 \\u00e9 \\/ \\\" \\\\\"}",
                "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"\\x\"}",
                "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"a\tb\"}",
                "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"a\u007fb \u2028 \u00e9 \ud83d\ude00\"}",
                "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"a\nb\"}",
                say + "} ", " \t" + say + "}\r", say + "}{}", say + "},", say + "}}", say + "} x", say + "} 1", say,
                "\ufeff" + say + "}", "\ufeff\ufeff" + say + "}",
                "{\"TYPE\":\"say\",\"room\":\"#a\",\"text\":\"hi\"}", "{\"type\":\"SAY\",\"room\":\"#a\",\"text\":\"hi\"}",
                "{\"type\":\"say\",\"room\":\"#a\"}", "{\"type\":\"say\",\"room\":null,\"text\":\"hi\"}",
                "{\"type\":\"say\",\"room\":[\"#a\"],\"text\":\"hi\"}", "{\"type\":\"say\",\"room\":\"#a\",\"text\":5}",
                "{\"type\":\"history\",\"room\":\"#a\",\"limit\":5.0}", "{\"type\":\"history\",\"room\":\"#a\",\"limit\":1e2}",
                "{\"type\":\"history\",\"room\":\"#a\",\"limit\":-0}", "{\"type\":\"history\",\"room\":\"#a\",\"limit\":2147483648}",
                "{\"type\":\"history\",\"room\":\"#a\",\"before\":9223372036854775808}",
                "{\"type\":\"history\",\"room\":\"#a\",\"after\":-9223372036854775808}",
                "{\"type\":\"history\",\"room\":\"#a\",\"limit\":\"5\"}", "{\"type\":\"history\",\"room\":\"#a\",\"limit\":01}",
                "{\"type\":\"ping\"}", "{\"type\":\"pong\",\"ref\":\"p\"}", "{\"type\":\"ping\",\"ref\":{}}",
                "{\"type\":\"msg\",\"to\":\"bob\",\"text\":\"hi\",\"notice\":false}",
                message + "}", message + ",\"replay\":null}", message + ",\"replay\":true,\"notice\":true}",
                message + ",\"id\":1.0}", "{\"type\":\"message\",\"id\":\"1\",\"ts\":2,\"from\":\"a\",\"text\":\"t\"}",
                "{\"type\":\"message\",\"id\":-9223372036854775808,\"ts\":9223372036854775807,\"from\":\"a\",\"text\":\"t\"}",
                "{\"type\":\"message\",\"id\":9223372036854775808,\"ts\":2,\"from\":\"a\",\"text\":\"t\"}",
                "{\"type\":\"error\",\"code\":\"bad_json\",\"message\":\"m\",\"ref\":\"r\"}",
                "{\"type\":\"error\",\"code\":\"no_such_code\",\"message\":\"m\"}", "{\"type\":\"error\",\"code\":1,\"message\":\"m\"}",
                "{\"type\":\"say\",\"x\":" + "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH) + "}",
                "{\"type\":\"say\",\"x\":" + "[".repeat(Json.MAX_NESTING_DEPTH - 1) + "]".repeat(Json.MAX_NESTING_DEPTH - 1) + "}",
                "{\"type\":\"history\",\"room\":\"#a\",\"limit\":" + "1".repeat(Json.MAX_NUMBER_LENGTH + 1) + "}",
                "{\"type\":\"say\",\"x\":" + "1".repeat(Json.MAX_NUMBER_LENGTH) + "}",
                "{}", "[]", "null", "\"say\"", "1", "", " ", "{\"type\":null}", "{\"type\":1}", "{\"type\":\"say\"",
                "{\"type\":\"say\",}", "{\"type\":\"say\" \"room\":\"#a\"}", "{'type':'say'}", "{type:\"say\"}");
    }

    @ParameterizedTest
    @MethodSource("edgeLines")
    void edgeLinesAreDecidedAsTheMapperWould(String line) {
        assertSameDecision(utf8(line), CLIENT_BINDER, StreamingDecoder.CLIENT, Codec.CLIENT_TO_SERVER);
        assertSameDecision(utf8(line), SERVER_BINDER, StreamingDecoder.SERVER, Codec.SERVER_TO_CLIENT);
    }

    /** The lines of {@code bytes}, split at each {@code \n}. */
    private static List<byte[]> lines(byte[] bytes) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    /**
     * The mapper's verdict is the reference: where the streaming decoder returns a message it is
     * the mapper's, and the codec accepts exactly what the mapper accepts (bar a client ref over
     * the limit, which only the codec checks).
     */
    private static <M extends Message> void assertSameDecision(byte[] line, ObjectReader binder,
                                                               StreamingDecoder<M> streaming, Codec<M> codec) {
        String shown = new String(line, StandardCharsets.UTF_8);
        if (Utf8.firstInvalid(line, 0, line.length) >= 0 || Utf8.indexOfNul(line, 0, line.length) >= 0) {
            assertInstanceOf(Decoded.Bad.class, codec.decode(line), shown);
            return;
        }
        Message expected;
        try {
            expected = binder.readValue(line);
        } catch (JacksonException e) {
            expected = null;
        }
        Decoded<M> fast = streaming.decode(line, 0, line.length);
        if (fast instanceof Decoded.Ok<M>(M message)) {
            assertEquals(expected, message, shown);
        } else if (fast instanceof Decoded.Bad<M>(ProtocolError error)) {
            // Malformed JSON, decided on the fast path: the mapper rejects it too, and the slow
            // path would have said exactly the same.
            assertNull(expected, shown);
            assertEquals(DecodeFailure.explain(Map.of(), Integer.MAX_VALUE, line, 0, line.length, null), error, shown);
        }
        Decoded<M> decoded = codec.decode(line);
        if (expected == null) {
            assertInstanceOf(Decoded.Bad.class, decoded, shown);
        } else if (expected instanceof ClientMessage m && m.ref() != null
                && m.ref().codePointCount(0, m.ref().length()) > Protocol.MAX_REF_LENGTH) {
            assertEquals(ErrorCode.BAD_REQUEST, ((Decoded.Bad<M>) decoded).error().code(), shown);
        } else {
            assertEquals(new Decoded.Ok<>(expected), decoded, shown);
        }
    }

    /**
     * A JSON object of fields the direction knows (and a few it does not), with values of every
     * JSON type, in any order, sometimes repeated, with a type of the direction most of the time.
     */
    private static String randomObject(SplittableRandom random, String[] names, Codec<?> codec) {
        List<String> types = new ArrayList<>(codec.typeNames());
        var out = new StringBuilder("{");
        int fields = random.nextInt(7);
        boolean typed = random.nextInt(10) > 0;
        int typeAt = random.nextInt(fields + 1);
        for (int i = 0; i <= fields; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (typed && i == typeAt) {
                out.append("\"type\":").append(random.nextInt(8) > 0
                        ? quoted(types.get(random.nextInt(types.size()))) : randomValue(random));
            } else {
                out.append(quoted(names[random.nextInt(names.length)])).append(':').append(randomValue(random));
            }
        }
        return out.append('}').toString();
    }

    private static String randomValue(SplittableRandom random) {
        return switch (random.nextInt(14)) {
            case 0 -> "null";
            case 1 -> "true";
            case 2 -> "false";
            case 3 -> Integer.toString(random.nextInt(1000) - 10);
            case 4 -> Long.toString(random.nextLong());
            case 5 -> "9223372036854775808";
            case 6 -> "2147483648";
            case 7 -> "-2147483649";
            case 8 -> "1.5";
            case 9 -> "[\"a\",1,null]";
            case 10 -> "{\"k\":{\"j\":[]}}";
            case 11 -> quoted("x".repeat(random.nextInt(80)));
            case 12 -> quoted(Fuzz.string(random, 10));
            default -> quoted(List.of("#a", "bob", "nick_in_use", "quit", "say").get(random.nextInt(5)));
        };
    }

    private static String quoted(String s) {
        return Json.MAPPER.writeValueAsString(s);
    }

    /** Byte-level damage that keeps the line mostly JSON-shaped. */
    private static byte[] mutate(byte[] line, SplittableRandom random) {
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(line);
        byte[] bytes = out.toByteArray();
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        String insert = List.of(",", "}", "\"", ":", " ", "null", "1", "[", "\"ref\":\"r\",", "\"type\":\"ping\",",
                "\"x\":{},", "\ufeff").get(random.nextInt(12));
        return switch (random.nextInt(4)) {
            case 3 -> java.util.Arrays.copyOf(bytes, at); // cut short
            case 0 -> TestStreams.concat(java.util.Arrays.copyOf(bytes, at), utf8(insert),
                    java.util.Arrays.copyOfRange(bytes, at, bytes.length));
            case 1 -> TestStreams.concat(java.util.Arrays.copyOf(bytes, at),
                    java.util.Arrays.copyOfRange(bytes, Math.min(bytes.length, at + 1), bytes.length));
            default -> bytes.length > 1 && bytes[0] == '{'
                    ? TestStreams.concat(utf8("{" + insert), java.util.Arrays.copyOfRange(bytes, 1, bytes.length))
                    : bytes;
        };
    }

    private static byte[] mapperBytes(Message message) {
        Class<?> direction = message instanceof ClientMessage ? ClientMessage.class : ServerMessage.class;
        byte[] bytes = Json.MAPPER.writerFor(direction).writeValueAsBytes(message);
        assertNotNull(bytes);
        return bytes;
    }

    private static byte[] withoutNewline(Frame frame) {
        byte[] bytes = frame.toByteArray();
        return java.util.Arrays.copyOf(bytes, bytes.length - 1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
